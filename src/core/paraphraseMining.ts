import { flattenCorpus, type FlatCorpus, type ScoreFunction } from './flatCorpus';
import { topKIndices } from './topK';
import type { Vector } from './vector';

/** `[score, i, j]` with `i < j`, as `util.paraphrase_mining_embeddings` returns it. */
export type ParaphrasePair = [score: number, i: number, j: number];

export interface ParaphraseMiningOptions {
  /** Default 5000. Accepted for parity with sentence-transformers; it does not change the result. */
  readonly queryChunkSize?: number;
  /**
   * Default 100,000. Accepted for parity with sentence-transformers; since 6.2.0 each text keeps its `topK + 1`
   * best across all corpus chunks, so it does not change the result.
   */
  readonly corpusChunkSize?: number;
  /** Default 500,000: at most this many distinct pairs are returned (the best ones). */
  readonly maxPairs?: number;
  /** Default 100: partners considered per text (itself excluded). */
  readonly topK?: number;
  readonly scoreFunction?: ScoreFunction;
}

/**
 * Paraphrase mining with the results of `sentence_transformers.util.paraphrase_mining_embeddings` as of
 * sentence-transformers 6.2.0. Every text `i`, in order, takes its `topK + 1` best matches over the whole corpus,
 * drops itself and keeps the first `topK` (best first). Each such `(j, score)` is offered to a min-heap of
 * `(score, min(i, j), max(i, j))` holding at most `maxPairs` entries:
 * - a score at or below the last evicted score (initially -infinity) is skipped;
 * - a pair already in the heap is skipped (so `maxPairs` counts distinct pairs);
 * - while the heap holds fewer than `maxPairs` the pair is pushed, otherwise it is pushed and the smallest
 *   `(score, i, j)` tuple popped (`heapq.heappushpop`: on equal scores the lower indices are evicted, and the new
 *   pair itself when it is not above the smallest), and that popped score becomes the new bar. The evicted pair
 *   leaves `queued_pairs`; with a symmetric score it cannot return, its score being at or below the bar.
 * The survivors are returned best first.
 *
 * One difference is deliberate: where scores are exactly equal, the lower index comes first, both within a text's
 * matches (torch.topk leaves that order unspecified) and in the returned list (Python lists equal scores in its
 * heap's internal order).
 */
export function paraphraseMining(embeddings: readonly Vector[] | FlatCorpus, options: ParaphraseMiningOptions = {}): ParaphrasePair[] {
  const queryChunkSize = options.queryChunkSize ?? 5000;
  const corpusChunkSize = options.corpusChunkSize ?? 100_000;
  const maxPairs = options.maxPairs ?? 500_000;
  const topK = options.topK ?? 100;
  const scoreFunction = options.scoreFunction ?? 'cosine';
  for (const [name, value] of [
    ['queryChunkSize', queryChunkSize],
    ['corpusChunkSize', corpusChunkSize],
    ['maxPairs', maxPairs],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
  if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}.`);

  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  const heap = new PairHeap();
  /** `lo * n + hi` of every pair currently in the heap (Python's `queued_pairs`). */
  const queued = new Set<number>();
  let minScore = -Infinity;
  const row = new Float32Array(n);

  for (let i = 0; i < n; i++) {
    // Python merges each corpus chunk's top_k + 1 into a running top_k + 1; with ties broken by lower index that
    // is the top_k + 1 of the whole row, whatever the chunk sizes (and one row of scores is small).
    corpus.scoreRowInto(i, row, scoreFunction);
    const best = topKIndices(row, topK + 1, n);
    let neighbours = 0;
    for (let t = 0; t < best.length && neighbours < topK; t++) {
      const j = best[t];
      if (j === i) continue;
      neighbours++;
      const score = row[j];
      if (score <= minScore) continue;
      const lo = i < j ? i : j;
      const hi = i < j ? j : i;
      const key = lo * n + hi;
      if (queued.has(key)) continue;
      queued.add(key);
      if (heap.size < maxPairs) {
        heap.push(score, lo, hi);
      } else {
        // heappushpop: the new pair itself is evicted when it is not above the smallest (score, i, j).
        if (heap.isAbove(score, lo, hi)) {
          const evictedScore = heap.scoreAt(0);
          queued.delete(heap.iAt(0) * n + heap.jAt(0));
          heap.replaceTop(score, lo, hi);
          minScore = evictedScore;
        } else {
          queued.delete(key);
          minScore = score;
        }
      }
    }
  }

  const pairs: ParaphrasePair[] = [];
  for (let k = 0; k < heap.size; k++) pairs.push([heap.scoreAt(k), heap.iAt(k), heap.jAt(k)]);
  // Best first; equal scores by ascending (i, j) (Python keeps them in its heap's internal order).
  return pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
}

/** A binary min-heap of `(score, i, j)` ordered like Python tuples, in parallel typed arrays (no object per pair). */
class PairHeap {
  private scores = new Float64Array(1024);
  private is = new Int32Array(1024);
  private js = new Int32Array(1024);
  size = 0;

  scoreAt(k: number): number {
    return this.scores[k];
  }

  iAt(k: number): number {
    return this.is[k];
  }

  jAt(k: number): number {
    return this.js[k];
  }

  /** Whether `(score, i, j)` is above the smallest entry (the heap must not be empty). */
  isAbove(score: number, i: number, j: number): boolean {
    const s0 = this.scores[0];
    if (score !== s0) return score > s0;
    if (i !== this.is[0]) return i > this.is[0];
    return j > this.js[0];
  }

  push(score: number, i: number, j: number): void {
    if (this.size === this.scores.length) {
      const grow = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
        fresh.set(old);
        return fresh;
      };
      this.scores = grow(this.scores, new Float64Array(this.size * 2));
      this.is = grow(this.is, new Int32Array(this.size * 2));
      this.js = grow(this.js, new Int32Array(this.size * 2));
    }
    let c = this.size++;
    this.set(c, score, i, j);
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.less(c, p)) break;
      this.swap(c, p);
      c = p;
    }
  }

  /** Replaces the smallest entry with `(score, i, j)`, which must not be below it. */
  replaceTop(score: number, i: number, j: number): void {
    this.set(0, score, i, j);
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const m = r < this.size && this.less(r, l) ? r : l;
      if (!this.less(m, c)) break;
      this.swap(c, m);
      c = m;
    }
  }

  private set(k: number, score: number, i: number, j: number): void {
    this.scores[k] = score;
    this.is[k] = i;
    this.js[k] = j;
  }

  private less(a: number, b: number): boolean {
    const sa = this.scores[a];
    const sb = this.scores[b];
    if (sa !== sb) return sa < sb;
    if (this.is[a] !== this.is[b]) return this.is[a] < this.is[b];
    return this.js[a] < this.js[b];
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = s;
    const i = this.is[a];
    this.is[a] = this.is[b];
    this.is[b] = i;
    const j = this.js[a];
    this.js[a] = this.js[b];
    this.js[b] = j;
  }
}
