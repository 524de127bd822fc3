/**
 * The Studio webview's state and its reducer: everything the panel shows, what survives a reload, and how each
 * action changes it. No DOM access, so that unit tests run it in plain Node (test/unit/panel).
 */
import type {
  EncodeResult,
  ExplainView,
  LoadedModelsView,
  MatrixComparisonView,
  MatrixView,
  ModelPickerView,
  ModelStatus,
  RequestError,
  ResultFileEntry,
  SearchResult,
  SimilarityResult,
  StudioShowRequest,
  StudioTab,
} from '../../../src/shared/studioProtocol';
import { STUDIO_TABS } from '../../../src/shared/studioProtocol';

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
  /** The models held in memory (host state, not persisted). */
  loaded: Outcome<LoadedModelsView>;
  similarity: Outcome<SimilarityResult> & { a: string; b: string };
  /** The word-piece alignment of the Similarity tab's texts ("Explain"); it and the score are cleared when either text changes. */
  explain: Outcome<ExplainView>;
  encode: Outcome<EncodeResult> & { text: string; notice?: string };
  search: Outcome<SearchResult> & { query: string; candidates: string; topK: number; notice?: string };
  examples: Outcome<MatrixView> & { clustered: boolean; files?: ResultFileEntry[]; notice?: string };
  /** "Compare with" (Similarity and Examples tabs): '' for none, a catalogue id, or {@link OTHER_MODEL} for `other`. */
  compare: { choice: string; other: string };
  /** The Similarity tab's texts scored by the "Compare with" model. */
  similarityCompare: Outcome<SimilarityResult>;
  /** The Examples tab's texts through both models; `view` is the matrix the heatmap shows. */
  matrixCompare: Outcome<MatrixComparisonView> & { view: ComparisonView };
}

/** The value of the "Compare with" choice that stands for the model typed in its text field. */
export const OTHER_MODEL = '<other>';

export type ComparisonView = 'first' | 'second' | 'difference';
const COMPARISON_VIEWS: readonly ComparisonView[] = ['first', 'second', 'difference'];

export type Slot = 'model' | 'picker' | 'loaded' | 'similarity' | 'explain' | 'encode' | 'search' | 'examples' | 'similarityCompare' | 'matrixCompare';
const SLOTS: readonly Slot[] = ['model', 'picker', 'loaded', 'similarity', 'explain', 'encode', 'search', 'examples', 'similarityCompare', 'matrixCompare'];

export type StudioAction =
  | { type: 'selectTab'; tab: StudioTab }
  | { type: 'init'; status: ModelStatus; hasResultsFolder: boolean }
  | { type: 'status'; status: ModelStatus }
  | { type: 'picker'; view: ModelPickerView }
  | { type: 'loaded'; view: LoadedModelsView }
  | { type: 'input'; slot: 'picker'; field: 'other'; value: string }
  | { type: 'input'; slot: 'similarity'; field: 'a' | 'b'; value: string }
  | { type: 'input'; slot: 'encode'; field: 'text'; value: string }
  | { type: 'input'; slot: 'search'; field: 'query' | 'candidates'; value: string }
  | { type: 'input'; slot: 'compare'; field: 'other'; value: string }
  | { type: 'compareChoice'; choice: string }
  | { type: 'comparisonView'; view: ComparisonView }
  | { type: 'topK'; value: number }
  | { type: 'clustered'; value: boolean }
  | { type: 'started'; slot: Slot; id: number }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'succeeded'; slot: 'similarity'; id: number; result: SimilarityResult }
  | { type: 'succeeded'; slot: 'explain'; id: number; result: ExplainView }
  | { type: 'succeeded'; slot: 'encode'; id: number; result: EncodeResult }
  | { type: 'succeeded'; slot: 'search'; id: number; result: SearchResult }
  | { type: 'succeeded'; slot: 'examples'; id: number; result: MatrixView }
  | { type: 'succeeded'; slot: 'similarityCompare'; id: number; result: SimilarityResult }
  | { type: 'succeeded'; slot: 'matrixCompare'; id: number; result: MatrixComparisonView }
  | { type: 'succeeded'; slot: 'model'; id: number; result: ModelStatus }
  | { type: 'succeeded'; slot: 'picker'; id: number; result: ModelPickerView }
  | { type: 'succeeded'; slot: 'loaded'; id: number; result: LoadedModelsView }
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
    loaded: {},
    similarity: { a: '', b: '' },
    explain: {},
    encode: { text: '' },
    search: { query: '', candidates: '', topK: DEFAULT_TOP_K },
    examples: { clustered: false },
    compare: { choice: '', other: '' },
    similarityCompare: {},
    matrixCompare: { view: 'first' },
  };
}

