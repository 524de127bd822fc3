/**
 * Plays the extension host for the Studio webview in a plain browser: serves the real bundle (media/dist) inside
 * the page the panel builds (same HTML builder, same CSP, with the server's origin as `webview.cspSource`), and
 * runs the real host-side request handlers over a real Engine. The page's `acquireVsCodeApi()` (harness.js)
 * forwards postMessage to POST /message and delivers host messages from a server-sent event stream.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Engine, ModelPool } from '../../../src/engine';
import type { TokenEmbeddings } from '../../../src/engine/types';
import type { RemoteEmbedder } from '../../../src/engine/remote';
import type { HostEncodedTexts } from '../../../src/host/studioServices';
import { StudioDispatcher } from '../../../src/panel/studioDispatcher';
import { createStudioRequestHandlers, type BackendEncodeOptions, type OtherModel, type StudioBackend } from '../../../src/panel/studioRequests';
import { studioHtml } from '../../../src/panel/studioHtml';
import { ENGLISH_STRINGS } from '../../../src/shared/studioUiStrings';
import {
  type ExportFormat,
  type HostMessage,
  type LoadedModelsView,
  type ModelPickerView,
  type ModelStatus,
  type StudioDtype,
  type StudioShowRequest,
  type WebviewCommand,
} from '../../../src/shared/studioProtocol';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';
import { modelPickerView } from '../../../src/host/modelPicker';
import { engineOptionsFrom, readStudioSettings, type HostPaths } from '../../../src/host/studioSettings';
import { loadedModelsView } from '../../../src/host/loadedModelsView';

/** The settings' defaults, with the test model as the model folder (as the in-host tests set minilm.modelFolder). */
const HARNESS_SETTINGS = { ...readStudioSettings(() => undefined, true), modelFolder: testModelDir() };

const HARNESS_DIR = path.join(repoRoot, 'test', 'webview', 'harness');
const DIST_DIR = path.join(repoRoot, 'media', 'dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html',
};

/** A StudioBackend over a plain Engine; dialogs, clipboard and commands are recorded for the tests to inspect. */
export class HarnessBackend implements StudioBackend {
  clipboard: string | undefined;
  readonly commands: WebviewCommand[] = [];
  readonly opened: string[] = [];
  /** What the next save dialog answers (null: the user cancels). */
  nextSavePath: string | null = null;
  /** What the next open dialog answers. */
  nextOpenFile: { file: string; text: string } | null = null;

  constructor(
    readonly engine: Engine,
    private readonly results: string | undefined,
    private readonly allowDownload: boolean,
    /** Embeds instead of the engine, as minilm.backend does in the extension (the engine is then never loaded). */
    private readonly remote?: RemoteEmbedder,
    /** Models notebooks would run besides the engine's, as the extension host's pool holds them. */
    readonly pool: ModelPool = new ModelPool({ budgetBytes: 64 * 1024 * 1024 }),
  ) {}

  status(): ModelStatus {
    const state = this.engine.state;
    const status: ModelStatus = { state: state.kind, dtype: this.engine.dtype, allowDownload: this.allowDownload, memoryRss: process.memoryUsage().rss };
    if (state.kind === 'downloading') status.download = { file: state.file, received: state.received, total: state.total };
    if (state.kind === 'ready') status.info = { ...state.info };
    if (state.kind === 'error') status.error = { code: state.code, message: state.message };
    if (this.remote) status.backend = { api: this.remote.api, host: new URL(this.remote.endpoint).host };
    return status;
  }
  async load(signal: AbortSignal): Promise<void> {
    if (this.remote) await this.remote.describe(signal);
    else await this.engine.load(signal);
  }
  unload(): Promise<void> {
    return this.engine.unload();
  }
  setDtype(dtype: StudioDtype): Promise<void> {
    return this.engine.configure({ dtype });
  }
  /** The harness's `minilm.model`; a pick reconfigures the engine as the extension host's settings listener does. */
  model = '';
  modelPicker(): ModelPickerView {
    return modelPickerView({ ...HARNESS_SETTINGS, model: this.model, dtype: this.engine.dtype }, this.paths);
  }
  loadedModels(): LoadedModelsView {
    return loadedModelsView(
      { state: this.engine.state, identity: `folder ${testModelDir()}`, dtype: this.engine.dtype, busy: 0 },
      this.pool.models(),
      this.pool.budgetBytes,
    );
  }
  async unloadPooled(key: string): Promise<void> {
    await this.pool.unload(key);
  }
  checkModel(value: string): void {
    engineOptionsFrom({ ...HARNESS_SETTINGS, model: value }, this.paths);
  }
  async setModel(value: string): Promise<void> {
    this.model = value;
    this.models.push(value);
    // As the extension host does on a changed model: unload; the next use loads what the settings name.
    await this.engine.unload();
  }
  /** Every value setModel was given. */
  readonly models: string[] = [];
  /** Folders the picker reads: an empty scratch cache, so nothing but the model folder counts as downloaded. */
  paths: HostPaths = { globalStorage: '/nonexistent-minilm-harness', workerPath: '', trusted: true };

