import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveModel } from '../../../src/engine/modelResolver';
import { EngineError } from '../../../src/engine/errors';
import { requiredFiles } from '../../../src/engine/types';

function fakeModel(dir: string, dtype: 'fp32' | 'q8' = 'fp32'): string {
  for (const file of requiredFiles(dtype)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '{}');
  }
  return dir;
}

describe('resolveModel', () => {
  let tmp: string;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-resolve-'));
    logs.length = 0;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env = {} as NodeJS.ProcessEnv;

  it('prefers the explicit folder, and accepts its parent holding all-MiniLM-L6-v2/', async () => {
    const model = fakeModel(path.join(tmp, 'shared', 'all-MiniLM-L6-v2'));
    fakeModel(path.join(tmp, 'project', 'all-MiniLM-L6-v2'));
    const direct = await resolveModel({ dtype: 'fp32', modelDir: model, projectModelsDir: path.join(tmp, 'project'), log, env });
    assert.deepEqual(direct, { dir: model, source: 'folder' });
    const parent = await resolveModel({ dtype: 'fp32', modelDir: path.join(tmp, 'shared'), log, env });
    assert.equal(parent.dir, model);
  });

  it('reads MINILM_MODEL_DIR when no folder is given', async () => {
    const model = fakeModel(path.join(tmp, 'm'));
    const found = await resolveModel({ dtype: 'fp32', log, env: { MINILM_MODEL_DIR: model } });
    assert.deepEqual(found, { dir: model, source: 'folder' });
  });

  it('an explicit folder without the model is an error naming the folder and the missing file', async () => {
    const dir = fakeModel(path.join(tmp, 'only-fp32'), 'fp32');
    await assert.rejects(resolveModel({ dtype: 'q8', modelDir: dir, log, env }), (error: EngineError) => {
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.match(error.message, /only-fp32/);
      assert.match(error.message, /model_quantized\.onnx/);
      return true;
    });
  });

  it('falls back from the project folder to the cache, and logs each step', async () => {
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    const cached = fakeModel(path.join(tmp, 'cache', 'org', 'model', 'abc'));
    const found = await resolveModel({ dtype: 'fp32', projectModelsDir: path.join(tmp, 'empty'), cacheDir: path.join(tmp, 'cache'), hub, log, env });
    assert.deepEqual(found, { dir: cached, source: 'cache' });
    assert.equal(logs.length, 2);
    assert.match(logs[0]!, /project models folder .*no fp32 model/);
    assert.match(logs[1]!, /cache .*found/);
  });

  it('looks in the bundled folder (offline VSIX) after the project folder and before the cache, per dtype', async () => {
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    const bundled = fakeModel(path.join(tmp, 'extension', 'models', 'all-MiniLM-L6-v2'), 'q8');
    const cached = fakeModel(path.join(tmp, 'cache', 'org', 'model', 'abc'), 'fp32');
    fakeModel(path.join(tmp, 'cache', 'org', 'model', 'abc'), 'q8');
    const request = { projectModelsDir: path.join(tmp, 'empty'), bundledModelsDir: path.join(tmp, 'extension', 'models'), cacheDir: path.join(tmp, 'cache'), hub, log, env };
    assert.deepEqual(await resolveModel({ ...request, dtype: 'q8' }), { dir: bundled, source: 'bundled' });
    assert.match(logs[1]!, /bundled models folder .*found/);
    // The offline VSIX ships q8 only: fp32 goes on to the cache.
    logs.length = 0;
    assert.deepEqual(await resolveModel({ ...request, dtype: 'fp32' }), { dir: cached, source: 'cache' });
    assert.match(logs[1]!, /bundled models folder .*no fp32 model/);
    const project = fakeModel(path.join(tmp, 'empty', 'all-MiniLM-L6-v2'), 'q8');
    assert.deepEqual(await resolveModel({ ...request, dtype: 'q8' }), { dir: project, source: 'project' });
  });

  it('without download permission, names every place it looked', async () => {
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    await assert.rejects(resolveModel({ dtype: 'fp32', projectModelsDir: path.join(tmp, 'p'), bundledModelsDir: path.join(tmp, 'b'), cacheDir: path.join(tmp, 'c'), hub, log, env }), (error: EngineError) => {
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.ok(error.message.includes(path.join(tmp, 'p', 'all-MiniLM-L6-v2')));
      assert.ok(error.message.includes(path.join(tmp, 'b', 'all-MiniLM-L6-v2')));
      assert.ok(error.message.includes(path.join(tmp, 'c', 'org', 'model', 'abc')));
      return true;
    });
  });
});
