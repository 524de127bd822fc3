import type { WorkspaceHit } from '../host/workspaceSearch/searchResultsModel';
import type { RankedLine } from './resultMessages';

export interface ComparisonOutcome {
  readonly texts: string[];
  /** Where the texts came from: several selections, the lines of one selection, or a selection plus typed text. */
  readonly from: 'selections' | 'lines' | 'input';
  /** Two texts: their cosine similarity and Euclidean distance. */
  readonly cosine?: number;
  readonly euclidean?: number;
  /** Two texts: the loaded model's similarity_fn_name and its score (Euclidean and Manhattan as distances). */
  readonly similarityFunction?: 'cosine' | 'dot' | 'euclidean' | 'manhattan';
  readonly score?: number;
  /** More than two texts: the cosine matrix (also opened in the Studio). */
  readonly matrix?: number[][];
}

export interface EncodeOutcome {
  readonly text: string;
  readonly dimension: number;
  readonly norm: number;
  /** Word pieces; undefined when a remote backend embedded the text (it gives no counts). */
  readonly tokens: number | undefined;
  readonly truncated: boolean;
}

export interface SearchOutcome {
  readonly query: string;
  /** The document or file searched. */
  readonly source: string;
  readonly candidates: number;
  readonly hits: RankedLine[];
}

export interface WorkspaceSearchOutcome {
  readonly query: string;
  /** Best first, over every workspace folder's index. */
  readonly hits: readonly WorkspaceHit[];
}

export interface ExamplesOutcome {
  readonly file: string;
  readonly texts: number;
  readonly dtype: string;
}

/**
 * What the commands did last. Each command also returns its outcome; this record is part of the extension's test
 * API, so the in-host tests can check commands run from menus or key bindings too.
 */
export class CommandOutcomes {
  lastComparison: ComparisonOutcome | undefined;
  lastEncode: EncodeOutcome | undefined;
  lastSearch: SearchOutcome | undefined;
  lastExamples: ExamplesOutcome | undefined;
  lastWorkspaceSearch: WorkspaceSearchOutcome | undefined;
  /** The last information or warning text a command showed (e.g. what to select). */
  lastMessage: string | undefined;
}
