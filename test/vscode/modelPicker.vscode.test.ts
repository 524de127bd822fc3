// The Studio's model picker in a real extension host: a pick writes minilm.model in the user settings, the status bar
// names the model at once, nothing is downloaded (minilm.allowDownload is off in the test settings, and the load that
// follows says the model is not found), and picking all-MiniLM-L6-v2 back empties the setting so the test model
// folder is used again, and stays so through later settings changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { HostResponse, ModelPickerView, ModelStatus } from '../../src/shared/studioProtocol';
import { closeAllEditors, extensionApi, testModelFolder, waitFor } from './extensionApi';

type Panel = NonNullable<ReturnType<MiniLmExtensionApi['studioPanel']>>;
const config = () => vscode.workspace.getConfiguration('minilm');

describe('Studio model picker', function () {
  this.timeout(300_000);
  let api: MiniLmExtensionApi;
  let panel: Panel;
  let nextId = 1_000;
  let originalModelFolder: string | undefined;

  async function send(method: string, params: unknown = {}): Promise<HostResponse> {
    const response = await panel.handleRequestForTest({ type: 'request', id: nextId++, method, params });
    assert.ok(response, `${method}: no response`);
    return response;
  }
  async function request<T>(method: string, params: unknown = {}): Promise<T> {
    const response = await send(method, params);
    assert.ok(response.ok, `${method} failed: ${JSON.stringify(!response.ok && response.error)}`);
    return response.result as T;
  }

  before(async () => {
    api = await extensionApi();
    originalModelFolder = config().inspect<string>('modelFolder')?.globalValue;
    await vscode.commands.executeCommand('minilm.openStudio');
    await waitFor(() => api.studioPanel() !== undefined, 'the Studio panel', 30_000);
    panel = api.studioPanel()!;
    await panel.whenReadyForTest();
  });

  after(async () => {
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    // In code-server, a write to the user settings leaves the extension host without the machine-overridable
    // minilm.modelFolder the launcher wrote (the file still has it); writing it again brings it back for later suites.
    await config().update('modelFolder', undefined, vscode.ConfigurationTarget.Global);
    await config().update('modelFolder', originalModelFolder, vscode.ConfigurationTarget.Global);
    await api.services.engine.settled();
    await closeAllEditors();
  });

  it('picking a catalogue model writes minilm.model and the status bar names it, without downloading; picking all-MiniLM-L6-v2 back loads the test model', async () => {
    assert.equal(api.services.engine.dtype, 'fp32', 'the test settings use fp32');
    const before = await request<ModelPickerView>('model/catalogue');
    const current = before.entries.find((e) => e.current);
    assert.equal(current?.id, 'all-MiniLM-L6-v2');
    assert.deepEqual(current?.local, { source: 'folder', dir: path.resolve(testModelFolder()) });
    const en = before.entries.find((e) => e.id === 'bge-small-en-v1.5')!;
    assert.equal(en.local, undefined, 'the test profile has no bge-small-en-v1.5');

    const picked = await request<ModelPickerView>('model/pick', { id: 'bge-small-en-v1.5' });
    assert.equal(config().inspect<string>('model')?.globalValue, 'bge-small-en-v1.5');
    assert.equal(picked.entries.find((e) => e.current)?.id, 'bge-small-en-v1.5');
    await waitFor(() => api.statusBar.view.text.includes('bge-small-en-v1.5'), 'the status bar to name the picked model', 10_000);
    assert.match(api.statusBar.view.tooltip, /bge-small-en-v1\.5 not loaded \(fp32\)/);

    // The consent path is unchanged: with downloads off, using the model says it is not here; nothing was fetched.
    const load = await send('model/load');
    assert.equal(load.ok, false);
    assert.equal(!load.ok && load.error.code, 'MODEL_NOT_FOUND');
    const status = await request<ModelStatus>('model/status');
    assert.equal(status.state, 'error');
    assert.equal(api.statusBar.view.text, '$(error) MiniLM · bge-small-en-v1.5');
    const cache = path.join(api.services.context.globalStorageUri.fsPath, 'models', 'Xenova', 'bge-small-en-v1.5');
    assert.equal(fs.existsSync(path.join(cache, en.revision, 'onnx', 'model.onnx')), false, 'nothing was downloaded');

    // An id outside the catalogue is refused and the setting is left alone.
    const unknown = await send('model/pick', { id: 'Xenova/evil' });
    assert.equal(!unknown.ok && unknown.error.code, 'INVALID_INPUT');
    assert.equal(config().inspect<string>('model')?.globalValue, 'bge-small-en-v1.5');

    const back = await request<ModelPickerView>('model/pick', { id: 'all-MiniLM-L6-v2' });
    assert.equal(config().get<string>('model'), '', 'the default is the empty value');
    assert.equal(back.entries.find((e) => e.current)?.id, 'all-MiniLM-L6-v2');
    const loaded = await request<ModelStatus>('model/load');
    assert.equal(loaded.state, 'ready');
    assert.equal(loaded.info?.name, 'all-MiniLM-L6-v2');
    assert.equal(loaded.info?.source, 'folder');
    assert.equal(loaded.info?.similarityFunction, 'cosine');
    await waitFor(() => api.statusBar.view.text === '$(check) MiniLM fp32', 'the status bar to show the default model ready', 10_000);
  });
});