  encodeWithTokens(texts: string[], options: BackendEncodeOptions): Promise<HostEncodedTexts> {
    if (this.remote) return this.remote.encode(texts, { signal: options.signal, onProgress: options.onProgress }).then((vectors) => ({ vectors }));
    return this.engine.encodeWithTokens(texts, { signal: options.signal, onProgress: options.onProgress });
  }
  /**
   * Models "Compare with" runs besides the active one. The extension host holds them in the same pool as notebook
   * models; here they get their own, with the download rules of the harness's settings.
   */
  private comparePool: ModelPool | undefined;
  /** Every value withModel was given. */
  readonly others: string[] = [];
  withModel<T>(model: string, signal: AbortSignal, work: (other: OtherModel) => Promise<T>): Promise<T> {
    this.others.push(model);
    const options = engineOptionsFrom({ ...HARNESS_SETTINGS, model, dtype: this.engine.dtype, allowDownload: this.allowDownload }, this.paths);
    this.comparePool ??= new ModelPool({
      shared: { cacheDir: options.cacheDir, allowDownload: this.allowDownload, workers: 1 },
      budgetBytes: 512 * 1024 * 1024,
    });
    const hub = options.modelNamed ? { repository: options.hub?.repository, revision: options.hub?.revision } : undefined;
    signal.throwIfAborted();
    return this.comparePool.use({ model: { modelDir: options.modelDir, hub, modelNamed: options.modelNamed, dtype: options.dtype } }, (engine) => work(engine));
  }
  async dispose(): Promise<void> {
    await this.comparePool?.dispose();
    await this.pool.dispose();
  }
  tokenEmbeddings(text: string, options: { signal: AbortSignal }): Promise<TokenEmbeddings> {
    return this.engine.tokenEmbeddings(text, { signal: options.signal });
  }
  async copyText(text: string): Promise<void> {
    this.clipboard = text;
  }
  async chooseSaveFile(_suggestedName: string, format: ExportFormat): Promise<string | null> {
    const target = this.nextSavePath;
    return target === null ? null : target.replace(/\.\w+$/, `.${format}`);
  }
  async openTextFile(): Promise<{ file: string; text: string } | null> {
    return this.nextOpenFile;
  }
  async resultsFolder(): Promise<string | undefined> {
    return this.results;
  }
  async openInEditor(file: string): Promise<void> {
    this.opened.push(file);
  }
  async runCommand(command: WebviewCommand): Promise<void> {
    this.commands.push(command);
  }
}

export interface HarnessOptions {
  engine: Engine;
  resultsFolder?: string;
  /** Strings to send instead of English (to check that the UI uses the dictionary from `init`). */
  strings?: Record<string, string>;
  language?: string;
  /** What `minilm.allowDownload` says to the panel (default true, the setting's default). */
  allowDownload?: boolean;
  /** A remote backend that embeds instead of `engine`. */
  remote?: RemoteEmbedder;
  /** Budget of the pool of notebook models (default 64 MiB). */
  poolBudgetBytes?: number;
}

export class StudioHarness {
  readonly backend: HarnessBackend;
  readonly received: unknown[] = [];
  readonly warnings: string[] = [];
  /** Sent with the next `init` (what a command asked for when opening the panel). */
  pendingRequest: StudioShowRequest | undefined;
  private readonly streams = new Set<http.ServerResponse>();
  private readonly dispatcher: StudioDispatcher;
  private server: http.Server | undefined;
  private origin = '';

