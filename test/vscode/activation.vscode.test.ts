import assert from 'node:assert/strict';
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

  it('is not activated by start-up alone (activation is lazy)', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    assert.equal(extension.isActive, false, 'activated before any MiniLM command, notebook or panel was used');
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
