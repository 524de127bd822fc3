// The one engine of the extension host, configured from the `minilm.*` settings, with VS Code progress and logging.
import path from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_MEMORY_BUDGET_MB,
  Engine,
  EngineError,
  ModelPool,
  modelIdentity,
  resolveModel,
  runsModel,
  withAbort,
  type BatchProgress,
  type EngineOptions,
  type EngineState,
  type ModelChoice,
  type ModelInfo,
} from '../engine';
import { DEFAULT_ENDPOINT, DEFAULT_REMOTE_MODEL, RemoteEmbedder, remoteVectorCache } from '../engine/remote';
import type { DownloadProgress, Dtype, TokenEmbeddings } from '../engine/types';
import type { EmbedderFacts, EngineHost, HostEncodedTexts, HostEncodeOptions, RemoteBackendView } from './studioServices';
import { downloadPercent, formatMegabytes } from './statusBarView';
import { engineOptionsFrom, readStudioSettings, remoteOptionsFrom, type HostPaths, type StudioSettings } from './studioSettings';
import { identityLabel, loadedModelsView } from './loadedModelsView';
import type { LoadedModelsView } from '../shared/studioProtocol';

/** Where the remote backend's API key is kept: VS Code's secret storage, never a setting. */
export const BACKEND_API_KEY_SECRET = 'minilm.backendApiKey';

/** Encodes of more texts than this show a progress notification (smaller ones finish before it would be read). */
const PROGRESS_THRESHOLD = 64;

/** The first workspace folder, when it is on the local file system (the engine reads files with node:fs). */
export function localWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** Settings as they apply now: in an untrusted workspace the restricted ones come from the user settings only. */
export function currentSettings(trusted: boolean = vscode.workspace.isTrusted): StudioSettings {
  const config = vscode.workspace.getConfiguration('minilm');
  return readStudioSettings((key) => config.inspect(key), trusted);
}

