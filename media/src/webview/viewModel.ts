/**
 * Pure functions and the state reducer behind the Studio webview. No DOM access here, so that unit tests run them in
 * plain Node (test/unit/panel).
 */
import type {
  CatalogueItemView,
  EncodeResult,
  ExplainView,
  MatrixView,
  ModelPickerView,
  ModelStatus,
  RequestError,
  ResultFileEntry,
  SearchResult,
  SimilarityFunctionName,
  SimilarityResult,
  StudioDtype,
  StudioShowRequest,
  StudioTab,
} from '../../../src/shared/studioProtocol';
import { STUDIO_TABS } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';
import { errorActions, type ErrorAction } from '../../../src/shared/errorActions';

// ---------------------------------------------------------------------------------------------------------------
// Reading a cosine score

export type SimilarityBand = 'veryHigh' | 'high' | 'medium' | 'low' | 'none';

/** Lower bounds of each band, highest first: ≥0.8 very similar, 0.6–0.8, 0.4–0.6, 0.2–0.4, below 0.2. */
export const SIMILARITY_BANDS: ReadonlyArray<{ band: SimilarityBand; min: number }> = [
  { band: 'veryHigh', min: 0.8 },
  { band: 'high', min: 0.6 },
  { band: 'medium', min: 0.4 },
  { band: 'low', min: 0.2 },
  { band: 'none', min: -Infinity },
];

/** The plain-language band of a cosine similarity. NaN reads as unrelated. */
export function similarityBand(cosine: number): SimilarityBand {
  if (Number.isNaN(cosine)) return 'none';
  return SIMILARITY_BANDS.find((b) => cosine >= b.min)!.band;
}

export function bandLabelKey(band: SimilarityBand): StringKey {
  return `band.${band}` as StringKey;
}

export function bandDetailKey(band: SimilarityBand): StringKey {
  return `band.${band}.detail` as StringKey;
}

// ---------------------------------------------------------------------------------------------------------------
// The model's own score (similarity_fn_name)

/** The label of each similarity function, as the Similarity tab's metrics already name them. */
export const SIMILARITY_FUNCTION_LABEL: Record<SimilarityFunctionName, StringKey> = {
  cosine: 'similarity.cosine',
  dot: 'similarity.dot',
  euclidean: 'similarity.euclidean',
  manhattan: 'similarity.manhattan',
};

/**
 * The score a result leads with: the model's similarity function. Euclidean and Manhattan are shown as the
 * distances (sentence-transformers' similarity() returns them negated so that higher means closer). Only cosine has
 * the plain-language bands; a function whose values are unbounded is not read against them.
 */
export function headlineScore(result: Pick<SimilarityResult, 'cosine' | 'dot' | 'euclidean' | 'manhattan'> & { similarityFunction?: SimilarityFunctionName }): {
  fn: SimilarityFunctionName;
  value: number;
  label: StringKey;
  banded: boolean;
} {
  const fn = result.similarityFunction ?? 'cosine';
  return { fn, value: result[fn], label: SIMILARITY_FUNCTION_LABEL[fn], banded: fn === 'cosine' };
}

// ---------------------------------------------------------------------------------------------------------------
// The model picker

export interface PickerRow {
  /** The pick button is off: the current entry, or a dtype this release cannot download and no local copy. */
  disabled: boolean;
  /** Why it is off when it is not simply the current one. */
  reason?: { key: StringKey; args: string[] };
}

/** What the picker offers for one entry with the configured dtype. */
export function pickerRow(item: CatalogueItemView, dtype: StudioDtype): PickerRow {
  if (item.current) return { disabled: true };
  if (!item.local && !item.verifiedDtypes.includes(dtype)) {
    return item.verifiedDtypes.length > 0
      ? { disabled: true, reason: { key: 'picker.noDigest', args: [dtype, item.verifiedDtypes.join(', ')] } }
      : { disabled: true, reason: { key: 'picker.noDigestAny', args: [dtype] } };
  }
  return { disabled: false };
}

/** A download size as the CLI's `minilm models` prints it: decimal MB, `~` when partly the hub's rounded figure. */
export function downloadSizeText(size: { bytes: number; exact: boolean }): string {
  return `${size.exact ? '' : '~'}${(size.bytes / 1e6).toFixed(1)} MB`;
}

