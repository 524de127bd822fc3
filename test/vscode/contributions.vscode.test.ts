// How the extension fits into the workbench: the context keys its menus read, the menus themselves (as the host
// parsed them from package.json), the Compare Selection key binding and the order of the settings.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import { EXTENSION_ID, closeAllEditors, extensionApi } from './extensionApi';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  when?: string;
}

describe('workbench contributions', function () {
  this.timeout(180_000);
  let api: MiniLmExtensionApi;
  let manifest: {
    contributes: {
      menus: Record<string, MenuItem[]>;
      keybindings: Keybinding[];
      commands: { command: string; title: string; shortTitle?: string }[];
      configuration: { properties: Record<string, { order?: number }> };
    };
  };

  before(async () => {
    api = await extensionApi();
    manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    await api.engineHost.settled();
  });

  after(closeAllEditors);

  const menu = (id: string) => manifest.contributes.menus[id] ?? [];
  const entry = (id: string, command: string, when?: string) => menu(id).find((m) => m.command === command && (when === undefined || m.when === when));

  it('minilm.modelLoaded follows loading and unloading the model', async () => {
    await vscode.commands.executeCommand('minilm.unloadModel');
    assert.equal(api.contextKeys.get('minilm.modelLoaded'), false);
    await vscode.commands.executeCommand('minilm.loadModel');
    assert.equal(api.engineHost.state.kind, 'ready', JSON.stringify(api.engineHost.state));
    assert.equal(api.contextKeys.get('minilm.modelLoaded'), true);
    await vscode.commands.executeCommand('minilm.unloadModel');
    assert.equal(api.engineHost.state.kind, 'unloaded');
    assert.equal(api.contextKeys.get('minilm.modelLoaded'), false);
  });

  it('the palette and the notebook toolbar offer Load or Unload, never both', () => {
    for (const id of ['commandPalette', 'notebook/toolbar']) {
      const load = menu(id).find((m) => m.command === 'minilm.loadModel');
      const unload = menu(id).find((m) => m.command === 'minilm.unloadModel');
      assert.ok(load?.when?.includes('!minilm.modelLoaded'), `${id}: Load Model when ${load?.when}`);
      assert.ok(unload?.when && /(^|&& )minilm\.modelLoaded\b/.test(unload.when), `${id}: Unload Model when ${unload?.when}`);
    }
  });

  it('every menu names a registered command, and the menus the editor offers are there', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const [id, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(registered.has(item.command), `${id}: ${item.command} is not registered`);
    }
    for (const command of ['minilm.compareSelection', 'minilm.encodeSelection', 'minilm.findSimilar']) {
      const item = entry('editor/context', command);
      assert.ok(item, `editor/context lacks ${command}`);
      // With no selection these commands take the cursor's line, so the menu must not hide them.
      assert.ok(!item.when?.includes('editorHasSelection'), `editor/context ${command} hidden without a selection`);
    }
    assert.ok(entry('editor/title', 'minilm.compareSelection'), 'editor/title lacks Compare Selection');
    assert.ok(entry('notebook/toolbar', 'minilm.openStudio', 'notebookType == minilm-notebook'), 'notebook/toolbar lacks Open Studio');
    assert.ok(entry('explorer/context', 'minilm.searchWorkspace'), 'explorer/context lacks Search Workspace');
    assert.ok(entry('file/newFile', 'minilm.newNotebook'), 'file/newFile lacks New MiniLM Notebook');
  });

  it('New File… lists "MiniLM Notebook" and it opens a MiniLM notebook', async () => {
    const command = manifest.contributes.commands.find((c) => c.command === 'minilm.newNotebook');
    assert.equal(command?.shortTitle, 'MiniLM Notebook');
    await vscode.commands.executeCommand('minilm.newNotebook');
    assert.equal(vscode.window.activeNotebookEditor?.notebook.notebookType, 'minilm-notebook');
  });

  it('Compare Selection has ctrl+alt+m (cmd+alt+m on macOS), which no default key binding of VS Code uses', async () => {
    const binding = manifest.contributes.keybindings.find((k) => k.command === 'minilm.compareSelection');
    assert.deepEqual(binding && { key: binding.key, mac: binding.mac, when: binding.when }, { key: 'ctrl+alt+m', mac: 'cmd+alt+m', when: 'editorTextFocus' });
    // The host's own default key bindings (this platform's), as VS Code lists them for the user.
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString().includes('keybindings'), `opened ${editor?.document.uri.toString()}`);
    const text = editor.document.getText();
    const boundTo = (key: string) => [...text.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].filter((m) => m[1] === key).map((m) => m[2]!);
    // The same reading finds a binding every VS Code has, so an empty answer below means "free", not "misread".
    assert.ok(boundTo('ctrl+shift+p').includes('workbench.action.showCommands'), 'the default key bindings were not read');
    const clashes = boundTo('ctrl+alt+m').filter((c) => c !== 'minilm.compareSelection');
    assert.deepEqual(clashes, [], `ctrl+alt+m is already bound to ${clashes.join(', ')}`);
  });

  it('every setting has an order, and no two share one', () => {
    const orders = Object.entries(manifest.contributes.configuration.properties).map(([key, p]) => [key, p.order] as const);
    const missing = orders.filter(([, order]) => typeof order !== 'number').map(([key]) => key);
    assert.deepEqual(missing, []);
    assert.equal(new Set(orders.map(([, order]) => order)).size, orders.length);
  });
});
