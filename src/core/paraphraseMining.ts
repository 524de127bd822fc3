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
  const drained = queue.sortedAscending();
  const seen = new Set<number>();
  const pairs: ParaphrasePair[] = [];
  for (const e of drained) {
    const lo = Math.min(e.i, e.j);
    const hi = Math.max(e.i, e.j);
    const key = lo * n + hi;
    if (!seen.has(key)) {
      seen.add(key);
      pairs.push([e.score, lo, hi]);
    }
  }
  // Python's sorted(..., reverse=True) is stable: equal scores keep their drain order. Array.prototype.sort is stable.
  return pairs.sort((a, b) => b[0] - a[0]);
}

interface QueuedPair {
  score: number;
  i: number;
  j: number;
}

function less(a: QueuedPair, b: QueuedPair): boolean {
  return a.score < b.score || (a.score === b.score && (a.i < b.i || (a.i === b.i && a.j < b.j)));
}

/** A binary min-heap ordered like Python tuples `(score, i, j)`. */
class PairQueue {
  private readonly heap: QueuedPair[] = [];

  push(score: number, i: number, j: number): void {
    const heap = this.heap;
    heap.push({ score, i, j });
    let c = heap.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!less(heap[c], heap[p])) break;
      [heap[c], heap[p]] = [heap[p], heap[c]];
      c = p;
    }
  }

  /** Removes the smallest entry and returns its score. */
  popScore(): number {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const m = r < heap.length && less(heap[r], heap[l]) ? r : l;
        if (!less(heap[m], heap[c])) break;
        [heap[c], heap[m]] = [heap[m], heap[c]];
        c = m;
      }
    }
    return top.score;
  }

  sortedAscending(): QueuedPair[] {
    return [...this.heap].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  }
}
