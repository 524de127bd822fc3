// Drives the VS Code web workbench (code-server) the way a person does: palette, quick open, editor tabs, webviews.
// Started by scripts/e2e/runUiTests.mjs, which passes the server URL and folders through the environment.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { screenshotsDir } from '../helpers/screenshotsDir';

export interface UiEnvironment {
  url: string;
  workspace: string;
  screenshots: string;
  outputDir: string;
}

export function uiEnvironment(): UiEnvironment {
  const url = process.env.MINILM_UI_URL;
  const workspace = process.env.MINILM_UI_WORKSPACE;
  if (!url || !workspace) throw new Error('MINILM_UI_URL / MINILM_UI_WORKSPACE unset: run these tests through `npm run test:ui`');
  return {
    url,
    workspace,
    screenshots: screenshotsDir(),
    outputDir: process.env.MINILM_UI_OUTPUT_DIR ?? path.resolve('.test-output'),
  };
}

export async function launchBrowser(): Promise<Browser> {
  const args = process.env.MINILM_CHROMIUM_ARGS ? (JSON.parse(process.env.MINILM_CHROMIUM_ARGS) as string[]) : ['--headless', '--no-sandbox'];
  const headed = process.env.MINILM_UI_HEADED === '1';
  return chromium.launch({
    executablePath: process.env.MINILM_CHROMIUM ?? '/usr/bin/chromium',
    headless: !headed,
    args: headed ? args.filter((a) => a !== '--headless') : args,
  });
}

/** Typing into a vscode-elements textarea: the real <textarea> sits in its open shadow root. */
export async function typeInto(view: FrameLocator, id: string, text: string): Promise<void> {
  await view.locator(`#${id}`).locator('textarea').fill(text);
}

/** Compares two texts on the Studio's Similarity tab and returns the cosine it shows (NaN if it is not a number). */
export async function compareInStudio(studio: FrameLocator, a: string, b: string): Promise<{ cosine: number; shown: string }> {
  await studio.getByRole('tab', { name: 'Similarity' }).click();
  await typeInto(studio, 'similarity-a', a);
  await typeInto(studio, 'similarity-b', b);
  await studio.getByRole('button', { name: 'Compare', exact: true }).click();
  const cell = studio.locator('[data-testid="cosine"]');
  await cell.waitFor({ state: 'visible' });
  const shown = (await cell.innerText()).trim();
  return { cosine: Number(shown), shown };
}

/**
 * Mocha hooks for a suite that drives one workbench page: opens it before the first test, saves a screenshot and the
 * console of a failed test, closes the browser after the last. Call inside `describe`.
 */
export function workbenchForSuite(): { readonly env: UiEnvironment; readonly workbench: Workbench } {
  const env = uiEnvironment();
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  before(async function () {
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, env);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.saveFailure(this.currentTest.fullTitle());
  });
  after(async function () {
    await browser?.close();
  });
  return {
    env,
    get workbench(): Workbench {
      if (!workbench) throw new Error('the workbench page is not open (its before hook failed)');
      return workbench;
    },
  };
}

/** Localised command titles from package.nls.json, e.g. `MiniLM: Open Studio` for `minilm.openStudio`. */
export function commandTitle(commandId: string): string {
  const root = path.resolve(__dirname, '..', '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string; title: string; category?: string }[] };
  };
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const entry = manifest.contributes.commands.find((c) => c.command === commandId);
  if (!entry) throw new Error(`${commandId} is not contributed in package.json`);
  const resolve = (s: string) => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? s);
  return entry.category ? `${resolve(entry.category)}: ${resolve(entry.title)}` : resolve(entry.title);
}

export class Workbench {
  readonly consoleLines: string[] = [];

  constructor(
    readonly page: Page,
    private readonly env: UiEnvironment,
  ) {
    page.on('console', (msg) => this.consoleLines.push(`${msg.type()}: ${msg.text()}`));
  }

