import type * as vscode from 'vscode';
import type { HostPaths } from './studioSettings';
import type { EngineState, ModelInfo, BatchProgress, Dtype, TokenCount, TokenEmbeddings } from '../engine/types';
import type { RemoteApi } from '../engine/remote';
import type { Engine } from '../engine/engine';
import type { ModelChoice } from '../engine/modelPool';
import type { LoadedModelsView } from '../shared/studioProtocol';

/**
 * What the panel, the notebook controller and the commands get from the extension host: one shared model, its
 * state, and a log. Implemented in src/host/engineHost.ts; every consumer goes through this so that the model is
 * loaded once and its progress is shown one way.
 */
export interface EngineHost extends vscode.Disposable {
  readonly state: EngineState;
  readonly onDidChangeState: vscode.Event<EngineState>;
  /**
   * Makes the configured embedder ready: the local model is loaded (as `ensureLoaded`), a remote backend is asked
   * what it serves. Call it rather than `ensureLoaded` before encoding.
   */
  ensureReady(options?: { token?: vscode.CancellationToken; silent?: boolean }): Promise<EmbedderFacts>;
  /** The remote backend `minilm.backend` names, undefined for the local model. */
  backend(): RemoteBackendView | undefined;
  /** Loads the local model if needed (shared by concurrent callers), with VS Code progress unless `silent`. */
  ensureLoaded(options?: { token?: vscode.CancellationToken; silent?: boolean }): Promise<ModelInfo>;
  /** Encodes texts (loading the model first when needed). Rejects with a cancellation error when the token fires. */
  encode(texts: string[], options?: HostEncodeOptions): Promise<Float32Array[]>;
  /** Like encode, plus the word-piece count and truncation flag of each text (none from a remote backend). */
  encodeWithTokens(texts: string[], options?: HostEncodeOptions): Promise<HostEncodedTexts>;
  /**
   * One text's word pieces and contextual token embeddings (ST's `output_value="token_embeddings"`), loading first
   * when needed. A remote backend has none: it rejects with REMOTE_UNSUPPORTED, in one line.
   */
  tokenEmbeddings(text: string, options?: { token?: vscode.CancellationToken }): Promise<TokenEmbeddings>;
  unload(): Promise<void>;
  /** Downloads the model for the configured dtype into the per-user cache. */
  download(options?: { token?: vscode.CancellationToken }): Promise<ModelInfo>;
  readonly dtype: Dtype;
  /** The folders the `minilm.*` settings are read against. */
  hostPaths(trusted?: boolean): HostPaths;
  /** Resolves once the current `minilm.*` settings have reached the engine (settings apply from a change listener). */
  settled(): Promise<void>;
  /**
   * Runs `work` on the engine of another model (a notebook's or a cell's): the active engine when it is the active
   * model, else one held besides it under `minilm.models.memoryBudgetMB` (least recently used unloaded first).
   */
  withModel<T>(
    choice: ModelChoice,
    work: (engine: Engine, signal: AbortSignal | undefined) => Promise<T>,
    options?: { token?: vscode.CancellationToken },
  ): Promise<T>;
  /** The active model and the pooled ones, with the pool's budget (the Model tab's "Loaded models"). */
  loadedModels(): LoadedModelsView;
  /** Fires when `loadedModels()` may have changed. */
  readonly onDidChangeLoadedModels: vscode.Event<void>;
  /** Unloads a pooled model now; rejects with one line while a request runs on it. */
  unloadPooled(key: string): Promise<void>;
}

export interface HostEncodedTexts {
  vectors: Float32Array[];
  /** Word pieces per text, from the local tokenizer; absent when a remote backend embedded the texts. */
  tokens?: TokenCount[];
}

/** What a result document records of the embedder. */
export interface EmbedderFacts {
  /** The local model's name, or the model the server says it serves (TEI's model_id, else the name sent). */
  model: string;
  /** fp32 or q8 locally; `remote:<api>` for a server (its weights are not ours to name). */
  dtype: string;
  /** Load time of the local model; 0 for a server. */
  loadMs: number;
}

/** Which serving engine embeds, as settings name it. */
export interface RemoteBackendView {
  api: RemoteApi;
  /** The endpoint's host and port (its path and scheme left out), or the setting as written when it is no URL. */
  host: string;
  /** The model name sent (undefined for TEI, which serves one model). */
  model: string | undefined;
}

export interface HostEncodeOptions {
  token?: vscode.CancellationToken;
  onProgress?: (progress: BatchProgress) => void;
}

export interface StudioServices {
  readonly context: vscode.ExtensionContext;
  readonly engine: EngineHost;
  readonly log: vscode.LogOutputChannel;
  /**
   * Folder for results about `resource` (default: the active editor's document): `results/` of the workspace folder
   * holding it, as that folder's minilm.resultsFolder names it (else the first folder's); undefined without a local
   * workspace folder; throws when the setting leaves the workspace folder. `trusted` false reads it as limited mode.
   */
  resultsFolder(resource?: vscode.Uri, trusted?: boolean): vscode.Uri | undefined;
  /** The same, checked with symbolic links followed: use it before reading or writing there. */
  checkedResultsFolder(resource?: vscode.Uri): Promise<vscode.Uri | undefined>;
}