/** An AbortSignal that fires with the token (the engine speaks signals, VS Code tokens). */
function signalFor(token: vscode.CancellationToken | undefined): { signal: AbortSignal | undefined; dispose(): void } {
  if (!token) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

export class VscodeEngineHost implements EngineHost {
  private readonly engine: Engine;
  private readonly stateEmitter = new vscode.EventEmitter<EngineState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The load shown in a progress notification, so that a second caller does not open another one. */
  private visibleLoad: Promise<ModelInfo> | undefined;
  /** Settings changes are applied one after another; tests await this to know the engine has caught up. */
  private configuring: Promise<void> = Promise.resolve();
  /** The options last given to the engine, as JSON. */
  private applied: string;
  /** The remote backend of `minilm.backend`, rebuilt when its settings or key change. */
  private remote: { embedder: RemoteEmbedder; options: string } | undefined;
  /** Remote vectors, kept across settings changes (keyed by backend, endpoint and model, so never mixed up). */
  private readonly remoteCache = remoteVectorCache();
  /** Models a notebook names besides the active one, each in its own worker, under `minilm.models.memoryBudgetMB`. */
  private readonly pool: ModelPool;
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeLoadedModels = this.loadedEmitter.event;
  /** A change of the loaded models is told once per turn of the event loop, however many steps made it. */
  private loadedChangeQueued = false;
  /** Requests running on the active engine through this host (the workspace index drives it directly, uncounted). */
  private activeBusy = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const options = this.engineOptions();
    this.applied = JSON.stringify(options);
    this.engine = new Engine(options);
    this.pool = new ModelPool({
      shared: sharedPoolOptions(options),
      budgetBytes: memoryBudgetBytes(),
      log: (message) => log.info(message),
      onChange: () => this.loadedModelsChanged(),
    });
    this.engine.on('log', (message) => log.info(message));
    this.engine.on('state', (state) => {
      if (state.kind === 'error') log.error(`${state.code}: ${state.message}`);
      else if (state.kind !== 'downloading') log.debug(`model state: ${state.kind}`);
      this.stateEmitter.fire(state);
      this.loadedModelsChanged();
    });
    this.disposables.push(
      this.stateEmitter,
      this.loadedEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('minilm')) this.queueReconfigure('settings changed');
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.queueReconfigure('workspace trusted')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.queueReconfigure('workspace folders changed')),
    );
    if (!vscode.workspace.isTrusted) {
      log.info("untrusted workspace: the workspace's models/ folder and its values of the model folder, hub, results and auto-load settings are ignored");
    }
  }

  get state(): EngineState {
    return this.engine.state;
  }

  get dtype(): Dtype {
    return this.engine.dtype;
  }

  /**
   * The engine itself, for the workspace index: the indexer drives it directly (load, countTokens, encode), so its
   * inference runs in the engine's worker like every other use. Everything else goes through this host.
   */
  engineForIndex(): Engine {
    return this.engine;
  }

  /**
   * The serving engine `minilm.backend` names (its key from secret storage), or undefined for `local`. With one, no
   * local model is loaded or downloaded: vectors, the model's identity and the index's chunk limit come from it.
   */
  async remoteEmbedder(): Promise<RemoteEmbedder | undefined> {
    const options = remoteOptionsFrom(currentSettings(), await this.context.secrets.get(BACKEND_API_KEY_SECRET));
    if (!options) return (this.remote = undefined);
    const id = JSON.stringify(options);
    if (this.remote?.options !== id) {
      this.remote = { embedder: new RemoteEmbedder({ ...options, cache: this.remoteCache, log: (message) => this.log.info(message) }), options: id };
      this.log.info(`embedding on the ${options.api} backend at ${this.remote.embedder.endpoint}`);
    }
    return this.remote.embedder;
  }

  /** The remote backend the settings name, as the panel and status bar show it (no request is made). */
  backend(): RemoteBackendView | undefined {
    const settings = currentSettings();
    if (settings.backend === 'local') return undefined;
    let host = settings.backendEndpoint;
    try {
      host = new URL(settings.backendEndpoint || DEFAULT_ENDPOINT[settings.backend] || '').host;
    } catch {
      // not a URL: shown as written, the first request says what is wrong with it
    }
    return { api: settings.backend, host, model: settings.remoteModel || DEFAULT_REMOTE_MODEL[settings.backend] };
  }

  async ensureReady(options: { token?: vscode.CancellationToken; silent?: boolean } = {}): Promise<EmbedderFacts> {
    const remote = await this.remoteEmbedder();
    if (!remote) {
      const info = await this.ensureLoaded(options);
      return { model: info.name, dtype: info.dtype, loadMs: info.loadMs };
    }
    // Asks the server what it serves (TEI: GET /info), so an unreachable or wrong endpoint is told before any work.
    const { model } = await this.withSignal(options.token, (signal) => remote.describe(signal));
    return { model, dtype: `remote:${remote.api}`, loadMs: 0 };
  }

  /** Engine options from the settings; `trusted` is a parameter so the in-host tests can check limited mode. */
  engineOptions(trusted: boolean = vscode.workspace.isTrusted): EngineOptions {
    const settings = currentSettings(trusted);
    const paths = this.hostPaths(trusted);
    try {
      return engineOptionsFrom(settings, paths);
    } catch (error) {
      // An unusable minilm.model must not stop activation: say so once, and use the other settings.
      const message = `minilm.model: ${error instanceof Error ? error.message : String(error)}`;
      if (message !== this.reportedModelError) {
        this.reportedModelError = message;
        this.log.error(message);
        void vscode.window.showWarningMessage(message);
      }
      return engineOptionsFrom({ ...settings, model: '' }, paths);
    }
  }

  /** The folders the settings are read against (workspace, storage, extension). */
  hostPaths(trusted: boolean = vscode.workspace.isTrusted): HostPaths {
    return {
      workspaceFolder: localWorkspaceFolder(),
      globalStorage: this.context.globalStorageUri.fsPath,
      workerPath: path.join(this.context.extensionPath, 'dist', 'engineWorker.js'),
      extensionPath: this.context.extensionPath,
      trusted,
    };
  }

  /** The last invalid minilm.model reported, so that each distinct mistake is shown once. */
  private reportedModelError: string | undefined;

  /** Resolves once every settings change seen so far has reached the engine. */
  async settled(): Promise<void> {
    await this.configuring;
    // The change event may not have reached this host yet: apply the current settings if they differ.
    if (JSON.stringify(this.engineOptions()) !== this.applied) {
      this.queueReconfigure('settings changed');
      await this.configuring;
    }
  }

  private queueReconfigure(reason: string): void {
    this.configuring = this.configuring
      .then(() => this.reconfigure(reason))
      .catch((error: unknown) => {
        this.log.error(`applying settings failed: ${error instanceof Error ? error.message : String(error)}`);
      });
  }

  private async reconfigure(reason: string): Promise<void> {
    const before = this.engine.dtype;
    const options = this.engineOptions();
    this.applied = JSON.stringify(options);
    this.pool.setBudget(memoryBudgetBytes());
    this.pool.setShared(sharedPoolOptions(options));
    this.loadedModelsChanged();
    // A changed dtype or model location unloads; the next use reloads (lazily, so a settings edit costs nothing).
    await this.engine.configure(options);
    this.log.info(`${reason}: dtype ${options.dtype}${before !== options.dtype ? ` (was ${before})` : ''}, model folder ${options.modelDir ?? '(not set)'}`);
  }

  ensureLoaded(options: { token?: vscode.CancellationToken; silent?: boolean } = {}): Promise<ModelInfo> {
    const state = this.engine.state;
    if (state.kind === 'ready') return Promise.resolve(state.info);
    if (options.silent) return this.withSignal(options.token, (signal) => this.engine.load(signal));
    if (this.visibleLoad) return this.withSignal(options.token, (signal) => withAbort(this.visibleLoad!, signal));
    const load = Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('MiniLM'), cancellable: true }, (progress, token) =>
        this.loadWithProgress(progress, token, options.token),
      ),
    );
    this.visibleLoad = load;
    const clear = () => {
      if (this.visibleLoad === load) this.visibleLoad = undefined;
    };
    load.then(clear, clear);
    return load;
  }

  private async loadWithProgress(
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
    callerToken: vscode.CancellationToken | undefined,
  ): Promise<ModelInfo> {
    const source = new vscode.CancellationTokenSource();
    const subscriptions = [token.onCancellationRequested(() => source.cancel())];
    if (callerToken) subscriptions.push(callerToken.onCancellationRequested(() => source.cancel()));
    const onState = (state: EngineState) => {
      if (state.kind === 'loading') progress.report({ message: vscode.l10n.t('Loading all-MiniLM-L6-v2 ({0})…', this.engine.dtype) });
    };
    const onDownload = downloadReporter(progress);
    this.engine.on('state', onState);
    this.engine.on('download', onDownload);
    progress.report({ message: vscode.l10n.t('Looking for all-MiniLM-L6-v2 ({0})…', this.engine.dtype) });
    try {
      return await this.withSignal(source.token, (signal) => this.engine.load(signal));
    } finally {
      this.engine.off('state', onState);
      this.engine.off('download', onDownload);
      for (const s of subscriptions) s.dispose();
      source.dispose();
    }
  }

  encode(texts: string[], options: HostEncodeOptions = {}): Promise<Float32Array[]> {
    return this.encodeWithTokens(texts, options).then((result) => result.vectors);
  }

  async encodeWithTokens(texts: string[], options: HostEncodeOptions = {}): Promise<HostEncodedTexts> {
    const remote = await this.remoteEmbedder();
    if (!remote) await this.ensureLoaded({ token: options.token, silent: options.onProgress !== undefined });
    // A server gives vectors only: word-piece counts would need the model's tokenizer here, so there are none.
    const run = (signal: AbortSignal | undefined, onProgress: ((p: BatchProgress) => void) | undefined): Promise<HostEncodedTexts> =>
      remote ? remote.encode(texts, { signal, onProgress }).then((vectors) => ({ vectors })) : this.engine.encodeWithTokens(texts, { signal, onProgress });
    if (!remote) return this.busyOnActive(() => this.encodeWithProgress(texts, options, run));
    return this.encodeWithProgress(texts, options, run);
  }

  /** Runs an encode with a progress notification when it is large enough to be worth one. */
  private async encodeWithProgress(
    texts: string[],
    options: HostEncodeOptions,
    run: (signal: AbortSignal | undefined, onProgress: ((p: BatchProgress) => void) | undefined) => Promise<HostEncodedTexts>,
  ): Promise<HostEncodedTexts> {
    if (options.onProgress || texts.length <= PROGRESS_THRESHOLD) {
      return this.withSignal(options.token, (signal) => run(signal, options.onProgress));
    }
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('MiniLM: encoding {0} texts', texts.length), cancellable: true },
      async (progress, token) => {
        const source = new vscode.CancellationTokenSource();
        const subscriptions = [token.onCancellationRequested(() => source.cancel())];
        if (options.token) subscriptions.push(options.token.onCancellationRequested(() => source.cancel()));
        let reported = 0;
        try {
          return await this.withSignal(source.token, (signal) =>
            run(signal, ({ done, total }) => {
              const percent = Math.floor((done / Math.max(1, total)) * 100);
              progress.report({ message: vscode.l10n.t('batch {0} of {1}', done, total), increment: percent - reported });
              reported = percent;
            }),
          );
        } finally {
          for (const s of subscriptions) s.dispose();
          source.dispose();
        }
      },
    );
  }

  async tokenEmbeddings(text: string, options: { token?: vscode.CancellationToken } = {}): Promise<TokenEmbeddings> {
    const remote = await this.remoteEmbedder();
    if (remote) {
      throw new EngineError(
        'REMOTE_UNSUPPORTED',
        vscode.l10n.t(
          'Explain needs the token embeddings of a local model, which the {0} backend at {1} does not give: set minilm.backend to "local" to explain a score.',
          remote.api,
          remote.endpoint,
        ),
      );
    }
    await this.ensureLoaded({ token: options.token, silent: true });
    return this.busyOnActive(() => this.withSignal(options.token, (signal) => this.engine.tokenEmbeddings(text, { signal })));
  }

  unload(): Promise<void> {
    return this.engine.unload();
  }

  /**
   * Runs `work` on the engine of `choice` (a notebook's or a cell's model): the active engine when it names the
   * active model, otherwise one from the pool, loaded on first use and kept while the budget allows. The pool is
   * rebuilt from the current settings' shared options (cache folder, workers, download) for each new model.
   */
  async withModel<T>(
    choice: ModelChoice,
    work: (engine: Engine, signal: AbortSignal | undefined) => Promise<T>,
    options: { token?: vscode.CancellationToken } = {},
  ): Promise<T> {
    await this.settled();
    const active = this.engineOptions();
    if (runsModel(active, choice)) return this.busyOnActive(() => this.withSignal(options.token, (signal) => work(this.engine, signal)));
    return this.withSignal(options.token, (signal) =>
      this.pool.use({ model: { ...choice, dtype: choice.dtype ?? active.dtype }, backend: 'local' }, (engine) => work(engine, signal)),
    );
  }

  loadedModels(): LoadedModelsView {
    const active = JSON.parse(this.applied) as EngineOptions;
    return loadedModelsView(
      { state: this.engine.state, identity: modelIdentity(active), dtype: this.engine.dtype, busy: this.activeBusy },
      this.pool.models(),
      this.pool.budgetBytes,
    );
  }

  async unloadPooled(key: string): Promise<void> {
    const model = this.pool.models().find((m) => m.key === key);
    if (!model) return;
    const name = model.info?.name ?? identityLabel(model.identity);
    if (model.busy > 0) throw new Error(vscode.l10n.t('{0} is busy with {1} running request(s): unload it once they have finished.', name, model.busy));
    await this.pool.unload(key);
    this.log.info(`model pool: unloaded ${name} ${model.dtype} (asked for in the Studio)`);
  }

  private loadedModelsChanged(): void {
    if (this.loadedChangeQueued) return;
    this.loadedChangeQueued = true;
    setTimeout(() => {
      this.loadedChangeQueued = false;
      this.loadedEmitter.fire();
    }, 0);
  }

  private async busyOnActive<T>(work: () => Promise<T>): Promise<T> {
    this.activeBusy++;
    this.loadedModelsChanged();
    try {
      return await work();
    } finally {
      this.activeBusy--;
      this.loadedModelsChanged();
    }
  }

  /**
   * Makes sure the configured dtype is in the per-user cache (downloading it when missing, whatever the model
   * folder or MINILM_MODEL_DIR say), then loads the model as configured.
   */
  async download(options: { token?: vscode.CancellationToken } = {}): Promise<ModelInfo> {
    const engineOptions = this.engineOptions();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('MiniLM: downloading the model'), cancellable: true },
      async (progress, token) => {
        const source = new vscode.CancellationTokenSource();
        const subscriptions = [token.onCancellationRequested(() => source.cancel())];
        if (options.token) subscriptions.push(options.token.onCancellationRequested(() => source.cancel()));
        try {
          await this.withSignal(source.token, (signal) =>
            resolveModel({
              dtype: engineOptions.dtype ?? 'fp32',
              cacheDir: engineOptions.cacheDir,
              allowDownload: true,
              hub: engineOptions.hub,
              signal,
              // Only the cache and the hub: an explicit folder or MINILM_MODEL_DIR would stop the download
              // (HF_ENDPOINT and the cache variables still apply).
              env: { ...process.env, MINILM_MODEL_DIR: undefined },
              log: (message) => this.log.info(message),
              onDownload: downloadReporter(progress),
            }),
          );
        } finally {
          for (const s of subscriptions) s.dispose();
          source.dispose();
        }
      },
    );
    return this.ensureLoaded({ token: options.token });
  }

  private async withSignal<T>(token: vscode.CancellationToken | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    const { signal, dispose } = signalFor(token);
    try {
      return await run(signal);
    } finally {
      dispose();
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.engine.dispose();
    void this.pool.dispose();
  }
}