  constructor(private readonly options: HarnessOptions) {
    // Pool changes are told once per turn of the event loop, as the extension host does.
    let queued = false;
    const pool = new ModelPool({
      shared: { threads: 1, workers: 1 },
      budgetBytes: options.poolBudgetBytes ?? 64 * 1024 * 1024,
      onChange: () => {
        if (queued) return;
        queued = true;
        setTimeout(() => {
          queued = false;
          this.post({ type: 'notification', method: 'model/loaded', params: this.backend.loadedModels() });
        }, 0);
      },
    });
    this.backend = new HarnessBackend(options.engine, options.resultsFolder, options.allowDownload ?? true, options.remote, pool);
    this.dispatcher = new StudioDispatcher(
      createStudioRequestHandlers(this.backend),
      (message) => this.post(message),
      { warn: (m) => this.warnings.push(m), error: (m) => this.warnings.push(m) },
      () => this.sendInit(),
    );
    options.engine.on('state', () => {
      this.post({ type: 'notification', method: 'model/state', params: this.backend.status() });
      this.post({ type: 'notification', method: 'model/loaded', params: this.backend.loadedModels() });
    });
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    this.dispatcher.cancelAll();
    await this.backend.dispose();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /** Sends a host notification (e.g. `show`) to the page. */
  post(message: HostMessage): void {
    const data = `data: ${JSON.stringify(message)}\n\n`;
    for (const stream of this.streams) stream.write(data);
  }

  /** Runs a message as if the page had sent it. */
  handle(message: unknown) {
    return this.dispatcher.handle(message);
  }

  private sendInit(): void {
    const strings = this.options.strings ?? { ...ENGLISH_STRINGS };
    this.post({
      type: 'notification',
      method: 'init',
      params: {
        strings,
        language: this.options.language ?? 'en',
        status: this.backend.status(),
        request: this.pendingRequest,
        hasResultsFolder: this.options.resultsFolder !== undefined,
      },
    });
    this.pendingRequest = undefined;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'POST' && url.pathname === '/message') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      res.writeHead(204).end();
      let message: unknown;
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        message = undefined;
      }
      this.received.push(message);
      void this.dispatcher.handle(message);
      return;
    }
    if (url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      this.streams.add(res);
      req.on('close', () => this.streams.delete(res));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(this.page(url.searchParams.get('theme') ?? 'dark'));
      return;
    }
    const file = url.pathname.startsWith('/dist/')
      ? path.join(DIST_DIR, path.normalize(url.pathname.slice('/dist/'.length)))
      : path.join(HARNESS_DIR, path.basename(url.pathname));
    if (!file.startsWith(DIST_DIR) && !file.startsWith(HARNESS_DIR)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (error, data) => {
      if (error) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(data);
    });
  }

  /** The panel's own HTML, plus the theme variables VS Code would inject and the harness's acquireVsCodeApi. */
  private page(theme: string): string {
    const nonce = 'harnessNonce' + Math.random().toString(36).slice(2);
    const html = studioHtml({
      cspSource: this.origin,
      nonce,
      scriptUri: `${this.origin}/dist/webview.js`,
      styleUri: `${this.origin}/dist/webview.css`,
      codiconUri: `${this.origin}/dist/codicons/codicon.css`,
      language: this.options.language ?? 'en',
      title: 'MiniLM Studio',
    });
    const themeFile = theme === 'light' ? 'theme-light.css' : theme === 'high-contrast' ? 'theme-hc.css' : 'theme-dark.css';
    const bodyClass = theme === 'light' ? 'vscode-light' : theme === 'high-contrast' ? 'vscode-high-contrast' : 'vscode-dark';
    // VS Code's postMessage is not subject to the page's CSP; the harness transport (fetch + EventSource) is, so
    // only its own origin is added as connect-src. Everything else is the panel's policy unchanged.
    return html
      .replace(/(http-equiv="Content-Security-Policy" content="[^"]*)"/, `$1; connect-src ${this.origin}"`)
      .replace('</head>', `<link rel="stylesheet" href="${this.origin}/${themeFile}" nonce="${nonce}">\n</head>`)
      .replace('<body>', `<body class="${bodyClass}">`)
      .replace('<script type="module"', `<script nonce="${nonce}" src="${this.origin}/harness.js"></script>\n<script type="module"`);
  }
}
