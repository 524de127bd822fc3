// The offline .vsix (`npm run package:offline`), installed into a code-server with no model folder setting, no
// MINILM_MODEL_DIR, an unreachable hub and downloads off: the model it ships is the only one it can find, and a
// person loads it and compares two texts. Run by `npm run test:ui` after the main UI suite.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { commandTitle, compareInStudio, workbenchForSuite } from './workbench';

describe('the offline package (model inside the .vsix)', function () {
  const ui = workbenchForSuite();
  let studio: FrameLocator;

  it('loads the bundled q8 model from the Model tab with no setting and no network', async function () {
    await ui.workbench.runCommand(commandTitle('minilm.openStudio'));
    studio = ui.workbench.webview();
    await studio.getByRole('tab', { name: 'Model' }).click();
    await studio.getByRole('button', { name: 'Load', exact: true }).click();
    await studio.locator('[data-testid="model-state"]').filter({ hasText: 'Ready' }).waitFor({ state: 'visible', timeout: 180_000 });
    await studio.locator('[data-testid="model-source"]').filter({ hasText: 'Shipped with the extension' }).waitFor({ state: 'visible' });
    const dtype = await studio.locator('[data-testid="model-dtype"]').innerText();
    assert.match(dtype, /q8/, `the offline package defaults to the q8 weights it ships; the tab shows "${dtype}"`);
    await ui.workbench.screenshot('08_offline_package_model');
  });

  it('compares two texts with the bundled model', async function () {
    const { cosine, shown } = await compareInStudio(studio, 'A man is playing a guitar.', 'Someone plays an acoustic guitar on stage.');
    assert.ok(Number.isFinite(cosine) && cosine > 0.5 && cosine <= 1, `cosine shown as ${shown}`);
  });
});
