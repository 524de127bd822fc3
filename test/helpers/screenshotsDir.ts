import os from 'node:os';
import path from 'node:path';

/**
 * Where tests save screenshots: `MINILM_SCREENSHOTS_DIR` when set (`npm run screenshots` sets it to docs/screenshots),
 * otherwise a folder in the system's temporary directory, so that a test run leaves the git tree clean.
 * scripts/e2e/runUiTests.mjs and scripts/screenshots.mjs spell the same default.
 */
export function screenshotsDir(): string {
  return path.resolve(process.env.MINILM_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'minilm-screenshots'));
}
