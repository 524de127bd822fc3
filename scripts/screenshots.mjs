// `npm run screenshots`: refreshes docs/screenshots (the README's pictures) by running the suites that take them
// with MINILM_SCREENSHOTS_DIR pointing there. Test runs on their own write screenshots to <tmpdir>/minilm-screenshots
// and leave the git tree clean.
//
// `node scripts/screenshots.mjs webview renderer` refreshes only the named suites (webview, renderer, ui).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suites = { webview: 'test:webview', renderer: 'test:renderer', ui: 'test:ui' };
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`screenshots: unknown suite ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}.`);
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, MINILM_SCREENSHOTS_DIR: path.join(repoRoot, 'docs', 'screenshots') };
let failed = 0;
for (const name of asked.length > 0 ? asked : Object.keys(suites)) {
  console.log(`\n=== screenshots: npm run ${suites[name]} ===`);
  const { status } = spawnSync(npm, ['run', '--silent', suites[name]], { cwd: repoRoot, env, stdio: 'inherit' });
  if (status !== 0) failed++;
}
spawnSync('git', ['status', '--short', '--', 'docs/screenshots'], { cwd: repoRoot, stdio: 'inherit' });
process.exit(failed > 0 ? 1 : 0);
