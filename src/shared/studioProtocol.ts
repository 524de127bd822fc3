/**
 * The message protocol between the Studio panel's extension-host side (src/panel) and its webview (media/src/webview).
 * Both ends compile against this one module. It must stay free of `vscode` and Node imports: the webview bundles it.
 *
 * Webview → host: `request` (answered by exactly one `response`, possibly preceded by `progress`) and
 * `notification` (no answer). Host → webview: `response`, `progress` and `notification`. Everything the host
 * receives is parsed by `parseWebviewMessage` (studioMessageValidation.ts); anything else is logged and dropped.
 * The UI strings the host translates for the webview live in studioUiStrings.ts.
 */
import type { ExplainView } from './explainView';

export type { ExplainView } from './explainView';

export const STUDIO_TABS = ['model', 'similarity', 'encode', 'search', 'examples'] as const;
export type StudioTab = (typeof STUDIO_TABS)[number];

/** What a command asks the panel to show when it opens (or when it is already open). */
export type StudioShowRequest = {
  tab?: StudioTab;
  similarity?: { a: string; b: string };
  matrix?: { texts: string[] };
  search?: { query: string; candidates: string[] };
  encode?: { text: string };
};

export type StudioDtype = 'fp32' | 'q8';
export type ExportFormat = 'json' | 'csv' | 'npy';
/** Commands the webview may run; nothing else is accepted. */
export const WEBVIEW_COMMANDS = ['minilm.chooseModelFolder', 'minilm.showLog', 'minilm.downloadModel', 'workbench.action.openSettings'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Largest inputs the host accepts from the webview (the engine copes with more, the panel's UI does not). */
export const LIMITS = {
  textLength: 1_000_000,
  candidates: 100_000,
  matrixTexts: 2_000,
  topK: 1_000,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Payload types (host → webview results)

export interface TokenInfo {
  /** Word pieces the model sees, [CLS] and [SEP] included (at most 256). */
  count: number;
  /** The text was longer than 256 word pieces and its tail was ignored. */
  truncated: boolean;
}

export interface ModelStatus {
  state: 'unloaded' | 'downloading' | 'loading' | 'ready' | 'error';
  /** The configured weights variant (what the next load uses). */
  dtype: StudioDtype;
  download?: { file: string; received: number; total?: number };
  info?: {
    name: string;
    source: 'folder' | 'project' | 'bundled' | 'cache' | 'hub';
    dir: string;
    dtype: StudioDtype;
    dimension: number;
    maxSeqLength: number;
    loadMs: number;
    /** ONNX Runtime threads of each worker's session. */
    threads: number;
    /** Inference workers, each with its own session (`minilm.workers`). */
    workers?: number;
    /** The model's similarity_fn_name. */
    similarityFunction?: SimilarityFunctionName;
  };
  error?: { code: string; message: string };
  /** `minilm.allowDownload` now: whether the fixes for a missing model include a download (src/shared/errorActions). */
  allowDownload: boolean;
  /**
   * Set when `minilm.backend` names a serving engine: texts are embedded there and the local model (state, info,
   * dtype) is not used. `host` is the endpoint's host:port, `model` the name sent (none for TEI).
   */
  backend?: { api: 'tei' | 'openai' | 'ollama'; host: string; model?: string };
  /** Resident set size of the process running the model, bytes. */
  memoryRss: number;
}

/** A model held in memory: the active one (`minilm.model`) or one the pool holds for a notebook or cell. */
export interface LoadedModelView {
  /** The pool's key, which Unload names; absent for the active model. */
  key?: string;
  name: string;
  dtype: StudioDtype;
  state: ModelStatus['state'];
  /** Bytes of weights it holds (the ONNX file once per worker); absent until its folder is found. */
  bytes?: number;
  /** Requests running on it now: a busy model is not unloaded. */
  busy: number;
  active: boolean;
}

/** The Model tab's "Loaded models": the active model, the pooled ones, and the pool's memory budget. */
export interface LoadedModelsView {
  models: LoadedModelView[];
  /** `minilm.models.memoryBudgetMB` in bytes: the pooled models' weights are kept within it. */
  budgetBytes: number;
  /** Weights the pooled models hold now (the active model is not counted against the budget). */
  pooledBytes: number;
}

/** Largest pool key the webview may send back (a JSON of a folder path, dtype and backend). */
export const POOL_KEY_MAX = 8192;

/** Largest `minilm.model` value the picker accepts (a folder path or owner/name@revision). */
export const MODEL_SPEC_MAX = 4096;

/** sentence-transformers' similarity_fn_name: how a model's vectors are meant to be compared. */
export type SimilarityFunctionName = 'cosine' | 'dot' | 'euclidean' | 'manhattan';

/** One catalogue entry as the Model tab's picker lists it. */
export interface CatalogueItemView {
  id: string;
  /** The sentence-transformers model the ONNX export was made from. */
  baseModel: string;
  /** The pinned hub repository and commit the files come from. */
  repository: string;
  revision: string;
  languageSummary: string;
  dimension: number;
  pooling: string[];
  licence: string;
  similarityFunction: SimilarityFunctionName;
  /** Bytes a download of the picker's dtype fetches (`exact: false`: partly the hub's rounded figure). */
  download: { bytes: number; exact: boolean };
  /** Dtypes whose every file has a published digest: the ones this release downloads. */
  verifiedDtypes: StudioDtype[];
  /** Where the engine would load it from now, without a download; absent: it has to be downloaded first. */
  local?: { source: 'folder' | 'project' | 'bundled' | 'cache'; dir: string };
  /** The `minilm.model` setting names this entry. */
  current: boolean;
}

/** The Model tab's picker: the catalogue for the configured dtype, and what `minilm.model` says now. */
export interface ModelPickerView {
  dtype: StudioDtype;
  /** `minilm.model` as it applies ('' is the default model, or `minilm.modelFolder` when that is set). */
  setting: string;
  /** `minilm.modelFolder` as it applies (it is used while `minilm.model` is empty). */
  modelFolder: string;
  entries: CatalogueItemView[];
  /** `minilm.allowDownload`: whether using a model that is not downloaded fetches it on first use. */
  allowDownload: boolean;
}

export interface SimilarityResult {
  /** The name of the model that scored (absent when the host could not tell, e.g. a remote backend's). */
  model?: string;
  /** The loaded model's similarity_fn_name: the score the Studio leads with (cosine for most models). */
  similarityFunction: SimilarityFunctionName;
  cosine: number;
  euclidean: number;
  dot: number;
  manhattan: number;
  dimension: number;
  normA: number;
  normB: number;
  /** Absent when a remote backend embedded the texts (it gives no word-piece counts). */
  tokensA?: TokenInfo;
  tokensB?: TokenInfo;
  maxTokens: number;
}

export interface EncodeResult {
  text: string;
  dimension: number;
  norm: number;
  vector: number[];
  /** Absent when a remote backend embedded the text. */
  tokens?: TokenInfo;
}

export interface SearchHitView {
  /** Index in the candidate list. */
  index: number;
  text: string;
  score: number;
}

export interface SearchResult {
  query: string;
  candidateCount: number;
  topK: number;
  hits: SearchHitView[];
}

/** A similarity matrix ready to draw: the example suite's result, a loaded result file or Compare Selection's texts. */
export interface MatrixView {
  /** Where it came from: a run just now, a saved file, or texts sent by a command. */
  origin: 'run' | 'file' | 'texts';
  title: string;
  texts: string[];
  /** One topic per text ('' when unknown). */
  topics: string[];
  matrix: number[][];
  /** Row order of an average-linkage clustering (a permutation of the indices). */
  clusterOrder: number[];
  /** 2-D PCA of the embeddings, one point per text; absent for files, which hold no embeddings. */
  pca?: { points: Array<[number, number]>; explainedVarianceRatio: [number, number] };
  model?: string;
  dtype?: string;
  timestamp?: string;
  timings?: Record<string, number>;
  /** Result file written (run) or read (file). */
  file?: string;
}

/** Which model made one side of a comparison. */
export interface ComparedModelView {
  name: string;
  dtype: string;
  /** Its similarity_fn_name (the matrices are cosine whatever it is, as the single-model heatmap). */
  similarityFunction: SimilarityFunctionName;
  /** Cosine similarity of every text with every text. */
  matrix: number[][];
}

/** One pair of texts (i < j) and what each model scores it. */
export interface PairDisagreementView {
  i: number;
  j: number;
  first: number;
  second: number;
  /** second − first. */
  delta: number;
}

/** The same texts through the active model (first) and the "Compare with" model (second). */
export interface MatrixComparisonView {
  texts: string[];
  first: ComparedModelView;
  second: ComparedModelView;
  /** Spearman's ρ of the two models' scores of the pairs above the diagonal; null when it is undefined (a constant side). */
  spearman: number | null;
  /** Pairs the correlation is over: n(n−1)/2. */
  pairs: number;
  /** The pairs the models score most differently (largest |Δ| first), at most five. */
  disagreements: PairDisagreementView[];
}

export interface ResultFileEntry {
  name: string;
  /** Absolute path (or URI string) of the file, as the host knows it. */
  path: string;
  size: number;
  modified: number;
}

/** What the host tells the webview once it says it is ready. */
export interface InitParams {
  /** Translated UI strings keyed by {@link StringKey}. */
  strings: Record<string, string>;
  language: string;
  status: ModelStatus;
  request?: StudioShowRequest;
  /** A results folder exists (a workspace is open). */
  hasResultsFolder: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests: method → params and result

export interface StudioRequestMap {
  'model/status': { params: Record<string, never>; result: ModelStatus };
  'model/load': { params: Record<string, never>; result: ModelStatus };
  'model/unload': { params: Record<string, never>; result: ModelStatus };
  'model/setDtype': { params: { dtype: StudioDtype }; result: ModelStatus };
  /** The catalogue with what is downloaded, for the picker. */
  'model/catalogue': { params: Record<string, never>; result: ModelPickerView };
  /** Makes a catalogue entry the model (`minilm.model`); never downloads. Unknown ids are refused. */
  'model/pick': { params: { id: string }; result: ModelPickerView };
  /** Makes owner/name[@revision] or a folder the model, after checking it names one; never downloads. */
  'model/useOther': { params: { model: string }; result: ModelPickerView };
  /** The models held in memory now. */
  'model/loaded': { params: Record<string, never>; result: LoadedModelsView };
  /** Unloads a pooled (notebook) model; refused with one line while a request runs on it. */
  'model/unloadPooled': { params: { key: string }; result: LoadedModelsView };
  'similarity/compute': { params: { a: string; b: string }; result: SimilarityResult };
  /** Which word pieces make the score: the token alignment of A and B (the engine's token embeddings). */
  'similarity/explain': { params: { a: string; b: string }; result: ExplainView };
  'encode/compute': { params: { text: string }; result: EncodeResult };
  'encode/copy': { params: { text: string }; result: { characters: number } };
  'encode/export': { params: { text: string; format: ExportFormat }; result: { saved: string | null } };
  'search/run': { params: { query: string; candidates: string[]; topK: number }; result: SearchResult };
  'search/openCandidates': { params: Record<string, never>; result: { file: string; candidates: string[] } | null };
  'matrix/compute': { params: { texts: string[] }; result: MatrixView };
  /**
   * Scores A and B with another model (`model`: a catalogue id, owner/name[@revision] or a folder, as `minilm.model`
   * reads it), held beside the active one; downloads only as `minilm.allowDownload` allows.
   */
  'compare/similarity': { params: { a: string; b: string; model: string }; result: SimilarityResult };
  /** The texts' matrices from the active model and from `model`, their rank correlation and largest disagreements. */
  'compare/matrix': { params: { texts: string[]; model: string }; result: MatrixComparisonView };
  'examples/run': { params: Record<string, never>; result: MatrixView };
  'examples/list': { params: Record<string, never>; result: ResultFileEntry[] };
  'examples/load': { params: { path: string }; result: MatrixView };
  'examples/open': { params: { path: string }; result: null };
  'command/run': { params: { command: WebviewCommand }; result: null };
}
export type StudioMethod = keyof StudioRequestMap;
export type RequestParams<M extends StudioMethod> = StudioRequestMap[M]['params'];
export type RequestResult<M extends StudioMethod> = StudioRequestMap[M]['result'];

export interface StudioNotificationMap {
  /** The webview has loaded and listens; the host answers with `init`. */
  'webview/ready': Record<string, never>;
  /** Stop the request with this id; its response is then an error with code CANCELLED. */
  'request/cancel': { id: number };
}
export type StudioNotificationMethod = keyof StudioNotificationMap;

export type WebviewRequest = {
  [M in StudioMethod]: { type: 'request'; id: number; method: M; params: RequestParams<M> };
}[StudioMethod];
export type WebviewNotification = {
  [M in StudioNotificationMethod]: { type: 'notification'; method: M; params: StudioNotificationMap[M] };
}[StudioNotificationMethod];
export type WebviewMessage = WebviewRequest | WebviewNotification;

// Host → webview
export interface HostNotificationMap {
  init: InitParams;
  'model/state': ModelStatus;
  /** The picker changed: a setting was edited or a model was downloaded. */
  'model/picker': ModelPickerView;
  /** A model was loaded, unloaded, became busy or idle, or the budget changed. */
  'model/loaded': LoadedModelsView;
  show: StudioShowRequest;
}
export type HostNotificationMethod = keyof HostNotificationMap;
export type HostNotification = {
  [M in HostNotificationMethod]: { type: 'notification'; method: M; params: HostNotificationMap[M] };
}[HostNotificationMethod];

export interface RequestError {
  /** EngineError codes, plus CANCELLED, INVALID_INPUT, NO_WORKSPACE, FAILED. */
  code: string;
  message: string;
}
export type HostResponse = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: RequestError };
export interface HostProgress {
  type: 'progress';
  id: number;
  done: number;
  total: number;
}
export type HostMessage = HostNotification | HostResponse | HostProgress;
