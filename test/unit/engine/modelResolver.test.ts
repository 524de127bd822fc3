import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { resolveModel } from '../../../src/engine/modelResolver';
import { readRecordedDigests, RECORDED_DIGESTS_FILE } from '../../../src/engine/recordedDigests';
import { EngineError } from '../../../src/engine/errors';
import { PINNED_REVISION } from '../../../src/engine/hubDownload';
import { requiredFiles } from '../../../src/engine/types';
import { fakeModel } from '../../helpers/fakeModelFolder';
import { startLocalHub, type LocalHub } from '../../helpers/localHubServer';

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
    assert.deepEqual(direct, { dir: model, source: 'folder', knownDefault: true });
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
    const cached = fakeModel(path.join(tmp, 'cache', 'unpinned', 'org', 'model', 'abc'));
    const found = await resolveModel({ dtype: 'fp32', projectModelsDir: path.join(tmp, 'empty'), cacheDir: path.join(tmp, 'cache'), hub, log, env });
    assert.deepEqual(found, { dir: cached, source: 'cache', verification: 'hub-reported', origin: { repository: 'org/model', revision: 'abc' } });
    assert.equal(logs.length, 3);
    assert.match(logs[0]!, /project models folder .*no fp32 model/);
    assert.match(logs[1]!, /cache .*found/);
    assert.match(logs[2]!, /no digests were recorded when it was downloaded .*not verified/);
  });

  it('looks in the bundled folder (offline VSIX) after the project folder and before the cache, per dtype', async () => {
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    const bundled = fakeModel(path.join(tmp, 'extension', 'models', 'all-MiniLM-L6-v2'), 'q8');
    const cached = fakeModel(path.join(tmp, 'cache', 'unpinned', 'org', 'model', 'abc'), 'fp32');
    fakeModel(path.join(tmp, 'cache', 'unpinned', 'org', 'model', 'abc'), 'q8');
    const request = {
      projectModelsDir: path.join(tmp, 'empty'),
      bundledModelsDir: path.join(tmp, 'extension', 'models'),
      cacheDir: path.join(tmp, 'cache'),
      hub,
      log,
      env,
    };
    assert.deepEqual(await resolveModel({ ...request, dtype: 'q8' }), { dir: bundled, source: 'bundled', knownDefault: true });
    assert.match(logs[1]!, /bundled models folder .*found/);
    // The offline VSIX ships q8 only: fp32 goes on to the cache.
    logs.length = 0;
    assert.deepEqual(await resolveModel({ ...request, dtype: 'fp32' }), {
      dir: cached,
      source: 'cache',
      verification: 'hub-reported',
      origin: { repository: 'org/model', revision: 'abc' },
    });
    assert.match(logs[1]!, /bundled models folder .*no fp32 model/);
    const project = fakeModel(path.join(tmp, 'empty', 'all-MiniLM-L6-v2'), 'q8');
    assert.deepEqual(await resolveModel({ ...request, dtype: 'q8' }), { dir: project, source: 'project', knownDefault: true });
  });

  it('without download permission, names every place it looked', async () => {
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    await assert.rejects(
      resolveModel({
        dtype: 'fp32',
        projectModelsDir: path.join(tmp, 'p'),
        bundledModelsDir: path.join(tmp, 'b'),
        cacheDir: path.join(tmp, 'c'),
        hub,
        log,
        env,
      }),
      (error: EngineError) => {
        assert.equal(error.code, 'MODEL_NOT_FOUND');
        assert.ok(error.message.includes(path.join(tmp, 'p', 'all-MiniLM-L6-v2')));
        assert.ok(error.message.includes(path.join(tmp, 'b', 'all-MiniLM-L6-v2')));
        assert.ok(error.message.includes(path.join(tmp, 'c', 'unpinned', 'org', 'model', 'abc')));
        return true;
      },
    );
  });
});

