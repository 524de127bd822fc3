import { flattenCorpus, type FlatCorpus, type ScoreFunction } from './flatCorpus';
import { topKIndices } from './topK';
import type { Vector } from './vector';

/** `[score, i, j]` with `i < j`, as `util.paraphrase_mining_embeddings` returns it. */
export type ParaphrasePair = [score: number, i: number, j: number];

export interface ParaphraseMiningOptions {
  /** Default 5000. */
  readonly queryChunkSize?: number;
  /** Default 100,000. Per row, the `topK + 1` best are taken within each chunk of this many candidates. */
  readonly corpusChunkSize?: number;
  /** Default 500,000. The queue is capped as in Python: once this many were added it keeps `maxPairs - 1`. */
  readonly maxPairs?: number;
  /** Default 100: partners considered per text. */
  readonly topK?: number;
  readonly scoreFunction?: ScoreFunction;
}

/**
 * Paraphrase mining with the results of `sentence_transformers.util.paraphrase_mining_embeddings`: every text is
 * compared with every other, each keeps its `topK + 1` best matches (one of which is normally itself), the pairs
 * go through a min-priority queue of `(score, i, j)` capped at `maxPairs` (a pair is only admitted when its score is
 * above the last one evicted, and above -1 before any eviction), and the survivors are deduplicated as sorted pairs
 * and returned best first.
 *
 * Within a row, equal scores prefer the lower index (torch leaves this unspecified); everything else, including the
 * order of equal-score pairs, follows the Python code.
 */
export function paraphraseMining(
  embeddings: readonly Vector[] | FlatCorpus,
  options: ParaphraseMiningOptions = {},
): ParaphrasePair[] {
  const queryChunkSize = options.queryChunkSize ?? 5000;
  const corpusChunkSize = options.corpusChunkSize ?? 100_000;
  const maxPairs = options.maxPairs ?? 500_000;
  const topK = (options.topK ?? 100) + 1;
  const scoreFunction = options.scoreFunction ?? 'cosine';
  for (const [name, value] of [['queryChunkSize', queryChunkSize], ['corpusChunkSize', corpusChunkSize], ['maxPairs', maxPairs]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
  if (!Number.isInteger(topK) || topK < 1) throw new RangeError(`topK must be a non-negative integer, got ${topK - 1}.`);

  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  const queue = new PairQueue();
  let minScore = -1;
  let added = 0;
  const scores = new Float32Array(Math.min(corpusChunkSize, n));

  // Same loop order as Python (corpus chunks outside, queries inside): it decides which ties are evicted.
  for (let corpusStart = 0; corpusStart < n; corpusStart += corpusChunkSize) {
    const corpusEnd = Math.min(corpusStart + corpusChunkSize, n);
    const chunkLength = corpusEnd - corpusStart;
    for (let i = 0; i < n; i++) {
      corpus.scoreRowInto(i, scores, scoreFunction, corpus, corpusStart, corpusEnd);
      const best = topKIndices(scores, topK, chunkLength);
      for (let t = 0; t < best.length; t++) {
        const j = corpusStart + best[t];
        const score = scores[best[t]];
        if (i !== j && score > minScore) {
          queue.push(score, i, j);
          added++;
          if (added >= maxPairs) minScore = queue.popScore();
        }
      }
    }
  }

  // Drain in ascending (score, i, j) order, keeping the first copy of each unordered pair.
  const seen = new Set<number>();
  const pairs: ParaphrasePair[] = [];
  while (queue.size > 0) {
    const i = queue.topI();
    const j = queue.topJ();
    const score = queue.popScore();
    const lo = i < j ? i : j;
    const hi = i < j ? j : i;
    const key = lo * n + hi;
    if (!seen.has(key)) {
      seen.add(key);
      pairs.push([score, lo, hi]);
    }
  }
  // Python's sorted(..., reverse=True) is stable: equal scores keep their drain order. Array.prototype.sort is stable.
  return pairs.sort((a, b) => b[0] - a[0]);
}

/** A binary min-heap of `(score, i, j)` ordered like Python tuples, in parallel typed arrays (no object per pair). */
class PairQueue {
  private scores = new Float64Array(1024);
  private is = new Int32Array(1024);
  private js = new Int32Array(1024);
  size = 0;

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
    this.scores[c] = score;
    this.is[c] = i;
    this.js[c] = j;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.less(c, p)) break;
      this.swap(c, p);
      c = p;
    }
  }

  topI(): number {
    return this.is[0];
  }

  topJ(): number {
    return this.js[0];
  }

  /** Removes the smallest entry and returns its score. */
  popScore(): number {
    const top = this.scores[0];
    const last = --this.size;
    if (last > 0) {
      this.scores[0] = this.scores[last];
      this.is[0] = this.is[last];
      this.js[0] = this.js[last];
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= last) break;
        const r = l + 1;
        const m = r < last && this.less(r, l) ? r : l;
        if (!this.less(m, c)) break;
        this.swap(c, m);
        c = m;
      }
    }
    return top;
  }
}
