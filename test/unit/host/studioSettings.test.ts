import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EDITOR_SETTING_NAMES,
  RESTRICTED_SETTINGS,
  engineOptionsFrom,
  readStudioSettings,
  remoteOptionsFrom,
  resolveUserPath,
  resultsFolderFor,
  resultsFolderPath,
  workspaceFolderOf,
  type SettingLayers,
} from '../../../src/host/studioSettings';
import { repoRoot } from '../../helpers/sharedPaths';

function inspector(layers: Record<string, SettingLayers<unknown>>) {
  return <T>(key: string) => layers[key] as SettingLayers<T> | undefined;
}

const paths = { workspaceFolder: '/ws', globalStorage: '/storage', workerPath: '/ext/dist/engineWorker.js', extensionPath: '/ext', trusted: true };

describe('studio settings', () => {
  const layers = {
    modelFolder: { defaultValue: '', globalValue: '/home/me/model', workspaceValue: '/evil/model' },
    hubEndpoint: { defaultValue: 'https://huggingface.co', workspaceValue: 'https://attacker.example' },
    resultsFolder: { defaultValue: 'results', workspaceValue: '../../outside' },
    allowDownload: { defaultValue: true, globalValue: false, workspaceValue: true },
    dtype: { defaultValue: 'fp32', workspaceValue: 'q8' },
    batchSize: { defaultValue: 32, workspaceValue: 8 },
    workers: { defaultValue: 1, workspaceValue: 2 },
    autoLoad: { defaultValue: false, workspaceValue: true },
  };

  it('trusted: workspace values win over user values', () => {
    const s = readStudioSettings(inspector(layers), true);
    assert.equal(s.modelFolder, '/evil/model');
    assert.equal(s.hubEndpoint, 'https://attacker.example');
    assert.equal(s.resultsFolder, '../../outside');
    assert.equal(s.allowDownload, true);
    assert.equal(s.dtype, 'q8');
  });

  it('untrusted (limited mode): restricted settings come from the user settings only, others still from the workspace', () => {
    const s = readStudioSettings(inspector(layers), false);
    assert.equal(s.modelFolder, '/home/me/model');
    assert.equal(s.hubEndpoint, 'https://huggingface.co');
    assert.equal(s.resultsFolder, 'results');
    assert.equal(s.allowDownload, false);
    assert.equal(s.dtype, 'q8', 'dtype is harmless and not restricted');
    assert.equal(s.batchSize, 8);
    assert.equal(s.workers, 2);
    assert.equal(s.autoLoad, false, 'a cloned repository cannot make the extension load a model on activation');
  });

  it('a remote backend is named by the user settings only in an untrusted workspace; the key comes from secret storage', () => {
    const remote = {
      backend: { defaultValue: 'local', globalValue: 'tei', workspaceValue: 'openai' },
      backendEndpoint: { defaultValue: '', globalValue: 'http://tei.internal:8080', workspaceValue: 'http://attacker.example/v1' },
      remoteModel: { defaultValue: '', workspaceValue: 'their-model' },
      batchSize: { defaultValue: 32 },
    };
    const untrusted = readStudioSettings(inspector(remote), false);
    assert.deepEqual(remoteOptionsFrom(untrusted, 'k'), {
      api: 'tei',
      endpoint: 'http://tei.internal:8080',
      model: undefined,
      batchSize: 32,
      policy: { apiKey: 'k' },
      names: EDITOR_SETTING_NAMES,
    });
    const trusted = readStudioSettings(inspector(remote), true);
    assert.deepEqual(remoteOptionsFrom(trusted, undefined), {
      api: 'openai',
      endpoint: 'http://attacker.example/v1',
      model: 'their-model',
      batchSize: 32,
      policy: { apiKey: undefined },
      names: EDITOR_SETTING_NAMES,
    });
    assert.equal(
      remoteOptionsFrom(readStudioSettings(inspector({ backend: { defaultValue: 'local', globalValue: 'grpc' } }), true), 'k'),
      undefined,
      'an unknown backend falls back to local',
    );
  });

  it('the restricted settings are exactly those package.json declares for untrusted workspaces', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const declared: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...declared].sort(), RESTRICTED_SETTINGS.map((key) => `minilm.${key}`).sort());
  });

  it("untrusted: the workspace's own models/ folder is not searched (its ONNX file is the repository's code)", () => {
    const settings = readStudioSettings(inspector({}), false);
    assert.equal(engineOptionsFrom(settings, { ...paths, trusted: false }).projectModelsDir, undefined);
    assert.equal(engineOptionsFrom(settings, paths).projectModelsDir, path.join('/ws', 'models'));
  });

  it('values of the wrong type or range fall back to the defaults', () => {
    const s = readStudioSettings(
      inspector({
        dtype: { workspaceValue: 'fp16' },
        batchSize: { globalValue: 0 },
        workers: { globalValue: 9 },
        autoLoad: { globalValue: 'yes' },
        hubRepository: { globalValue: '  ' },
      }),
      true,
    );
    assert.equal(s.dtype, 'fp32');
    assert.equal(s.batchSize, 32);
    assert.equal(s.workers, 1, 'more than 4 workers is out of range');
    assert.equal(s.autoLoad, false);
    assert.equal(s.hubRepository, 'Xenova/all-MiniLM-L6-v2');
  });

  it('engine options: model folder resolved, project models/ and cache under global storage, default hub values left to the engine', () => {
    const settings = readStudioSettings(inspector({ modelFolder: { workspaceValue: 'vendor/minilm' }, hubRevision: { globalValue: 'abc123' } }), true);
    const options = engineOptionsFrom(settings, paths);
    assert.equal(options.modelDir, path.resolve('/ws', 'vendor/minilm'));
    assert.equal(options.projectModelsDir, path.join('/ws', 'models'));
    assert.equal(options.bundledModelsDir, path.join('/ext', 'models'));
    assert.equal(options.cacheDir, path.join('/storage', 'models'));
    assert.deepEqual(options.hub, { revision: 'abc123' });
    assert.equal(options.workerPath, '/ext/dist/engineWorker.js');
    assert.equal(options.workers, 1);
    assert.equal(options.allowDownload, true);
  });

  it('workers are capped at the cores of the machine (the engine refuses more)', () => {
    const settings = readStudioSettings(inspector({ workers: { globalValue: 4 } }), true);
    assert.equal(settings.workers, 4);
    assert.equal(engineOptionsFrom(settings, paths).workers, Math.min(4, os.availableParallelism()));
  });

  it('an empty model folder leaves modelDir unset (so MINILM_MODEL_DIR and the lookup order apply)', () => {
    const options = engineOptionsFrom(readStudioSettings(inspector({}), true), { ...paths, workspaceFolder: undefined });
    assert.equal(options.modelDir, undefined);
    assert.equal(options.projectModelsDir, undefined);
  });

  it('a mirror endpoint is passed to the engine', () => {
    const settings = readStudioSettings(inspector({ hubEndpoint: { globalValue: 'https://hf-mirror.com' } }), false);
    assert.deepEqual(engineOptionsFrom(settings, paths).hub, { endpoint: 'https://hf-mirror.com' });
  });

  it('minilm.model: a catalogue id pins its repository and revision and wins over the model folder', () => {
    const settings = readStudioSettings(
      inspector({ model: { globalValue: 'paraphrase-multilingual-MiniLM-L12-v2' }, modelFolder: { globalValue: '/home/me/model' } }),
      true,
    );
    const options = engineOptionsFrom(settings, paths);
    assert.equal(options.modelDir, undefined);
    assert.equal(options.modelNamed, true);
    assert.equal(options.hub?.repository, 'Xenova/paraphrase-multilingual-MiniLM-L12-v2');
    assert.match(options.hub?.revision ?? '', /^[0-9a-f]{40}$/);
  });

  it('minilm.model: a folder is the model folder; a hub repository keeps its revision; nonsense is one clear error', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-setting-model-'));
    try {
      assert.equal(engineOptionsFrom(readStudioSettings(inspector({ model: { globalValue: folder } }), true), paths).modelDir, folder);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const hub = engineOptionsFrom(readStudioSettings(inspector({ model: { globalValue: 'someone/their-model@abc123' } }), true), paths);
    assert.deepEqual([hub.hub?.repository, hub.hub?.revision, hub.modelNamed], ['someone/their-model', 'abc123', true]);
    assert.throws(() => engineOptionsFrom(readStudioSettings(inspector({ model: { globalValue: 'not a model' } }), true), paths), /minilm models/);
  });

  it('untrusted: a workspace minilm.model is ignored (it could name a download of its choosing)', () => {
    const settings = readStudioSettings(inspector({ model: { defaultValue: '', workspaceValue: 'attacker/model' } }), false);
    assert.equal(settings.model, '');
    assert.equal(engineOptionsFrom(settings, { ...paths, trusted: false }).modelNamed, undefined);
  });

  it('~ expands to the home folder', () => {
    assert.equal(resolveUserPath('~/m', '/ws'), path.join(os.homedir(), 'm'));
  });

  it('results folder: inside the workspace, none without a workspace', () => {
    const s = readStudioSettings(inspector({}), true);
    assert.equal(resultsFolderPath(s, '/ws'), path.join('/ws', 'results'));
    assert.equal(resultsFolderPath({ ...s, resultsFolder: 'out/../runs' }, '/ws'), path.join('/ws', 'runs'));
    assert.equal(resultsFolderPath({ ...s, resultsFolder: '/ws/deep/r' }, '/ws'), path.join('/ws', 'deep', 'r'));
    assert.equal(resultsFolderPath(s, undefined), undefined);
  });

  it('results folder: a value that leaves the workspace folder is refused with the setting named', () => {
    const s = readStudioSettings(inspector({}), true);
    for (const value of ['../../x', '..', '/tmp/r', '../ws-evil', 'results/../../x']) {
      assert.throws(
        () => resultsFolderPath({ ...s, resultsFolder: value }, '/ws'),
        (error: Error) => {
          assert.match(error.message, /minilm\.resultsFolder/);
          assert.match(error.message, /outside the workspace folder/);
          return true;
        },
        value,
      );
    }
  });

  describe('results folder in a multi-root workspace (minilm.resultsFolder is folder-scoped)', () => {
    const folders = ['/ws/app', '/ws/docs', '/ws/app/nested'];
    // Each folder's settings as VS Code gives them for a resource in it: its own value, the workspace file's, the user's.
    const perFolder: Record<string, SettingLayers<unknown>> = {
      '/ws/app': { defaultValue: 'results', globalValue: 'user-results', workspaceValue: 'ws-results', workspaceFolderValue: 'app-results' },
      '/ws/docs': { defaultValue: 'results', globalValue: 'user-results', workspaceValue: 'ws-results' },
      '/ws/app/nested': { defaultValue: 'results', workspaceFolderValue: 'nested-results' },
    };
    const settingsOf = (trusted: boolean) => (folder: string) => readStudioSettings(inspector({ resultsFolder: perFolder[folder]! }), trusted);

    it("a file's results go to its own workspace folder, as that folder's value names it", () => {
      assert.deepEqual(resultsFolderFor('/ws/app/src/a.ts', folders, settingsOf(true)), { folder: '/ws/app', results: path.join('/ws/app', 'app-results') });
      assert.deepEqual(resultsFolderFor('/ws/docs/guide.minilm', folders, settingsOf(true)), {
        folder: '/ws/docs',
        results: path.join('/ws/docs', 'ws-results'),
      });
    });

    it('nested folders: the innermost holds the file; a file outside every folder, or none, goes to the first', () => {
      assert.equal(workspaceFolderOf('/ws/app/nested/x.txt', folders), '/ws/app/nested');
      assert.equal(workspaceFolderOf('/ws/app-other/x.txt', folders), '/ws/app', 'a sibling whose name starts alike is not inside');
      assert.equal(workspaceFolderOf(undefined, folders), '/ws/app');
      assert.equal(workspaceFolderOf('/x', []), undefined);
      assert.equal(resultsFolderFor('/x', [], settingsOf(true)), undefined);
    });

    it("limited mode reads neither the folder nor the workspace value (the user's applies, in the folder of the file)", () => {
      assert.deepEqual(resultsFolderFor('/ws/app/src/a.ts', folders, settingsOf(false)), { folder: '/ws/app', results: path.join('/ws/app', 'user-results') });
      assert.deepEqual(resultsFolderFor('/ws/app/nested/x', folders, settingsOf(false)), {
        folder: '/ws/app/nested',
        results: path.join('/ws/app/nested', 'results'),
      });
    });

    it("a folder's value that leaves that folder is refused, naming the setting", () => {
      const escaping = (folder: string) =>
        readStudioSettings(inspector({ resultsFolder: { defaultValue: 'results', workspaceFolderValue: folder === '/ws/docs' ? '../app' : 'r' } }), true);
      assert.equal(resultsFolderFor('/ws/app/a', folders, escaping)?.results, path.join('/ws/app', 'r'));
      assert.throws(() => resultsFolderFor('/ws/docs/a', folders, escaping), /minilm\.resultsFolder.*outside the workspace folder/s);
    });
  });
});