/** The current choice when it is not a catalogue entry (a hub repository or a folder), else undefined. */
export function otherModel(view: ModelPickerView): string | undefined {
  return view.entries.some((e) => e.current) ? undefined : view.setting || undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Number formatting

/** A score with a fixed number of decimals; `-0.0000` prints as `0.0000`, non-finite values as an em dash. */
export function formatScore(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Bytes as B / KB / MB / GB with one decimal (1 KB = 1024 B, as the OS shows memory). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Download progress as a percentage (0–100, one decimal) or undefined when the size is unknown. */
export function downloadPercent(received: number, total: number | undefined): number | undefined {
  if (total === undefined || !(total > 0)) return undefined;
  return Math.min(100, Math.round((received / total) * 1000) / 10);
}

/** The webview's name for the one placeholder fill (src/shared/translate). */
export { fillPlaceholders as formatTemplate } from '../../../src/shared/translate';

/** A score bar's width in percent: cosine clamped to [0, 1] (a negative cosine means unrelated: an empty bar). */
export function scoreBarPercent(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.max(0, Math.min(1, score)) * 100;
}

// ---------------------------------------------------------------------------------------------------------------
// Heatmap colours

export type Rgb = readonly [number, number, number];

/** Parses the colour forms VS Code puts in its theme variables: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba(). */
export function parseCssColor(value: string): Rgb | undefined {
  const text = value.trim().toLowerCase();
  let match = /^#([0-9a-f]{3,4})$/.exec(text);
  if (match) return [0, 1, 2].map((i) => parseInt(match![1][i] + match![1][i], 16)) as unknown as Rgb;
  match = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(text);
  if (match) return [0, 2, 4].map((i) => parseInt(match![1].slice(i, i + 2), 16)) as unknown as Rgb;
  match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(text);
  if (match) return [1, 2, 3].map((i) => Math.max(0, Math.min(255, Math.round(Number(match![i]))))) as unknown as Rgb;
  return undefined;
}

export interface HeatmapScale {
  /** Colour of the lowest score (normally the editor background, so weak pairs recede). */
  low: Rgb;
  /** Colour of the highest score (a theme chart colour). */
  high: Rgb;
  /** Score drawn as `low`. */
  min: number;
  /** Score drawn as `high`. */
  max: number;
}

/**
 * The cell colour of a score: linear interpolation from `low` to `high` over [min, max], clamped. The scale follows
 * the theme because both ends come from theme variables.
 */
export function heatmapColor(score: number, scale: HeatmapScale): Rgb {
  const span = scale.max - scale.min;
  const t = !Number.isFinite(score) ? 0 : span > 0 ? Math.max(0, Math.min(1, (score - scale.min) / span)) : 1;
  return [0, 1, 2].map((i) => Math.round(scale.low[i] + (scale.high[i] - scale.low[i]) * t)) as unknown as Rgb;
}

/** Relative luminance (WCAG 2). */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Black or white, whichever contrasts more with the background. */
export function readableTextColor(background: Rgb): Rgb {
  const l = luminance(background);
  const contrastWithBlack = (l + 0.05) / 0.05;
  const contrastWithWhite = 1.05 / (l + 0.05);
  return contrastWithBlack >= contrastWithWhite ? [0, 0, 0] : [255, 255, 255];
}

export const rgbCss = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** The score range of a matrix off its diagonal (the diagonal is always 1 and would flatten the scale). */
export function offDiagonalRange(matrix: readonly (readonly number[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  matrix.forEach((row, r) =>
    row.forEach((v, c) => {
      if (r !== c && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }),
  );
  if (min === Infinity) return { min: 0, max: 1 };
  return { min, max: Math.max(max, min) };
}

// ---------------------------------------------------------------------------------------------------------------
// What to try when the model fails

export interface ErrorFix {
  hint: StringKey;
  actions: ErrorAction[];
}

/** The fixes the error notifications offer (src/shared/errorActions), with the line of advice above them. */
export function errorFix(code: string, allowDownload: boolean): ErrorFix {
  const actions = errorActions(code, allowDownload);
  const hint: StringKey =
    code === 'MODEL_NOT_FOUND' && !allowDownload
      ? 'model.fix.notFoundNoDownload'
      : code === 'MODEL_NOT_FOUND' || actions.includes('downloadModel')
        ? 'model.fix.notFound'
        : 'model.fix.generic';
  return { hint, actions };
}

// ---------------------------------------------------------------------------------------------------------------
// Webview state and its reducer

/** A request in flight for one part of the UI. */
export interface Busy {
  id: number;
  done?: number;
  total?: number;
}

export interface Outcome<T> {
  result?: T;
  error?: RequestError;
  busy?: Busy;
}

/** Everything the webview shows, persisted with `setState` so it survives hide/show and window reload. */
export interface StudioState {
  tab: StudioTab;
  /** A workspace is open, so results can be saved and listed. */
  hasResultsFolder: boolean;
  model: { status?: ModelStatus; busy?: Busy; error?: RequestError };
  /** The catalogue picker (host state, not persisted) and the "Use another model" box. */
  picker: Outcome<ModelPickerView> & { other: string };
  similarity: Outcome<SimilarityResult> & { a: string; b: string };
  /** The word-piece alignment of the Similarity tab's texts ("Explain"); it and the score are cleared when either text changes. */
  explain: Outcome<ExplainView>;
  encode: Outcome<EncodeResult> & { text: string; notice?: string };
  search: Outcome<SearchResult> & { query: string; candidates: string; topK: number; notice?: string };
  examples: Outcome<MatrixView> & { clustered: boolean; files?: ResultFileEntry[]; notice?: string };
}

export type Slot = 'model' | 'picker' | 'similarity' | 'explain' | 'encode' | 'search' | 'examples';

export type StudioAction =
  | { type: 'selectTab'; tab: StudioTab }
  | { type: 'init'; status: ModelStatus; hasResultsFolder: boolean }
  | { type: 'status'; status: ModelStatus }
  | { type: 'picker'; view: ModelPickerView }
  | { type: 'input'; slot: 'picker'; field: 'other'; value: string }
  | { type: 'input'; slot: 'similarity'; field: 'a' | 'b'; value: string }
  | { type: 'input'; slot: 'encode'; field: 'text'; value: string }
  | { type: 'input'; slot: 'search'; field: 'query' | 'candidates'; value: string }
  | { type: 'topK'; value: number }
  | { type: 'clustered'; value: boolean }
  | { type: 'started'; slot: Slot; id: number }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'succeeded'; slot: 'similarity'; id: number; result: SimilarityResult }
  | { type: 'succeeded'; slot: 'explain'; id: number; result: ExplainView }
  | { type: 'succeeded'; slot: 'encode'; id: number; result: EncodeResult }
  | { type: 'succeeded'; slot: 'search'; id: number; result: SearchResult }
  | { type: 'succeeded'; slot: 'examples'; id: number; result: MatrixView }
  | { type: 'succeeded'; slot: 'model'; id: number; result: ModelStatus }
  | { type: 'succeeded'; slot: 'picker'; id: number; result: ModelPickerView }
  | { type: 'finished'; slot: Slot; id: number; notice?: string }
  | { type: 'failed'; slot: Slot; id: number; error: RequestError }
  | { type: 'files'; files: ResultFileEntry[] }
  | { type: 'candidates'; candidates: string; notice: string }
  | { type: 'show'; request: StudioShowRequest };

export const DEFAULT_TOP_K = 5;

export function initialState(): StudioState {
  return {
    tab: 'model',
    hasResultsFolder: false,
    model: {},
    picker: { other: '' },
    similarity: { a: '', b: '' },
    explain: {},
    encode: { text: '' },
    search: { query: '', candidates: '', topK: DEFAULT_TOP_K },
    examples: { clustered: false },
  };
}

/** Accepts a persisted state only if it has the expected shape (an older build may have written another one). */
export function restoreState(saved: unknown): StudioState {
  const base = initialState();
  if (!saved || typeof saved !== 'object') return base;
  const s = saved as Partial<StudioState>;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  return {
    tab: STUDIO_TABS.includes(s.tab as StudioTab) ? (s.tab as StudioTab) : base.tab,
    hasResultsFolder: false,
    model: {},
    picker: { other: str(s.picker?.other, '') },
    similarity: { a: str(s.similarity?.a, ''), b: str(s.similarity?.b, ''), result: s.similarity?.result },
    explain: { result: s.explain?.result },
    encode: { text: str(s.encode?.text, ''), result: s.encode?.result },
    search: {
      query: str(s.search?.query, ''),
      candidates: str(s.search?.candidates, ''),
      topK: clampTopK(Number(s.search?.topK ?? DEFAULT_TOP_K)),
      result: s.search?.result,
    },
    examples: { clustered: s.examples?.clustered === true, result: s.examples?.result },
  };
}

/** What is written with setState: inputs and results, not requests in flight (they do not survive a reload). */
export function persistedState(state: StudioState): StudioState {
  const drop = <T extends { busy?: Busy }>(o: T): T => ({ ...o, busy: undefined });
  // A huge matrix would make every setState slow; such a view is recomputed instead of restored.
  const examples = (state.examples.result?.texts.length ?? 0) > 300 ? { ...state.examples, result: undefined } : state.examples;
  const explainCells = (state.explain.result?.tokensA.length ?? 0) * (state.explain.result?.tokensB.length ?? 0);
  const explain = explainCells > 20_000 ? { ...state.explain, result: undefined } : state.explain;
  return {
    ...state,
    model: {},
    picker: { other: state.picker.other },
    similarity: drop(state.similarity),
    explain: drop(explain),
    encode: drop(state.encode),
    search: drop(state.search),
    examples: drop({ ...examples, files: undefined }),
  };
}

export function clampTopK(value: number): number {
  if (!Number.isFinite(value)) return DEFAULT_TOP_K;
  return Math.max(1, Math.min(1000, Math.round(value)));
}

/** Lines of the candidates box that are searched (blank lines ignored). */
export function candidateList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0);
}

export function studioReducer(state: StudioState, action: StudioAction): StudioState {
  switch (action.type) {
    case 'selectTab':
      return { ...state, tab: action.tab };
    case 'init':
      return { ...state, hasResultsFolder: action.hasResultsFolder, model: { ...state.model, status: action.status } };
    case 'status':
      return { ...state, model: { ...state.model, status: action.status } };
    case 'picker':
      return { ...state, picker: { ...state.picker, result: action.view } };
    case 'input': {
      const next = { ...state, [action.slot]: { ...state[action.slot], [action.field]: action.value } };
      // A score or an alignment of other texts must not stay on screen as if it were these texts'.
      if (action.slot !== 'similarity') return next;
      return { ...next, similarity: { ...next.similarity, result: undefined }, explain: { ...state.explain, result: undefined } };
    }
    case 'topK':
      return { ...state, search: { ...state.search, topK: clampTopK(action.value) } };
    case 'clustered':
      return { ...state, examples: { ...state.examples, clustered: action.value } };
    case 'started':
      return { ...state, [action.slot]: { ...state[action.slot], busy: { id: action.id }, error: undefined, notice: undefined } };
    case 'progress': {
      for (const slot of ['model', 'picker', 'similarity', 'explain', 'encode', 'search', 'examples'] as const) {
        if (state[slot].busy?.id === action.id) {
          return { ...state, [slot]: { ...state[slot], busy: { id: action.id, done: action.done, total: action.total } } };
        }
      }
      return state;
    }
    case 'succeeded': {
      // A late answer to a request that was replaced (or cancelled) must not overwrite the newer one.
      if (state[action.slot].busy?.id !== action.id) return state;
      if (action.slot === 'model') return { ...state, model: { status: action.result } };
      return { ...state, [action.slot]: { ...state[action.slot], busy: undefined, error: undefined, result: action.result } };
    }
    case 'finished':
      if (state[action.slot].busy?.id !== action.id) return state;
      return { ...state, [action.slot]: { ...state[action.slot], busy: undefined, notice: action.notice } };
    case 'failed':
      if (state[action.slot].busy?.id !== action.id) return state;
      return { ...state, [action.slot]: { ...state[action.slot], busy: undefined, error: action.error } };
    case 'files':
      return { ...state, examples: { ...state.examples, files: action.files } };
    case 'candidates':
      return { ...state, search: { ...state.search, candidates: action.candidates, notice: action.notice } };
    case 'show':
      return applyShowRequest(state, action.request);
  }
}

/** A command's request: fills the inputs it names and switches to the tab that shows them. */
export function applyShowRequest(state: StudioState, request: StudioShowRequest): StudioState {
  let next = state;
  if (request.similarity) next = { ...next, tab: 'similarity', similarity: { a: request.similarity.a, b: request.similarity.b }, explain: {} };
  if (request.encode) next = { ...next, tab: 'encode', encode: { text: request.encode.text } };
  if (request.search) {
    next = { ...next, tab: 'search', search: { ...next.search, query: request.search.query, candidates: request.search.candidates.join('\n'), result: undefined, notice: undefined } };
  }
  if (request.matrix) next = { ...next, tab: 'examples' };
  if (request.tab) next = { ...next, tab: request.tab };
  return next;
}

/** The row order of the heatmap: clustered or as given. */
export function heatmapOrder(view: MatrixView, clustered: boolean): number[] {
  const n = view.texts.length;
  const valid = clustered && view.clusterOrder.length === n && new Set(view.clusterOrder).size === n && view.clusterOrder.every((i) => i >= 0 && i < n);
  return valid ? [...view.clusterOrder] : Array.from({ length: n }, (_, i) => i);
}
