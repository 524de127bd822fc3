// The offline .vsix (`npm run package:offline`), installed into a code-server with no model folder setting, no
// MINILM_MODEL_DIR, an unreachable hub and downloads off: the model it ships is the only one it can find, and a
// person loads it and compares two texts. Run by `npm run test:ui` after the main UI suite.
import assert from 'node:assert/strict';
import type { Browser, FrameLocator } from 'playwright-core';
import { commandTitle, launchBrowser, uiEnvironment, Workbench } from './workbench';

describe('the offline package (model inside the .vsix)', function () {
  const env = uiEnvironment();
  let browser: Browser;
  let workbench: Workbench;
  let studio: FrameLocator;

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

  it('loads the bundled q8 model from the Model tab with no setting and no network', async function () {
    await workbench.runCommand(commandTitle('minilm.openStudio'));
    studio = workbench.webview();
    await studio.getByRole('tab', { name: 'Model' }).click();
    await studio.getByRole('button', { name: 'Load', exact: true }).click();
    await studio.locator('[data-testid="model-state"]').filter({ hasText: 'Ready' }).waitFor({ state: 'visible', timeout: 180_000 });
    await studio.locator('[data-testid="model-source"]').filter({ hasText: 'Shipped with the extension' }).waitFor({ state: 'visible' });
    const dtype = await studio.locator('[data-testid="model-dtype"]').innerText();
    assert.match(dtype, /q8/, `the offline package defaults to the q8 weights it ships; the tab shows "${dtype}"`);
    await workbench.screenshot('08_offline_package_model');
  });

  it('compares two texts with the bundled model', async function () {
    await studio.getByRole('tab', { name: 'Similarity' }).click();
    await studio.locator('#similarity-a').locator('textarea').fill('A man is playing a guitar.');
    await studio.locator('#similarity-b').locator('textarea').fill('Someone plays an acoustic guitar on stage.');
    await studio.getByRole('button', { name: 'Compare', exact: true }).click();
    const cosine = studio.locator('[data-testid="cosine"]');
    await cosine.waitFor({ state: 'visible' });
    const value = Number((await cosine.innerText()).trim());
    assert.ok(Number.isFinite(value) && value > 0.5 && value <= 1, `cosine shown as ${await cosine.innerText()}`);
  });
});
