/**
 * The message protocol between the Studio panel's extension-host side (src/panel) and its webview (media/src/webview).
 * Both ends compile against this one module. It must stay free of `vscode` and Node imports: the webview bundles it.
 *
 * Webview → host: `request` (answered by exactly one `response`, possibly preceded by `progress`) and
 * `notification` (no answer). Host → webview: `response`, `progress` and `notification`. Everything the host
 * receives is parsed with {@link parseWebviewMessage}; anything else is logged and dropped.
 */
import { z } from 'zod';
import { EXPLAIN_STRINGS, type ExplainView } from './explainView';

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
export const WEBVIEW_COMMANDS = ['minilm.chooseModelFolder', 'minilm.showLog', 'minilm.downloadModel'] as const;
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
  /** Resident set size of the process running the model, bytes. */
  memoryRss: number;
}

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
  /** The loaded model's similarity_fn_name: the score the Studio leads with (cosine for most models). */
  similarityFunction: SimilarityFunctionName;
  cosine: number;
  euclidean: number;
  dot: number;
  manhattan: number;
  dimension: number;
  normA: number;
  normB: number;
  tokensA: TokenInfo;
  tokensB: TokenInfo;
  maxTokens: number;
}

export interface EncodeResult {
  text: string;
  dimension: number;
  norm: number;
  vector: number[];
  tokens: TokenInfo;
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
  'similarity/compute': { params: { a: string; b: string }; result: SimilarityResult };
  /** Which word pieces make the score: the token alignment of A and B (the engine's token embeddings). */
  'similarity/explain': { params: { a: string; b: string }; result: ExplainView };
  'encode/compute': { params: { text: string }; result: EncodeResult };
  'encode/copy': { params: { text: string }; result: { characters: number } };
  'encode/export': { params: { text: string; format: ExportFormat }; result: { saved: string | null } };
  'search/run': { params: { query: string; candidates: string[]; topK: number }; result: SearchResult };
  'search/openCandidates': { params: Record<string, never>; result: { file: string; candidates: string[] } | null };
  'matrix/compute': { params: { texts: string[] }; result: MatrixView };
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
export type HostResponse =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: RequestError };
export interface HostProgress {
  type: 'progress';
  id: number;
  done: number;
  total: number;
}
export type HostMessage = HostNotification | HostResponse | HostProgress;

// ---------------------------------------------------------------------------------------------------------------
// Validation of everything the webview sends

/**
 * The schemas are built on first use: the webview bundles this module for its types and constants, and a
 * function that is never called lets the bundler drop zod from the webview.
 */
function buildSchemas() {
  const text = z.string().max(LIMITS.textLength);
  const none = z.strictObject({});
  const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
  const params: { [M in StudioMethod]: z.ZodType<RequestParams<M>> } = {
    'model/status': none,
    'model/load': none,
    'model/unload': none,
    'model/setDtype': z.strictObject({ dtype: z.enum(['fp32', 'q8']) }),
    'model/catalogue': none,
    'model/pick': z.strictObject({ id: z.string().min(1).max(200) }),
    'model/useOther': z.strictObject({ model: z.string().trim().min(1).max(MODEL_SPEC_MAX) }),
    'similarity/compute': z.strictObject({ a: text, b: text }),
    'similarity/explain': z.strictObject({ a: text, b: text }),
    'encode/compute': z.strictObject({ text }),
    'encode/copy': z.strictObject({ text }),
    'encode/export': z.strictObject({ text, format: z.enum(['json', 'csv', 'npy']) }),
    'search/run': z.strictObject({
      query: text,
      candidates: z.array(text).min(1).max(LIMITS.candidates),
      topK: z.number().int().min(1).max(LIMITS.topK),
    }),
    'search/openCandidates': none,
    'matrix/compute': z.strictObject({ texts: z.array(text).min(2).max(LIMITS.matrixTexts) }),
    'examples/run': none,
    'examples/list': none,
    'examples/load': z.strictObject({ path: z.string().min(1).max(4096) }),
    'examples/open': z.strictObject({ path: z.string().min(1).max(4096) }),
    'command/run': z.strictObject({ command: z.enum(WEBVIEW_COMMANDS) }),
  };
  const notifications: { [M in StudioNotificationMethod]: z.ZodType<StudioNotificationMap[M]> } = {
    'webview/ready': none,
    'request/cancel': z.strictObject({ id: requestId }),
  };
  const envelope = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('request'), id: requestId, method: z.string(), params: z.unknown() }),
    z.strictObject({ type: z.literal('notification'), method: z.string(), params: z.unknown() }),
  ]);
  return { params, notifications, envelope };
}
let schemas: ReturnType<typeof buildSchemas> | undefined;

