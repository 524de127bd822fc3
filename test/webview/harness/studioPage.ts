/**
 * Chromium pages over the Studio harness: how the webview tests open the panel, switch tabs, type, read metrics and
 * save screenshots (to MINILM_SCREENSHOTS_DIR, see test/helpers/screenshotsDir).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { screenshotsDir } from '../../helpers/screenshotsDir';

export const SCREENSHOTS = screenshotsDir();
// launch() (not launchPersistentContext) gives every run a fresh temporary profile.
export { CHROMIUM, CHROMIUM_ARGS } from '../../helpers/chromium';

/** Collects what would show a broken page: CSP violations, console errors, uncaught exceptions. */
export interface PageProblems {
  csp: string[];
  errors: string[];
}

export async function openStudio(context: BrowserContext, url: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  // Generous: CI machines here have 2 cores shared with other jobs, and a cold model load can take tens of seconds.
  page.setDefaultTimeout(150_000);
  const problems: PageProblems = { csp: [], errors: [] };
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.csp.push(text);
    else if (message.type() === 'error') problems.errors.push(text);
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  await page.locator('vscode-tabs').waitFor();
  return { page, problems };
}

export async function selectTab(page: Page, tab: string): Promise<void> {
  // vscode-tabs assigns its own ids to the headers; the data attribute is ours.
  await page.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await page.locator(`vscode-tab-panel[data-tab="${tab}"]`).waitFor({ state: 'visible' });
}

export async function fill(page: Page, id: string, text: string): Promise<void> {
  const inner = page.locator(`#${id} textarea`);
  await inner.fill(text);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `panel-${name}.png`), fullPage: true });
}

/** The ids of the primary (not secondary) buttons on a tab. */
export const primaryButtons = (page: Page, tab: string) =>
  page.locator(`vscode-tab-panel[data-tab="${tab}"] vscode-button:not([secondary])`).evaluateAll((buttons) => buttons.map((b) => b.id || b.textContent));

export const number = async (page: Page, testId: string) => Number(await page.locator(`[data-testid="${testId}"] .metric-value`).innerText());
