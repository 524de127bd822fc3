import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheLocation, findLocalModel, resolveModel } from '../../../src/engine/modelResolver';
import { MODEL_CATALOGUE, catalogueEntry } from '../../../src/engine/modelCatalogue';
import { fakeModel } from '../../helpers/fakeModelFolder';
import { catalogueIdOf, configuredModelName, modelPickerView, modelSettingUpdate, settingValueFor } from '../../../src/host/modelPicker';
import { readStudioSettings, type HostPaths, type StudioSettings } from '../../../src/host/studioSettings';

describe('model picker (host side)', () => {
  let tmp: string;
  let paths: HostPaths;
  const env = {} as NodeJS.ProcessEnv;
  const settings = (overrides: Partial<StudioSettings> = {}): StudioSettings => ({ ...readStudioSettings(() => undefined, true), ...overrides });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-picker-'));
    paths = { workspaceFolder: path.join(tmp, 'ws'), globalStorage: path.join(tmp, 'storage'), workerPath: '', trusted: true };
    fs.mkdirSync(paths.workspaceFolder!, { recursive: true });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists the whole catalogue with the size of the configured dtype, marking the entry minilm.model names', () => {
    const view = modelPickerView(settings({ model: 'bge-small-zh-v1.5', dtype: 'q8' }), paths, env);
    assert.deepEqual(
      view.entries.map((e) => e.id),
      MODEL_CATALOGUE.map((e) => e.id),
    );
    assert.deepEqual(
      view.entries.filter((e) => e.current).map((e) => e.id),
      ['bge-small-zh-v1.5'],
    );
    const zh = view.entries.find((e) => e.id === 'bge-small-zh-v1.5')!;
    assert.equal(zh.dimension, 512);
    assert.deepEqual(zh.pooling, ['cls']);
    assert.equal(zh.licence, 'MIT');
    assert.deepEqual(zh.download, { bytes: 716 + 439_125 + 367 + 24_010_842, exact: true });
    assert.deepEqual(zh.verifiedDtypes, ['q8']);
    assert.equal(zh.local, undefined, 'nothing is downloaded in an empty cache');
  });

  it('an empty setting is the default entry; a hub name or folder marks none', () => {
    assert.equal(catalogueIdOf('', paths), 'all-MiniLM-L6-v2');
    assert.equal(catalogueIdOf('Xenova/bge-small-en-v1.5', paths), 'bge-small-en-v1.5', 'the pinned repository is its entry');
    assert.equal(catalogueIdOf('BAAI/bge-m3', paths), undefined);
    const view = modelPickerView(settings({ model: 'BAAI/bge-m3' }), paths, env);
    assert.equal(
      view.entries.some((e) => e.current),
      false,
    );
    assert.equal(view.setting, 'BAAI/bge-m3');
  });

  it('says "downloaded" where the engine would load from: the pinned cache folder, the project models folder, the model folder for the default', async () => {
    const cacheDir = path.join(paths.globalStorage, 'models');
    const zh = catalogueEntry('bge-small-zh-v1.5')!;
    const cached = fakeModel(cacheLocation(cacheDir, { endpoint: '', repository: zh.repository, revision: zh.revision }).dir, 'q8');
    const project = fakeModel(path.join(paths.workspaceFolder!, 'models', 'bge-small-en-v1.5'), 'fp32');
    const folder = fakeModel(path.join(tmp, 'my-minilm'), 'fp32');
    const view = modelPickerView(settings({ dtype: 'q8', modelFolder: folder }), paths, env);
    const local = Object.fromEntries(view.entries.map((e) => [e.id, e.local]));
    assert.deepEqual(local['bge-small-zh-v1.5'], { source: 'cache', dir: cached });
    assert.equal(local['bge-small-en-v1.5'], undefined, 'the project copy has fp32 only, and q8 is configured');
    assert.equal(local['all-MiniLM-L6-v2'], undefined, 'the folder has fp32 only');
    const fp32 = modelPickerView(settings({ dtype: 'fp32', modelFolder: folder }), paths, env);
    const localFp32 = Object.fromEntries(fp32.entries.map((e) => [e.id, e.local]));
    assert.deepEqual(localFp32['bge-small-en-v1.5'], { source: 'project', dir: project });
    assert.deepEqual(localFp32['all-MiniLM-L6-v2'], { source: 'folder', dir: folder });
    // An untrusted workspace's models/ folder is never searched, by the engine nor by the picker.
    const untrusted = modelPickerView(settings({ dtype: 'fp32' }), { ...paths, trusted: false }, env);
    assert.equal(untrusted.entries.find((e) => e.id === 'bge-small-en-v1.5')!.local, undefined);
  });

  it('findLocalModel agrees with resolveModel without downloading, hashing or writing', async () => {
    const project = path.join(tmp, 'project');
    const cacheDir = path.join(tmp, 'cache');
    const hub = { endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision: 'abc' };
    const base = { dtype: 'fp32' as const, projectModelsDir: project, cacheDir, hub, modelNamed: true, env };
    assert.equal(findLocalModel(base), undefined);
    await assert.rejects(resolveModel({ ...base, log: () => undefined }), /not found/);
    const cached = fakeModel(path.join(cacheDir, 'unpinned', 'org', 'model', 'abc'), 'fp32');
    assert.deepEqual(findLocalModel(base), { dir: cached, source: 'cache' });
    assert.equal((await resolveModel({ ...base, log: () => undefined })).dir, cached);
    const local = fakeModel(path.join(project, 'model'), 'fp32');
    assert.deepEqual(findLocalModel(base), { dir: local, source: 'project' });
    assert.equal((await resolveModel({ ...base, log: () => undefined })).dir, local);
    assert.equal(findLocalModel({ ...base, modelDir: path.join(tmp, 'nothing') }), undefined, 'an explicit folder is the only place looked at');
  });

  it("the status bar name: none for the default, the id, the hub repository or the folder's name otherwise", () => {
    assert.equal(configuredModelName('', paths), undefined);
    assert.equal(configuredModelName('all-MiniLM-L6-v2', paths), undefined);
    assert.equal(configuredModelName('multilingual-e5-small', paths), 'multilingual-e5-small');
    assert.equal(configuredModelName('BAAI/bge-m3@main', paths), 'BAAI/bge-m3@main');
    fs.mkdirSync(path.join(paths.workspaceFolder!, 'my-model'));
    assert.equal(configuredModelName('my-model', paths), 'my-model');
    assert.equal(configuredModelName(path.join(paths.workspaceFolder!, 'my-model'), paths), 'my-model');
  });

  it('the default entry is picked as an empty minilm.model, every other one by its id', () => {
    assert.equal(settingValueFor(catalogueEntry('all-MiniLM-L6-v2')!), '');
    assert.equal(settingValueFor(catalogueEntry('multilingual-e5-small')!), 'multilingual-e5-small');
  });

  it('writes where the value in effect comes from, as a settings edit would; untrusted workspaces write the user settings', () => {
    assert.deepEqual(modelSettingUpdate(undefined, true, 'bge-small-zh-v1.5'), { target: 'global', value: 'bge-small-zh-v1.5' });
    assert.deepEqual(modelSettingUpdate({ globalValue: 'x' }, true, 'y'), { target: 'global', value: 'y' });
    assert.deepEqual(modelSettingUpdate({ workspaceValue: 'x' }, true, 'y'), { target: 'workspace', value: 'y' });
    assert.deepEqual(modelSettingUpdate({ workspaceValue: 'x', workspaceFolderValue: 'z' }, true, 'y'), { target: 'workspaceFolder', value: 'y' });
    assert.deepEqual(
      modelSettingUpdate({ workspaceValue: 'x' }, false, 'y'),
      { target: 'global', value: 'y' },
      'the workspace value does not apply in restricted mode',
    );
  });

  it('going back to the default writes an empty value in that layer (never removes the key, see modelSettingUpdate)', () => {
    assert.deepEqual(modelSettingUpdate({ globalValue: 'bge-small-zh-v1.5' }, true, ''), { target: 'global', value: '' });
    assert.deepEqual(modelSettingUpdate({ workspaceValue: 'a', globalValue: 'b' }, true, ''), { target: 'workspace', value: '' });
  });
});
