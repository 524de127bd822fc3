// The packaged extension, installed from its .vsix into code-server, used through the workbench like a person would.
// Each step leaves a screenshot in docs/screenshots/ (the README shows them). Run with `npm run test:ui`.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { commandTitle, launchBrowser, uiEnvironment, Workbench } from './workbench';

describe('MiniLM Studio in the workbench (packaged .vsix)', function () {
  const env = uiEnvironment();
  let browser: Browser;
  let workbench: Workbench;

  before(async function () {
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, env);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench.saveFailure(this.currentTest.fullTitle());
  });

  after(async function () {
    await browser?.close();
  });

  it('lists the MiniLM commands in the command palette', async function () {
    await workbench.waitForPaletteRow(commandTitle('minilm.openStudio'), 'MiniLM');
    await workbench.screenshot('01_command_palette');
    // One query per command: the list is virtual, rows scrolled out of view are not in the DOM.
    for (const id of ['minilm.loadModel', 'minilm.runExamples', 'minilm.newNotebook', 'minilm.showLog']) {
      await workbench.waitForPaletteRow(commandTitle(id), commandTitle(id), 10_000);
    }
    await workbench.closePalette();
  });

  it('opens the Studio panel from the palette', async function () {
    await workbench.runCommand(commandTitle('minilm.openStudio'));
    await workbench.activeTab(/MiniLM/).waitFor({ state: 'visible' });
    const view = workbench.webview();
    await view.locator('body').waitFor({ state: 'visible' });
    await view.getByRole('tab').first().waitFor({ state: 'visible' });
    const tabs = await view.getByRole('tab').allInnerTexts();
    assert.ok(tabs.length >= 5, `expected the Model, Similarity, Encode, Search and Examples tabs, saw: ${tabs.join(' | ')}`);
  });
});
