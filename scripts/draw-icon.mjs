// `node scripts/draw-icon.mjs`: draws the extension's icon, media/icon.png (128×128, the size the Marketplace
// shows), from the SVG below, rendered by the Debian chromium the end-to-end tests use (scripts/e2e/install.mjs
// installs it). The committed PNG is the product; rerun this only when the drawing changes.
//
// The picture: two embedding vectors leaving one origin and the arc of the angle between them (cosine similarity),
// white and amber on an opaque indigo tile, so it reads the same on light and dark backgrounds.
import fs from 'node:fs';
import path from 'node:path';
import { chromiumPath, launchChromium, repoRoot } from './e2e/codeServer.mjs';

const size = 128;
const out = path.join(repoRoot, 'media', 'icon.png');

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#4338CA"/>
      <stop offset="1" stop-color="#1E1B4B"/>
    </linearGradient>
    <marker id="head" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
      <path d="M0 0 L10 5 L0 10 z" fill="#FFFFFF"/>
    </marker>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#tile)"/>
  <rect x="4.75" y="4.75" width="118.5" height="118.5" rx="25.25" fill="none" stroke="#FFFFFF" stroke-opacity="0.18" stroke-width="1.5"/>
  <!-- faint grid: the embedding space -->
  <g stroke="#FFFFFF" stroke-opacity="0.10" stroke-width="1.5">
    <path d="M28 20 V108 M52 20 V108 M76 20 V108 M100 20 V108 M20 28 H108 M20 52 H108 M20 76 H108 M20 100 H108"/>
  </g>
  <!-- the angle between the two vectors -->
  <path d="M 70.5 82.5 A 46 46 0 0 0 53.8 61.9" fill="none" stroke="#FBBF24" stroke-width="7" stroke-linecap="round"/>
  <g stroke="#FFFFFF" stroke-width="8" stroke-linecap="round" fill="none" marker-end="url(#head)">
    <path d="M 28 100 L 96 72"/>
    <path d="M 28 100 L 70 38"/>
  </g>
  <circle cx="28" cy="100" r="7" fill="#FBBF24"/>
</svg>`;

async function main() {
  if (!fs.existsSync(chromiumPath)) {
    console.error(`[draw-icon] needs ${chromiumPath}: run \`node scripts/e2e/install.mjs\` (as root) first`);
    process.exit(1);
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    // Transparent corners outside the rounded tile.
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  } finally {
    await browser.close();
  }
  console.log(out);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
