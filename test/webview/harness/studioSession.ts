/**
 * One Studio under test: the webview bundle rebuilt from the current sources, the harness serving it with the real
 * all-MiniLM-L6-v2, and a dark-themed Chromium page on it. Both webview suites start here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Engine } from '../../../src/engine';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';
import { StudioHarness } from './studioHarness';
import { CHROMIUM, CHROMIUM_ARGS, openStudio, type PageProblems } from './studioPage';

export interface StudioSession {
  browser: Browser;
  context: BrowserContext;
  engine: Engine;
  harness: StudioHarness;
  /** The harness's address (append `/?theme=…` to open another page). */
  url: string;
  scratch: string;
  /** The results folder the harness gives the Studio (inside scratch). */
  results: string;
  page: Page;
  problems: PageProblems;
  close(): Promise<void>;
}

export async function startStudioSession(scratchPrefix: string): Promise<StudioSession> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // Always test the current sources.
  execFileSync(process.execPath, ['esbuild.mjs', '--only=webview'], { cwd: repoRoot, stdio: 'inherit' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), scratchPrefix));
  const results = path.join(scratch, 'results');
  const engine = new Engine({ modelDir: testModelDir(), dtype: 'fp32' });
  const harness = new StudioHarness({ engine, resultsFolder: results });
  const url = await harness.start();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 }, colorScheme: 'dark' });
  const { page, problems } = await openStudio(context, `${url}/?theme=dark`);
  return {
    browser,
    context,
    engine,
    harness,
    url,
    scratch,
    results,
    page,
    problems,
    async close() {
      await browser.close();
      await harness.stop();
      await engine.dispose();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Every test ends on a page that broke no CSP rule and logged no error. */
export function assertNoPageProblems(problems: PageProblems): void {
  assert.deepEqual(problems.csp, [], 'CSP violations');
  assert.deepEqual(problems.errors, [], 'console errors');
}