/** The model "Compare with" names (as `minilm.model` would), undefined for none or an empty "other". */
export function compareModelSpec(state: Pick<StudioState, 'compare'>): string | undefined {
  const { choice, other } = state.compare;
  if (choice === OTHER_MODEL) return other.trim() || undefined;
  return choice || undefined;
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
    loaded: {},
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
    compare: { choice: str(s.compare?.choice, ''), other: str(s.compare?.other, '') },
    similarityCompare: { result: s.similarityCompare?.result },
    matrixCompare: {
      result: s.matrixCompare?.result,
      view: COMPARISON_VIEWS.includes(s.matrixCompare?.view as ComparisonView) ? (s.matrixCompare!.view as ComparisonView) : 'first',
    },
  };
}

/** What is written with setState: inputs and results, not requests in flight (they do not survive a reload). */
export function persistedState(state: StudioState): StudioState {
  const drop = <T extends { busy?: Busy }>(o: T): T => ({ ...o, busy: undefined });
  // A huge matrix would make every setState slow; such a view is recomputed instead of restored.
  const examples = (state.examples.result?.texts.length ?? 0) > 300 ? { ...state.examples, result: undefined } : state.examples;
  const explainCells = (state.explain.result?.tokensA.length ?? 0) * (state.explain.result?.tokensB.length ?? 0);
  const explain = explainCells > 20_000 ? { ...state.explain, result: undefined } : state.explain;
  const matrixCompare = (state.matrixCompare.result?.texts.length ?? 0) > 300 ? { ...state.matrixCompare, result: undefined } : state.matrixCompare;
  return {
    ...state,
    model: {},
    picker: { other: state.picker.other },
    loaded: {},
    similarity: drop(state.similarity),
    explain: drop(explain),
    encode: drop(state.encode),
    search: drop(state.search),
    examples: drop({ ...examples, files: undefined }),
    similarityCompare: drop(state.similarityCompare),
    matrixCompare: drop(matrixCompare),
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
    case 'loaded':
      return { ...state, loaded: { ...state.loaded, result: action.view } };
    case 'input': {
      const next = { ...state, [action.slot]: { ...state[action.slot], [action.field]: action.value } };
      // Another model's results must not stay on screen as if they were the newly named one's.
      if (action.slot === 'compare') return withoutComparisons(next);
      // A score or an alignment of other texts must not stay on screen as if it were these texts'.
      if (action.slot !== 'similarity') return next;
      return {
        ...next,
        similarity: { ...next.similarity, result: undefined },
        explain: { ...state.explain, result: undefined },
        similarityCompare: { ...state.similarityCompare, result: undefined },
      };
    }
    case 'compareChoice':
      if (action.choice === state.compare.choice) return state;
      return withoutComparisons({ ...state, compare: { ...state.compare, choice: action.choice } });
    case 'comparisonView':
      return { ...state, matrixCompare: { ...state.matrixCompare, view: action.view } };
    case 'topK':
      return { ...state, search: { ...state.search, topK: clampTopK(action.value) } };
    case 'clustered':
      return { ...state, examples: { ...state.examples, clustered: action.value } };
    case 'started':
      return { ...state, [action.slot]: { ...state[action.slot], busy: { id: action.id }, error: undefined, notice: undefined } };
    case 'progress': {
      for (const slot of SLOTS) {
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
      // A comparison of the texts shown before must not stay under a new matrix.
      if (action.slot === 'examples' && state.matrixCompare.result && !sameTexts(state.matrixCompare.result.texts, action.result.texts)) {
        return {
          ...state,
          examples: { ...state.examples, busy: undefined, error: undefined, result: action.result },
          matrixCompare: { ...state.matrixCompare, result: undefined, error: undefined },
        };
      }
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

/** Drops both comparisons, answers and requests in flight alike: they were for another "Compare with" model. */
function withoutComparisons(state: StudioState): StudioState {
  return { ...state, similarityCompare: {}, matrixCompare: { view: state.matrixCompare.view } };
}

const sameTexts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((text, i) => text === b[i]);

/** A command's request: fills the inputs it names and switches to the tab that shows them. */
export function applyShowRequest(state: StudioState, request: StudioShowRequest): StudioState {
  let next = state;
  if (request.similarity)
    next = { ...next, tab: 'similarity', similarity: { a: request.similarity.a, b: request.similarity.b }, explain: {}, similarityCompare: {} };
  if (request.encode) next = { ...next, tab: 'encode', encode: { text: request.encode.text } };
  if (request.search) {
    next = {
      ...next,
      tab: 'search',
      search: { ...next.search, query: request.search.query, candidates: request.search.candidates.join('\n'), result: undefined, notice: undefined },
    };
  }
  if (request.matrix) next = { ...next, tab: 'examples' };
  if (request.tab) next = { ...next, tab: request.tab };
  return next;
}
