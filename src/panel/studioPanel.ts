import * as vscode from 'vscode';
import type { StudioServices } from '../host/studioServices';
import { type HostMessage, type HostResponse, type InitParams, type StudioShowRequest as ProtocolShowRequest } from '../shared/studioProtocol';
import { StudioDispatcher } from './studioDispatcher';
import { createStudioRequestHandlers } from './studioRequests';
import { createNonce, studioHtml } from './studioHtml';
import { translatedStrings } from './studioStrings';
import { VscodeStudioBackend, modelStatusOf } from './vscodeStudioBackend';

export type StudioShowRequest = ProtocolShowRequest;

/** Registers the serializer that brings the panel back after a window reload. */
export function registerStudioPanel(services: StudioServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(StudioPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      StudioPanel.revive(panel, services);
    },
  });
}

/** The five-tab Studio webview panel. At most one exists; `show` reveals it and forwards what a command asks for. */
export class StudioPanel {
  static readonly viewType = 'minilm.studio';
  /** The open panel, if any (the in-host tests drive it through this). */
  static current: StudioPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly dispatcher: StudioDispatcher;
  /** Delivered with `init` when the webview is not listening yet. */
  private pendingRequest: StudioShowRequest | undefined;
  private ready = false;
  private readonly readyWaiters: Array<() => void> = [];

  static show(services: StudioServices, request?: StudioShowRequest): StudioPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (StudioPanel.current) {
      StudioPanel.current.panel.reveal(undefined, false);
      if (request) StudioPanel.current.showRequest(request);
      return StudioPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      StudioPanel.viewType,
      vscode.l10n.t('MiniLM Studio'),
      { viewColumn: column, preserveFocus: false },
      StudioPanel.webviewOptions(services.context.extensionUri),
    );
    StudioPanel.current = new StudioPanel(panel, services, request);
    return StudioPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, services: StudioServices): StudioPanel {
    StudioPanel.current?.dispose();
    panel.webview.options = StudioPanel.webviewOptions(services.context.extensionUri);
    StudioPanel.current = new StudioPanel(panel, services, undefined);
    return StudioPanel.current;
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // State lives in the webview's getState/setState; keeping hidden webviews alive would cost memory for nothing.
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media', 'dist')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: StudioServices,
    request: StudioShowRequest | undefined,
  ) {
    this.pendingRequest = request;
    const backend = new VscodeStudioBackend(services);
    this.dispatcher = new StudioDispatcher(
      createStudioRequestHandlers(backend),
      (message) => this.post(message),
      services.log,
      () => this.sendInit(),
    );
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((data: unknown) => void this.dispatcher.handle(data)),
      services.engine.onDidChangeState((state) => {
        this.post({ type: 'notification', method: 'model/state', params: modelStatusOf(services) });
        // A download or a load may have filled the cache: the picker's "downloaded" column follows.
        if (state.kind === 'ready' || state.kind === 'error') this.postPicker(backend);
      }),
      services.engine.onDidChangeLoadedModels(() => {
        if (this.ready) this.post({ type: 'notification', method: 'model/loaded', params: backend.loadedModels() });
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['minilm.dtype', 'minilm.backend', 'minilm.backendEndpoint', 'minilm.remoteModel'].some((key) => e.affectsConfiguration(key))) {
          this.post({ type: 'notification', method: 'model/state', params: modelStatusOf(services) });
        }
        if (e.affectsConfiguration('minilm')) this.postPicker(backend);
      }),
      // A hidden webview is destroyed (retainContextWhenHidden is off); it says ready again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  private postPicker(backend: VscodeStudioBackend): void {
    if (!this.ready) return;
    try {
      this.post({ type: 'notification', method: 'model/picker', params: backend.modelPicker() });
    } catch (error) {
      this.services.log.warn(`Studio: the model picker could not be refreshed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Sends a request from a command to the webview (now, or with `init` if it is not listening yet). */
  showRequest(request: StudioShowRequest): void {
    if (this.ready) this.post({ type: 'notification', method: 'show', params: request });
    else this.pendingRequest = { ...this.pendingRequest, ...request };
  }

  /**
   * Runs a webview→host message as if the webview had sent it and resolves with the response that was posted
   * (undefined for notifications and rejected messages). For the in-host tests.
   */
  handleRequestForTest(message: unknown): Promise<HostResponse | undefined> {
    return this.dispatcher.handle(message);
  }

  /** Resolves once the webview has said it is ready (for the in-host tests). */
  whenReadyForTest(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  dispose(): void {
    if (StudioPanel.current === this) StudioPanel.current = undefined;
    this.dispatcher.cancelAll();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private sendInit(): void {
    const params: InitParams = {
      strings: translatedStrings(),
      language: vscode.env.language,
      status: modelStatusOf(this.services),
      request: this.pendingRequest,
      hasResultsFolder: hasResultsFolder(this.services),
    };
    this.pendingRequest = undefined;
    this.ready = true;
    this.post({ type: 'notification', method: 'init', params });
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private post(message: HostMessage): void {
    // A disposed or hidden webview drops messages; the webview asks for the state again when it comes back.
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'dist');
    return studioHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
      language: vscode.env.language,
      title: vscode.l10n.t('MiniLM Studio'),
    });
  }
}

/** A results folder outside the workspace still counts as one: running the examples then says what is wrong. */
function hasResultsFolder(services: StudioServices): boolean {
  try {
    return services.resultsFolder() !== undefined;
  } catch {
    return true;
  }
}