  static async open(browser: Browser, env: UiEnvironment): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const workbench = new Workbench(page, env);
    // 'load' waits for every workbench script; on a busy machine that alone can pass a minute.
    await page.goto(env.url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    // The explorer shows the workspace once the remote connection and file service are up.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'visible', timeout: 120_000 });
    return workbench;
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette (F1) and types `text` after the `>` prefix. */
  async typeInPalette(text: string): Promise<void> {
    await this.page
      .locator('.monaco-workbench')
      .click({ position: { x: 700, y: 5 } })
      .catch(() => undefined);
    await this.page.keyboard.press('F1');
    await this.quickInput.waitFor({ state: 'visible' });
    const input = this.quickInput.locator('input');
    await input.fill(`>${text}`);
  }

  /** Row of the quick-pick list whose label is exactly `label`. */
  paletteRow(label: string): Locator {
    return this.quickInput.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: label }) });
  }

  /**
   * Waits for a palette row, retyping the query meanwhile: the list is computed when the text changes, and an
   * extension's commands appear only once its host has registered the contributions.
   */
  async waitForPaletteRow(label: string, query = label, timeoutMs = 90_000): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    const row = this.paletteRow(label).first();
    for (;;) {
      if (!(await this.quickInput.isVisible())) await this.typeInPalette(query);
      else await this.quickInput.locator('input').fill(`>${query}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        return row;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await this.quickInput.locator('input').fill('>');
      }
    }
  }

  /**
   * Runs a command by its palette title (F1, type, wait for the row, click it). With `opensQuickInput` the command
   * shows its own input box or quick pick in the same widget, so the palette closing is not waited for.
   */
  async runCommand(title: string, options: { opensQuickInput?: boolean } = {}): Promise<void> {
    const row = await this.waitForPaletteRow(title);
    await row.click();
    if (!options.opensQuickInput) await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Opens a file at the workspace root from the Explorer and puts the cursor at its start (no selection). Quick open
   * would not do for a file a test has just written: its file list is cached.
   */
  async openAtStart(fileName: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first().click();
    await this.activeTab(fileName).waitFor({ state: 'visible' });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+Home');
  }

  async closePalette(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  /** Ctrl+P quick open of a workspace file by name. */
  async quickOpen(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.locator('input').fill(fileName);
    const row = this.quickInput.locator('.monaco-list-row', { hasText: fileName }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** The active editor tab's label. */
  activeTab(label: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: label });
  }

  /**
   * The content frame of the visible Studio webview.
   * VS Code web nests two iframes: the host's `iframe.webview` and the content `#active-frame`.
   */
  webview(): FrameLocator {
    // A notebook's output webview (extensionId empty) can be visible at the same time.
    return this.page.frameLocator('iframe.webview.ready:visible[src*="extensionId=minilm-studio"]').frameLocator('#active-frame');
  }

  /** Waits until some frame of the page (webviews included, at any depth) shows `selector`; returns that locator. */
  async waitForInAnyFrame(selector: string, timeoutMs = 60_000): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        const found = frame.locator(selector);
        if ((await found.count().catch(() => 0)) > 0) return found;
      }
      if (Date.now() > deadline) throw new Error(`no frame shows ${selector} after ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(500);
    }
  }

  /** A notification toast whose text matches. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text });
  }

  /** `name` like `01_command_palette`: saved in screenshotsDir() as 01_command_palette.png. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.env.screenshots, { recursive: true });
    const file = path.join(this.env.screenshots, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Saves a screenshot and the browser console for a failed step under .test-output/. */
  async saveFailure(title: string): Promise<void> {
    const safe = title.replace(/[^a-z0-9]+/gi, '_').slice(0, 80);
    fs.mkdirSync(this.env.outputDir, { recursive: true });
    await this.page.screenshot({ path: path.join(this.env.outputDir, `ui-failure-${safe}.png`) }).catch(() => undefined);
    fs.writeFileSync(path.join(this.env.outputDir, `ui-console-${safe}.log`), this.consoleLines.join('\n'));
  }
}
