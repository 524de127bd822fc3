// The status bar item follows the model through a load and a dtype switch:
// not loaded → loading → ready fp32; minilm.dtype = q8 → not loaded → loading → ready q8.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { ModelInfo } from '../../src/engine/types';
import { extensionApi, waitFor } from './extensionApi';

describe('status bar', function () {
  this.timeout(300_000);
  let api: MiniLmExtensionApi;
  const config = () => vscode.workspace.getConfiguration('minilm');
  let originalDtype: string | undefined;

  before(async () => {
    api = await extensionApi();
    originalDtype = config().inspect<string>('dtype')?.globalValue;
    if (config().get('dtype') !== 'fp32') {
      await config().update('dtype', 'fp32', vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
    }
  });

  after(async () => {
    await config().update('dtype', originalDtype, vscode.ConfigurationTarget.Global);
    await api.engineHost.settled();
  });

  /** Runs `work` and records the status bar text at every engine state change. */
  async function recordTexts(work: () => Thenable<unknown>): Promise<string[]> {
    const texts: string[] = [];
    // Registered after the status bar's own listener, so the item is already updated when this one runs.
    const listener = api.services.engine.onDidChangeState(() => texts.push(api.statusBar.view.text));
    try {
      await work();
    } finally {
      listener.dispose();
    }
    return texts;
  }

  it('not loaded → loading → ready fp32 on Load Model', async () => {
    await api.services.engine.unload();
    assert.equal(api.statusBar.view.text, '$(circle-large-outline) MiniLM');
    assert.equal(api.statusBar.view.command, 'minilm.loadModel');
    assert.match(api.statusBar.view.tooltip, /not loaded \(fp32\)/);
    let info: ModelInfo | undefined;
    const texts = await recordTexts(async () => {
      info = await vscode.commands.executeCommand<ModelInfo>('minilm.loadModel');
    });
    assert.equal(info?.dtype, 'fp32');
    assert.deepEqual(texts, ['$(loading~spin) MiniLM', '$(check) MiniLM fp32']);
    assert.equal(api.statusBar.view.command, 'minilm.openStudio');
    assert.match(api.statusBar.view.tooltip, /all-MiniLM-L6-v2 fp32 ready \(384 dimensions, max 256 word pieces\)/);
  });

  it('switching minilm.dtype to q8 unloads; the next use reloads and shows ready q8', async () => {
    assert.equal(api.services.engine.state.kind, 'ready');
    const unloaded = await recordTexts(async () => {
      await config().update('dtype', 'q8', vscode.ConfigurationTarget.Global);
      await waitFor(() => api.services.engine.state.kind === 'unloaded' && api.services.engine.dtype === 'q8', 'the dtype switch to unload the model');
    });
    assert.deepEqual(unloaded, ['$(circle-large-outline) MiniLM'], 'the switch unloads lazily (no load until the model is used)');
    assert.match(api.statusBar.view.tooltip, /not loaded \(q8\)/);

    const texts = await recordTexts(() => vscode.commands.executeCommand('minilm.encodeSelection', { text: 'The weather is lovely today.' }));
    assert.deepEqual(texts, ['$(loading~spin) MiniLM', '$(check) MiniLM q8']);
    const state = api.services.engine.state;
    assert.ok(state.kind === 'ready' && state.info.dtype === 'q8' && state.info.modelFile.endsWith('model_quantized.onnx'));
  });

  it('Unload Model returns to not loaded', async () => {
    await vscode.commands.executeCommand('minilm.unloadModel');
    assert.equal(api.services.engine.state.kind, 'unloaded');
    assert.equal(api.statusBar.view.text, '$(circle-large-outline) MiniLM');
  });

  it('a model folder without the model shows the error state; clicking it shows the log', async () => {
    const original = config().inspect<string>('modelFolder')?.globalValue;
    try {
      await config().update('modelFolder', '/nonexistent/minilm-model', vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
      assert.equal(api.engineHost.engineOptions().modelDir, '/nonexistent/minilm-model');
      const info = await vscode.commands.executeCommand('minilm.loadModel');
      assert.equal(info, undefined, 'the command reports the error instead of throwing');
      const state = api.services.engine.state;
      assert.ok(state.kind === 'error' && state.code === 'MODEL_NOT_FOUND', JSON.stringify(state));
      assert.equal(api.statusBar.view.text, '$(error) MiniLM');
      assert.equal(api.statusBar.view.command, 'minilm.showLog');
      assert.match(api.statusBar.view.tooltip, /nonexistent\/minilm-model/);
    } finally {
      await config().update('modelFolder', original, vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
    }
  });
});
