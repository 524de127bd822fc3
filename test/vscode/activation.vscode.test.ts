import assert from 'node:assert/strict';
import * as vscode from 'vscode';

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
});
