// Settings reach the engine, and limited mode (untrusted workspace) ignores workspace values of the restricted
// settings. The test host runs trusted, so limited mode is checked through engineOptions(trusted = false), which is
// exactly what the engine host uses when vscode.workspace.isTrusted is false.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { EngineState } from '../../src/engine/types';
import { extensionApi } from './extensionApi';

describe('settings', function () {
  this.timeout(120_000);
  let api: MiniLmExtensionApi;
  const config = () => vscode.workspace.getConfiguration('minilm');
  const workspaceModel = '/nonexistent/workspace-model';

  before(async () => {
    api = await extensionApi();
  });

  afterEach(async () => {
    for (const key of ['modelFolder', 'hubEndpoint', 'resultsFolder', 'batchSize', 'workers']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await api.engineHost.settled();
  });

  it('every contributed setting has a description and a default', () => {
    const extension = vscode.extensions.getExtension('minilm-studio.minilm-studio');
    const properties = extension?.packageJSON.contributes.configuration.properties as Record<
      string,
      { default?: unknown; markdownDescription?: string; description?: string }
    >;
    for (const key of ['modelFolder', 'hubEndpoint', 'dtype', 'batchSize', 'workers', 'resultsFolder', 'autoLoad', 'allowDownload']) {
      const p = properties[`minilm.${key}`];
      assert.ok(p, `minilm.${key} is not contributed`);
      assert.ok(p.default !== undefined, `minilm.${key} has no default`);
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 0, `minilm.${key} has no description`);
    }
  });

  it('limited mode ignores a workspace minilm.modelFolder and hub endpoint; trusted mode uses them', async () => {
    const userModel = config().inspect<string>('modelFolder')?.globalValue;
    await config().update('modelFolder', workspaceModel, vscode.ConfigurationTarget.Workspace);
    await config().update('hubEndpoint', 'https://mirror.invalid', vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();

    const trusted = api.engineHost.engineOptions(true);
    assert.equal(trusted.modelDir, workspaceModel);
    assert.equal(trusted.hub?.endpoint, 'https://mirror.invalid');

    const limited = api.engineHost.engineOptions(false);
    assert.equal(limited.modelDir, userModel ? path.resolve(userModel) : undefined, 'the user value, not the workspace one');
    assert.equal(limited.hub?.endpoint, undefined, 'the default endpoint, not the workspace mirror');
  });

  it('a results folder outside the workspace is refused even when trusted; limited mode ignores the workspace value', async () => {
    await config().update('resultsFolder', '../outside-the-workspace', vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.throws(() => api.services.resultsFolder(undefined, true), /outside the workspace folder/);
    const userValue = config().inspect<string>('resultsFolder')?.globalValue ?? 'results';
    assert.equal(api.services.resultsFolder(undefined, false)?.fsPath, path.resolve(folder, userValue));
  });

  it("minilm.resultsFolder is folder-scoped: a workspace folder's own value names the results folder of its files", async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const folderConfig = vscode.workspace.getConfiguration('minilm', folder.uri);
    // VS Code refuses a folder-level write to a setting that is not resource-scoped.
    await folderConfig.update('resultsFolder', 'folder-results', vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      assert.equal(folderConfig.inspect('resultsFolder')?.workspaceFolderValue, 'folder-results');
      const file = vscode.Uri.joinPath(folder.uri, 'samples', 'quickstart.minilm');
      assert.equal(api.services.resultsFolder(file)?.fsPath, path.join(folder.uri.fsPath, 'folder-results'));
      assert.equal((await api.services.checkedResultsFolder(file))?.fsPath, path.join(folder.uri.fsPath, 'folder-results'));
    } finally {
      await folderConfig.update('resultsFolder', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  it('Run Example Tests refuses a results folder that is a link out of the workspace and writes nothing there', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const outside = fs.mkdtempSync(path.join(path.dirname(folder), 'outside-'));
    const link = path.join(folder, 'linked-results');
    fs.symlinkSync(outside, link);
    await config().update('resultsFolder', 'linked-results', vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();
    try {
      await assert.rejects(api.services.checkedResultsFolder(), /outside the workspace folder/);
      await vscode.commands.executeCommand('minilm.runExamples', { openStudio: false }).then(undefined, () => undefined);
      assert.deepEqual(fs.readdirSync(outside), [], 'a result file was written outside the workspace');
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a workspace batch size reaches the engine options (it is not restricted)', async () => {
    await config().update('batchSize', 8, vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();
    assert.equal(api.engineHost.engineOptions(true).batchSize, 8);
    assert.equal(api.engineHost.engineOptions(false).batchSize, 8);
  });

  it('minilm.workers = 2 reloads the model on two workers, which encode a large request like one does', async () => {
    const texts = Array.from({ length: 160 }, (_, i) => `sentence ${i} about ${['rivers', 'compilers', 'tea', '音乐'][i % 4]} ${'and more '.repeat(i % 9)}`);
    // The batch size comes from the setting (encode takes none), like every other caller's.
    await config().update('batchSize', 16, vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();
    const one = await api.services.engine.encodeWithTokens(texts);
    await config().update('workers', 2, vscode.ConfigurationTarget.Workspace);
    await api.engineHost.settled();
    assert.equal(api.services.engine.state.kind, 'unloaded', 'a different worker count reloads the model');
    const progress: number[] = [];
    const two = await api.services.engine.encodeWithTokens(texts, { onProgress: (p) => progress.push(p.done) });
    // (read again: the load since the assertion above changed it)
    const state = api.services.engine.state as EngineState;
    assert.ok(state.kind === 'ready' && state.info.workers === 2, JSON.stringify(state));
    assert.deepEqual(two.tokens, one.tokens);
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, k) => sum + x * b[k]!, 0);
    two.vectors.forEach((v, i) => assert.ok(cosine(v, one.vectors[i]!) > 0.99999, `text ${i}`));
    assert.equal(progress.at(-1), 10, "both workers' batches counted: 2 × ceil(80 / 16)");
  });

  it('the engine looks in <workspace>/models and keeps its cache in the extension’s global storage', () => {
    const options = api.engineHost.engineOptions();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.equal(options.projectModelsDir, path.join(folder, 'models'));
    assert.equal(options.cacheDir, path.join(api.services.context.globalStorageUri.fsPath, 'models'));
    assert.ok(options.workerPath?.endsWith(path.join('dist', 'engineWorker.js')));
  });

  it('@untrusted limited mode: a workspace minilm.modelFolder is ignored and the model loads from the user setting', async function () {
    if (process.env.MINILM_TEST_TRUSTED !== '0') this.skip();
    assert.equal(vscode.workspace.isTrusted, false, 'the untrusted pass opened a trusted workspace');
    const userModel = config().inspect<string>('modelFolder')?.globalValue;
    assert.ok(userModel, 'the test run sets minilm.modelFolder in the user settings');
    // Written to the folder's settings file as a cloned repository would carry it (restricted mode hides these
    // values from inspect(), and the engine host must not read them from anywhere else either).
    const folderPath = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const settingsFile = path.join(folderPath, '.vscode', 'settings.json');
    const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const planted = { ...(original ? JSON.parse(original) : {}), 'minilm.modelFolder': workspaceModel, 'minilm.resultsFolder': '../outside-the-workspace' };
    fs.writeFileSync(settingsFile, JSON.stringify(planted));
    try {
      await untrustedChecks(userModel);
    } finally {
      if (original === undefined) fs.rmSync(settingsFile, { force: true });
      else fs.writeFileSync(settingsFile, original);
    }
  });

  async function untrustedChecks(userModel: string): Promise<void> {
    // Give the settings file watcher time to pick the file up, so that a leak of the value would show below.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await api.engineHost.settled();

    assert.equal(api.engineHost.engineOptions().modelDir, path.resolve(userModel));
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.equal(api.services.resultsFolder()?.fsPath, path.resolve(folder, config().inspect<string>('resultsFolder')?.globalValue ?? 'results'));

    const info = await vscode.commands.executeCommand<{ dir: string; source: string } | undefined>('minilm.loadModel');
    assert.ok(info, `the model did not load: ${JSON.stringify(api.services.engine.state)}`);
    assert.equal(info.source, 'folder');
    assert.ok(!info.dir.startsWith(workspaceModel), `loaded from ${info.dir}`);
    assert.equal(info.dir, path.resolve(userModel));
  }
});