export const STUDIO_METHODS: readonly StudioMethod[] = [
  'model/status',
  'model/load',
  'model/unload',
  'model/setDtype',
  'model/catalogue',
  'model/pick',
  'model/useOther',
  'similarity/compute',
  'similarity/explain',
  'encode/compute',
  'encode/copy',
  'encode/export',
  'search/run',
  'search/openCandidates',
  'matrix/compute',
  'examples/run',
  'examples/list',
  'examples/load',
  'examples/open',
  'command/run',
];
export const STUDIO_NOTIFICATION_METHODS: readonly StudioNotificationMethod[] = ['webview/ready', 'request/cancel'];

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/** Validates a message from the webview. Unknown methods, extra keys and wrongly typed params are rejected. */
export function parseWebviewMessage(data: unknown): ParseResult {
  schemas ??= buildSchemas();
  const { params: paramSchemas, notifications: notificationSchemas, envelope } = schemas;
  const outer = envelope.safeParse(data);
  if (!outer.success) return { ok: false, reason: `malformed message: ${z.prettifyError(outer.error)}` };
  const { method } = outer.data;
  const schema =
    outer.data.type === 'request'
      ? Object.hasOwn(paramSchemas, method)
        ? paramSchemas[method as StudioMethod]
        : undefined
      : Object.hasOwn(notificationSchemas, method)
        ? notificationSchemas[method as StudioNotificationMethod]
        : undefined;
  if (!schema) return { ok: false, reason: `unknown ${outer.data.type} method ${JSON.stringify(method).slice(0, 80)}` };
  const params = (schema as z.ZodType).safeParse(outer.data.params ?? {});
  if (!params.success) return { ok: false, reason: `invalid params for ${method}: ${z.prettifyError(params.error)}` };
  return { ok: true, message: { ...outer.data, params: params.data } as WebviewMessage };
}

/** Keys of the webview's UI strings; the host translates each (vscode.l10n) and sends them in `init`. */
export type StringKey = keyof typeof ENGLISH_STRINGS;

/**
 * The English UI strings. The host passes each through `vscode.l10n.t` (the keys of l10n/bundle.l10n.*.json are
 * these English texts), the webview falls back to them when a translation is missing.
 */
