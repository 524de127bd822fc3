/**
 * What a store search runs on: the index's live rows, searched either as one float32 corpus in memory
 * (liveRows.ts) or as int8 codes per segment with the float32 rows read back from disk for the exact rescoring
 * (int8Segments.ts). Both answer exactly what semanticSearch over the live rows in index order answers.
 */
import type { ScoreFunction } from '../../core/flatCorpus';
import type { StoredFile } from './indexManifest';

/** One hit: chunk `chunk` of `files[file]`. */
export interface ViewHit {
  readonly file: number;
  readonly chunk: number;
  readonly score: number;
}

export interface SearchView {
  /** Files with chunks, in index row order (by segment in manifest order, then row). */
  readonly files: readonly StoredFile[];
  /** Live rows; 0 when nothing is indexed. */
  readonly rows: number;
  /** Bytes of RAM the vectors take (float32 rows, or int8 codes with their per-row numbers and dead-row flags). */
  readonly vectorBytes: number;
  /** Top-k per query, best first; equal scores keep index row order. Queries have the index's dimension. */
  search(queries: readonly Float32Array[], topK: number, score: ScoreFunction): Promise<ViewHit[][]>;
}

/** Index of the first element greater than `value` in an ascending array. */
export function upperBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