/** `minilm.models.memoryBudgetMB` in bytes (the default for a value that is not a whole number from 64). */
function memoryBudgetBytes(): number {
  const value = vscode.workspace.getConfiguration('minilm').get<unknown>('models.memoryBudgetMB');
  const megabytes = Number.isInteger(value) && (value as number) >= 64 ? (value as number) : DEFAULT_MEMORY_BUDGET_MB;
  return megabytes * 1024 * 1024;
}

/** What every pooled engine takes from the active engine's options: where models are looked for and how they run. */
function sharedPoolOptions(options: EngineOptions): EngineOptions {
  const { modelDir: _dir, modelNamed: _named, hub, ...shared } = options;
  // The hub endpoint still applies; repository and revision are each model's own.
  return { ...shared, hub: hub?.endpoint ? { endpoint: hub.endpoint } : {} };
}

/** Reports download bytes to a VS Code progress notification, as the growth of the overall percentage. */
function downloadReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (p: DownloadProgress) => void {
  let reported = 0;
  return (p) => {
    const received = p.overallReceived ?? p.received;
    const total = p.overallTotal ?? p.total;
    const percent = downloadPercent(received, total);
    const message =
      total === undefined
        ? vscode.l10n.t('Downloading {0}: {1} MB', p.file, formatMegabytes(received))
        : vscode.l10n.t('Downloading {0}: {1} of {2} MB', p.file, formatMegabytes(received), formatMegabytes(total));
    // withProgress adds increments up; report only the growth of the percentage.
    const increment = percent !== undefined && percent > reported ? percent - reported : undefined;
    if (percent !== undefined) reported = Math.max(reported, percent);
    progress.report({ message, increment });
  };
}