export const ENGLISH_STRINGS = {
  'tab.model': 'Model',
  'tab.similarity': 'Similarity',
  'tab.encode': 'Encode',
  'tab.search': 'Find similar',
  'tab.examples': 'Examples',
  'model.state': 'State',
  'model.state.unloaded': 'Not loaded',
  'model.state.downloading': 'Downloading',
  'model.state.loading': 'Loading…',
  'model.state.ready': 'Ready',
  'model.state.error': 'Error',
  'model.load': 'Load',
  'model.unload': 'Unload',
  'model.dtype': 'Weights',
  'model.dtype.fp32': 'fp32 — exact (same vectors as sentence-transformers)',
  'model.dtype.q8': 'q8 — int8, faster, smaller',
  'model.source': 'Source',
  'model.source.folder': 'Model folder (setting or MINILM_MODEL_DIR)',
  'model.source.project': 'Project models/ folder',
  'model.source.bundled': 'Shipped with the extension (offline package)',
  'model.source.cache': 'Per-user cache',
  'model.source.hub': 'Downloaded from the hub',
  'model.path': 'Path',
  'model.dimension': 'Dimension',
  'model.maxTokens': 'Max sequence length',
  'model.wordPieces': 'word pieces',
  'model.loadTime': 'Load time',
  'model.memory': 'Memory (host process RSS)',
  'model.threads': 'Threads',
  'model.workersThreads': 'Workers × threads',
  'model.fix': 'What to try',
  'model.fix.notFound': 'Choose the folder that holds all-MiniLM-L6-v2 (config.json, tokenizer.json, onnx/model.onnx), or download the model.',
  'model.fix.generic': 'Check the log for details, then try loading again.',
  'model.chooseFolder': 'Choose Model Folder',
  'model.download': 'Download Model',
  'model.showLog': 'Show Log',
  'model.notLoadedHint': 'The model loads on first use; load it now to see where it comes from.',
  'picker.title': "Models",
  'picker.intro': "Pick the model every face uses (setting minilm.model). Picking never downloads: the files come with Download Model, or on first use when minilm.allowDownload is on.",
  'picker.model': "Model",
  'picker.languages': "Languages",
  'picker.dimension': "Dimension",
  'picker.pooling': "Pooling",
  'picker.licence': "Licence",
  'picker.download': "Download ({0})",
  'picker.local': "On this machine",
  'picker.notDownloaded': "Not downloaded",
  'picker.current': "Current",
  'picker.use': "Use",
  'picker.noDigest': "No published digest for {0}: switch Weights to {1}.",
  'picker.noDigestAny': "No published digest for {0}.",
  'picker.needsDownload': "{0} ({1}) is not on this machine yet: Download Model fetches {2} from the hub.",
  'picker.other': "Use another model…",
  'picker.otherPlaceholder': "owner/name[@revision] or a folder path",
  'picker.otherCurrent': "Current model: {0}",
  'similarity.textA': 'Text A',
  'similarity.textB': 'Text B',
  'similarity.compare': 'Compare',
  'similarity.cosine': 'Cosine similarity',
  'similarity.euclidean': 'Euclidean distance',
  'similarity.dot': 'Dot product',
  'similarity.manhattan': 'Manhattan distance',
  'similarity.dimension': 'Dimension',
  'similarity.normA': 'Norm of A',
  'similarity.normB': 'Norm of B',
  'similarity.tokensA': 'Word pieces in A',
  'similarity.tokensB': 'Word pieces in B',
  'similarity.truncated': 'Longer than {0} word pieces: only the first {0} were used.',
  'similarity.explain': 'Explain',
  'similarity.modelScore': "The score {0} is trained for ({1})",
  ...EXPLAIN_STRINGS,
  'band.veryHigh': 'Very similar',
  'band.high': 'Similar',
  'band.medium': 'Somewhat related',
  'band.low': 'Slightly related',
  'band.none': 'Unrelated',
  'band.veryHigh.detail': 'The texts say almost the same thing.',
  'band.high.detail': 'The texts share their main topic or meaning.',
  'band.medium.detail': 'The texts have something in common.',
  'band.low.detail': 'The texts share little meaning.',
  'band.none.detail': 'The texts are about different things.',
  'encode.text': 'Text',
  'encode.run': 'Encode',
  'encode.norm': 'Norm',
  'encode.tokens': 'Word pieces',
  'encode.chart': 'All {0} components',
  'encode.first': 'First components',
  'encode.copy': 'Copy as JSON',
  'encode.copied': 'Copied {0} characters.',
  'encode.export': 'Export',
  'encode.saved': 'Saved to {0}',
  'search.query': 'Query',
  'search.candidates': 'Candidates (one per line)',
  'search.loadFile': 'Load from File…',
  'search.topK': 'Top k',
  'search.run': 'Search',
  'search.cancel': 'Cancel',
  'search.rank': 'Rank',
  'search.score': 'Score',
  'search.text': 'Text',
  'search.summary': 'Top {0} of {1} candidates',
  'search.count': '{0} candidates',
  'search.loaded': 'Loaded {0} lines from {1}',
  'examples.run': 'Run Example Suite',
  'examples.cancel': 'Cancel',
  'examples.cluster': 'Order rows by clustering',
  'examples.heatmap': 'Similarity matrix',
  'examples.pca': '2-D projection (PCA)',
  'examples.pcaAxis': 'PC{0} ({1}% of variance)',
  'examples.saved': 'Saved {0}',
  'examples.earlier': 'Earlier results',
  'examples.refresh': 'Refresh',
  'examples.open': 'Open JSON',
  'examples.show': 'Show',
  'examples.none': 'No results yet.',
  'examples.noWorkspace': 'Open a folder to save and list results.',
  'examples.progress': 'Encoding {0} of {1}…',
  'examples.withinTopic': 'Mean within topic',
  'examples.acrossTopic': 'Mean across topics',
  'examples.hover': 'Hover a cell to see both texts.',
  'examples.texts': 'Texts',
  'common.working': 'Working…',
  'common.cancelled': 'Cancelled.',
  'common.error': 'Error',
  'common.ms': '{0} ms',
} as const;
