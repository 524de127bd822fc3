/** What the Studio's request handlers need from their host: the panel's VS Code backend, or the webview tests' harness. */
import type { BatchProgress, ModelInfo, TokenEmbeddings } from '../engine/types';
import type { HostEncodedTexts } from '../host/studioServices';
import type { ExportFormat, LoadedModelsView, ModelPickerView, ModelStatus, StudioDtype, WebviewCommand } from '../shared/studioProtocol';

export interface BackendEncodeOptions {
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

/** A model other than the active one, as `StudioBackend.withModel` lends it. */
export interface OtherModel {
  encodeWithTokens(texts: string[], options: BackendEncodeOptions): Promise<HostEncodedTexts>;
  /** The model's facts, once it has loaded (after its first encode). */
  readonly info: ModelInfo | undefined;
}

/** What the request handlers need from their host. */
export interface StudioBackend {
  status(): ModelStatus;
  load(signal: AbortSignal): Promise<void>;
  unload(): Promise<void>;
  setDtype(dtype: StudioDtype): Promise<void>;
  /** The catalogue for the picker, with what the engine would find without a download. */
  modelPicker(): ModelPickerView;
  /** Throws one line saying why, when `minilm.model` could not be this value. */
  checkModel(value: string): void;
  /** The active model and the pooled ones, with the pool's budget. */
  loadedModels(): LoadedModelsView;
  /** Unloads a pooled model; throws one line while a request runs on it. */
  unloadPooled(key: string): Promise<void>;
  /** Writes `minilm.model` ('' is the default) and resolves once the engine has the new options (unloaded, nothing downloaded). */
  setModel(value: string): Promise<void>;
  /** `tokens` is absent when a remote backend embedded the texts. */
  encodeWithTokens(texts: string[], options: BackendEncodeOptions): Promise<HostEncodedTexts>;
  /**
   * Runs `work` on the model `model` names (`minilm.model`'s syntax, already checked with `checkModel`) beside the
   * active one: loaded on first use under the same download rules and kept under the models' memory budget.
   */
  withModel<T>(model: string, signal: AbortSignal, work: (other: OtherModel) => Promise<T>): Promise<T>;
  /** One text's word pieces and contextual token embeddings (ST's `output_value="token_embeddings"`). */
  tokenEmbeddings(text: string, options: { signal: AbortSignal }): Promise<TokenEmbeddings>;
  copyText(text: string): Promise<void>;
  /** Asks where to save (null: the user cancelled) and returns the chosen file path. */
  chooseSaveFile(suggestedName: string, format: ExportFormat): Promise<string | null>;
  /** Asks for a text file and returns its path and content (null: cancelled). */
  openTextFile(): Promise<{ file: string; text: string } | null>;
  /** Absolute path of the results folder, undefined without a workspace; rejects when it leaves the workspace. */
  resultsFolder(): Promise<string | undefined>;
  openInEditor(file: string): Promise<void>;
  runCommand(command: WebviewCommand): Promise<void>;
}

export interface RequestContext {
  signal: AbortSignal;
  progress(done: number, total: number): void;
}
