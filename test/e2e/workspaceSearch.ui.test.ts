// Workspace semantic search through the workbench: index the workspace from the palette, search it in the quick pick
// as you type, and Find Similar in Workspace into the Semantic Search view (file → matches with score bars).
// Screenshots 11 and 12 (docs/screenshots/ under `npm run screenshots`; the README shows them).
import assert from 'node:assert/strict';
import { commandTitle, workbenchForSuite } from './workbench';

describe('workspace semantic search in the workbench (packaged .vsix)', function () {
  const ui = workbenchForSuite();

  it('Update Workspace Index shows the chunk count in the status bar', async function () {
    await ui.workbench.runCommand(commandTitle('minilm.updateIndex'));
    const count = ui.workbench.page.locator('.statusbar-item', { hasText: /\d+ chunks/ });
    await count.first().waitFor({ state: 'visible', timeout: 300_000 });
  });

  it('Search Workspace lists matches while typing, best first', async function () {
    const page = ui.workbench.page;
    await ui.workbench.runCommand(commandTitle('minilm.searchWorkspace'), { opensQuickInput: true });
    const pick = ui.workbench.quickInput.filter({ hasText: 'MiniLM: Search Workspace' });
    await pick.waitFor({ state: 'visible' });
    await pick.locator('input').pressSequentially('how do planets move around the sun', { delay: 20 });
    const rows = pick.locator('.monaco-list-row');
    await rows
      .first()
      .filter({ hasText: /planets travel around the Sun/ })
      .waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await rows.first().innerText(), /astronomy\.md:\d+/);
    await page.mouse.move(700, 700); // no hover tooltip over the list
    await ui.workbench.screenshot('11_search_workspace_quick_pick');
    await page.keyboard.press('Enter');
    await pick.waitFor({ state: 'hidden' });
    await ui.workbench.activeTab('astronomy.md').waitFor({ state: 'visible' });
  });

  it('Find Similar in Workspace fills the Semantic Search view: files, matches, score bars', async function () {
    const page = ui.workbench.page;
    // The editor opened by the previous step has the matching line selected: that is the query.
    await ui.workbench.runCommand(commandTitle('minilm.findSimilarInWorkspace'));
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Semantic Search/i }) });
    const match = view.locator('.monaco-list-row', { hasText: /▰/ }).first();
    await match.waitFor({ state: 'visible', timeout: 60_000 });
    await view
      .locator('.monaco-list-row', { hasText: /\.md|\.txt/ })
      .first()
      .waitFor({ state: 'visible' });
    // Collapse the folder tree so the view has the side bar's height for the screenshot.
    await page
      .locator('.pane-header', { hasText: /workspace/i })
      .filter({ hasNotText: /semantic/i })
      .first()
      .click();
    await page.mouse.move(900, 700);
    await page.waitForTimeout(500);
    await ui.workbench.screenshot('12_semantic_search_view');
    await match.click();
    await page
      .locator('.statusbar-item[id="status.editor.selection"]')
      .filter({ hasText: /Ln \d+, Col/ })
      .waitFor({ state: 'visible' });
  });
});
