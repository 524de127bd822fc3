import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';

const extensionId = 'minilm-studio.minilm-studio';

interface ContributedCommand {
  command: string;
}

describe('activation', () => {
  it('the extension is installed in the host', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not in vscode.extensions.all`);
    assert.equal(extension.packageJSON.name, 'minilm-studio');
  });

  it('activates by itself once start-up has finished (onStartupFinished, for minilm.autoLoad)', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    const deadline = Date.now() + 60_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(extension.isActive, true, 'not active 60 s after the test host started, with no MiniLM command used');
  });

  it('activates and registers every contributed minilm.* command', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const contributed = (extension.packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('does not load the model on activation (minilm.autoLoad is off)', async () => {
    const extension = vscode.extensions.getExtension<MiniLmExtensionApi>(extensionId);
    assert.ok(extension);
    const api = await extension.activate();
    assert.ok(api?.engineHost, 'activate() returned no API');
    assert.equal(vscode.workspace.getConfiguration('minilm').get('autoLoad'), false);
    assert.equal(api.engineHost.state.kind, 'unloaded');
  });
});

// Runs in the second pass of scripts/e2e/runInHostTests.mjs, with workspace trust on and the folder untrusted.
describe('activation in an untrusted workspace @untrusted', () => {
  it('opens the folder in restricted mode and still activates (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: the untrusted pass was not set up');
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, 'the extension is disabled in an untrusted workspace');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('minilm.openStudio'), 'minilm.openStudio is not registered in restricted mode');
  });
});

// The untrusted pass opens a folder that carries its own models/all-MiniLM-L6-v2/ and a .vscode/settings.json with
// "minilm.autoLoad": true (scripts/e2e/workspace.mjs addRepositoryModelAndAutoLoad), as a hostile clone would.
describe('a cloned repository in an untrusted workspace @untrusted', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('minilm');

  it('activating loads nothing: the repository\'s "minilm.autoLoad": true is ignored', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.ok(fs.existsSync(path.join(folder, 'models', 'all-MiniLM-L6-v2', 'onnx', 'model.onnx')), 'the untrusted pass did not plant models/');
    assert.match(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8'), /"minilm\.autoLoad": true/);
    const api = await vscode.extensions.getExtension<MiniLmExtensionApi>(extensionId)!.activate();
    // An auto-load starts right after activation; give it time to show before looking.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(api.engineHost.state.kind, 'unloaded', `state ${JSON.stringify(api.engineHost.state)}`);
  });

  it("the repository's models/ folder is never searched, even with no model folder set anywhere", async () => {
    const api = await vscode.extensions.getExtension<MiniLmExtensionApi>(extensionId)!.activate();
    assert.equal(api.engineHost.engineOptions().projectModelsDir, undefined);
    const envFolder = process.env.MINILM_MODEL_DIR;
    delete process.env.MINILM_MODEL_DIR;
    // code-server writes Global values of this machine-overridable setting to the remote user settings, which win
    // over the local ones the launcher wrote: an empty value there clears the folder; removing it restores the test's.
    await config().update('modelFolder', '', vscode.ConfigurationTarget.Global);
    await api.engineHost.settled();
    assert.equal(api.engineHost.engineOptions().modelDir, undefined, 'the user model folder is still set');
    try {
      await vscode.commands.executeCommand('minilm.loadModel');
      const state = api.engineHost.state;
      assert.notEqual(state.kind, 'ready', `loaded ${JSON.stringify(state)}`);
      assert.ok(state.kind === 'error' && state.code === 'MODEL_NOT_FOUND', JSON.stringify(state));
      const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      assert.ok(!state.message.includes(path.join(folder, 'models')), `the lookup named the repository's folder: ${state.message}`);
    } finally {
      if (envFolder !== undefined) process.env.MINILM_MODEL_DIR = envFolder;
      await config().update('modelFolder', undefined, vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
      await vscode.commands.executeCommand('minilm.unloadModel');
    }
  });
});

// Runs in the third pass of scripts/e2e/runInHostTests.mjs: a trusted workspace whose user settings have
// "minilm.autoLoad": true. Nothing here activates the extension or runs a command: start-up alone must load.
describe('minilm.autoLoad at start-up @autoload', function () {
  this.timeout(180_000);

  it('loads the model after start-up with no command, and says so through minilm.modelLoaded', async () => {
    assert.equal(vscode.workspace.getConfiguration('minilm').get('autoLoad'), true, 'the autoload pass did not set minilm.autoLoad');
    const extension = vscode.extensions.getExtension<MiniLmExtensionApi>(extensionId);
    assert.ok(extension);
    const deadline = Date.now() + 150_000;
    while (!(extension.isActive && extension.exports?.engineHost.state.kind === 'ready') && Date.now() < deadline) {
      if (extension.isActive && extension.exports?.engineHost.state.kind === 'error') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(extension.isActive, true, 'the extension did not activate after start-up');
    const api = extension.exports;
    assert.equal(api.engineHost.state.kind, 'ready', `state ${JSON.stringify(api.engineHost.state)}`);
    assert.equal(api.contextKeys.get('minilm.modelLoaded'), true);
  });
});