describe('resolveModel: the cache is keyed by repository and revision', () => {
  let tmp: string;
  let hub: LocalHub;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const env = {} as NodeJS.ProcessEnv;
  const pinnedFolder = (cache: string) => path.join(cache, 'Xenova', 'all-MiniLM-L6-v2', PINNED_REVISION);

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-resolve-'));
    logs.length = 0;
    // A mirror of the pinned revision serving fake bytes, with a file list and headers that vouch for them, and
    // answering for any revision string.
    hub = await startLocalHub({ revision: PINNED_REVISION });
    hub.faults.anyRevision = true;
  });
  afterEach(async () => {
    await hub.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('never lets a branch or another spelling of the pinned commit put unpinned bytes in the pinned folder', async () => {
    const cacheDir = path.join(tmp, 'cache');
    for (const revision of ['main', `./${PINNED_REVISION}`, `${PINNED_REVISION}/.`]) {
      const resolved = await resolveModel({ dtype: 'fp32', cacheDir, allowDownload: true, hub: { endpoint: hub.endpoint, revision }, log, env });
      assert.equal(resolved.verification, 'hub-reported', revision);
      assert.ok(resolved.dir.startsWith(path.join(cacheDir, 'unpinned') + path.sep), `${revision}: ${resolved.dir}`);
      assert.equal(fs.existsSync(pinnedFolder(cacheDir)), false, `${revision} reached the pinned folder`);
    }
    assert.ok(
      logs.some((m) => m.includes('unpinned Xenova/all-MiniLM-L6-v2@main')),
      logs.join('\n'),
    );
    // Capitals are the pinned commit itself: held to the pinned table, which refuses the mirror's files.
    await assert.rejects(
      resolveModel({ dtype: 'fp32', cacheDir, allowDownload: true, hub: { endpoint: hub.endpoint, revision: PINNED_REVISION.toUpperCase() }, log, env }),
      (error: EngineError) => error.code === 'CHECKSUM_MISMATCH' && /config\.json/.test(error.message),
    );
    assert.equal(fs.existsSync(pinnedFolder(cacheDir)), false);
  });

  it('keeps a revision one folder name: ".." does not climb out of the cache', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const resolved = await resolveModel({
      dtype: 'fp32',
      cacheDir,
      allowDownload: true,
      hub: { endpoint: hub.endpoint, revision: '../../../escape' },
      log,
      env,
    });
    assert.ok(resolved.dir.startsWith(path.join(cacheDir, 'unpinned') + path.sep), resolved.dir);
    assert.equal(fs.existsSync(path.join(tmp, 'escape')), false);
    await assert.rejects(
      resolveModel({ dtype: 'fp32', cacheDir, allowDownload: true, hub: { endpoint: hub.endpoint, repository: '../..', revision: 'main' }, log, env }),
      (error: EngineError) => error.code === 'INVALID_INPUT',
    );
  });

  it('records the digests of an unpinned download and holds later loads to them', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const request = { cacheDir, allowDownload: true, hub: { endpoint: hub.endpoint, revision: 'main' }, log, env };
    const first = await resolveModel({ ...request, dtype: 'fp32' });
    assert.equal(first.source, 'hub');
    const record = readRecordedDigests(first.dir);
    assert.ok(record, 'no record written');
    assert.deepEqual(Object.keys(record.files).sort(), [...requiredFiles('fp32')].sort());
    const model = path.join(first.dir, 'onnx', 'model.onnx');
    const bytes = fs.readFileSync(model);
    assert.equal(record.files['onnx/model.onnx']!.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(record.files['onnx/model.onnx']!.size, bytes.length);
    assert.equal(record.repository, 'Xenova/all-MiniLM-L6-v2');
    assert.equal(record.revision, 'main');

    // The other dtype's download adds its file and keeps the rest.
    await resolveModel({ ...request, dtype: 'q8' });
    assert.ok(readRecordedDigests(first.dir)!.files['onnx/model_quantized.onnx'], 'q8 file recorded');
    assert.ok(readRecordedDigests(first.dir)!.files['config.json'], 'earlier entries kept');

    // Unchanged: loads. One byte changed on disk (same size): refused, naming the file, never loaded.
    assert.equal((await resolveModel({ ...request, dtype: 'fp32' })).source, 'cache');
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(model, bytes);
    await assert.rejects(
      resolveModel({ ...request, dtype: 'fp32' }),
      (error: EngineError) => error.code === 'CHECKSUM_MISMATCH' && error.message.includes(model) && /recorded when it was downloaded/.test(error.message),
    );
    // A folder from an earlier release (no record) still loads, and the log says it was not verified.
    fs.rmSync(path.join(first.dir, RECORDED_DIGESTS_FILE));
    logs.length = 0;
    assert.equal((await resolveModel({ ...request, dtype: 'fp32' })).source, 'cache');
    assert.ok(
      logs.some((m) => /no digests were recorded/.test(m)),
      logs.join('\n'),
    );
  });

  it('downloads only the files a cache folder is missing', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const request = { cacheDir, allowDownload: true, hub: { endpoint: hub.endpoint, revision: 'main' }, log, env };
    await resolveModel({ ...request, dtype: 'fp32' });
    hub.requests.length = 0;
    const q8 = await resolveModel({ ...request, dtype: 'q8' });
    assert.equal(q8.source, 'hub');
    assert.ok(hub.requestsFor('onnx/model_quantized.onnx').length > 0);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) assert.equal(hub.requestsFor(file).length, 0, `${file} fetched again`);
  });
});
