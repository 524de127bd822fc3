import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { identityLabel, loadedModelsView } from '../../../src/host/loadedModelsView';
import type { PooledModel } from '../../../src/engine/modelPool';
import type { ModelInfo } from '../../../src/engine/types';
import { tinyModelDir } from '../../helpers/tinyModels';

describe("host/loadedModelsView: the Model tab's loaded models", () => {
  it('names a model not loaded yet by its identity: catalogue id, folder name, repository with a short commit', () => {
    assert.equal(identityLabel('catalogue paraphrase-multilingual-MiniLM-L12-v2'), 'paraphrase-multilingual-MiniLM-L12-v2');
    assert.equal(identityLabel('folder /work/models/my model'), 'my model');
    assert.equal(identityLabel('hub baai/bge-m3@0123456789abcdef0123456789abcdef01234567'), 'baai/bge-m3@0123456');
    assert.equal(identityLabel('hub baai/bge-m3@main'), 'baai/bge-m3@main');
  });

  it("the active model first, with its weights once ready; pooled ones with key, bytes and busy; the pool's total", () => {
    const dir = tinyModelDir('bert-cls');
    const modelFile = path.join(dir, 'onnx', 'model.onnx');
    const info = { name: 'bert-cls', dtype: 'fp32', modelFile, workers: 2 } as ModelInfo;
    const pooled: PooledModel[] = [
      { key: 'a', identity: 'folder /m/xlmr', info: undefined, dtype: 'q8', state: 'loading', bytes: 1000, busy: 1 },
      { key: 'b', identity: 'catalogue bge-small-en-v1.5', info: undefined, dtype: 'fp32', state: 'unloaded', bytes: undefined, busy: 0 },
    ];
    const view = loadedModelsView({ state: { kind: 'ready', info }, identity: `folder ${dir}`, dtype: 'fp32', busy: 2 }, pooled, 5000);
    assert.deepEqual(view.models[0], { name: 'bert-cls', dtype: 'fp32', state: 'ready', bytes: fs.statSync(modelFile).size * 2, busy: 2, active: true });
    assert.deepEqual(view.models.slice(1), [
      { key: 'a', name: 'xlmr', dtype: 'q8', state: 'loading', bytes: 1000, busy: 1, active: false },
      { key: 'b', name: 'bge-small-en-v1.5', dtype: 'fp32', state: 'unloaded', busy: 0, active: false },
    ]);
    assert.equal(view.pooledBytes, 1000);
    assert.equal(view.budgetBytes, 5000);
    const unloaded = loadedModelsView({ state: { kind: 'unloaded' }, identity: 'catalogue all-MiniLM-L6-v2', dtype: 'q8', busy: 0 }, [], 5000);
    assert.deepEqual(unloaded.models, [{ name: 'all-MiniLM-L6-v2', dtype: 'q8', state: 'unloaded', busy: 0, active: true }]);
  });
});
