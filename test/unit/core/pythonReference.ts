/**
 * Literal, slow translations of the sentence-transformers algorithms (util/retrieval.py, 6.0.1) used as test
 * oracles. They share only the score kernel with src/core, and torch.topk's unspecified tie order is replaced by
 * the rule src/core documents (equal scores: lower index first).
 */
import { flattenCorpus, type FlatCorpus } from '../../../src/core/flatCorpus';

type Tuple = number[];

/** Python tuple comparison. */
function cmp(a: Tuple, b: Tuple): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return a.length - b.length;
}

/** A priority queue as a sorted array: get() pops the smallest tuple. */
class SortedQueue {
  items: Tuple[] = [];
  put(t: Tuple): void {
    let k = this.items.length;
    while (k > 0 && cmp(this.items[k - 1], t) > 0) k--;
    this.items.splice(k, 0, t);
  }
  get(): Tuple {
    return this.items.shift()!;
  }
}

function scoreMatrix(corpus: FlatCorpus, queries: FlatCorpus = corpus): Float32Array[] {
  return Array.from({ length: queries.count }, (_, i) => queries.scoreRowInto(i, new Float32Array(corpus.count), 'cosine', corpus));
}

/** torch.topk(k) over row[start, end): indices relative to start, best first, ties lower index first. */
function topk(row: Float32Array, start: number, end: number, k: number): number[] {
  const ids = Array.from({ length: end - start }, (_, i) => i);
  ids.sort((a, b) => row[start + b] - row[start + a] || a - b);
  return ids.slice(0, k);
}

export function referenceSemanticSearch(
  queries: number[][],
  corpus: number[][],
  topK: number,
  corpusChunkSize: number,
): Array<Array<{ corpus_id: number; score: number }>> {
  if (corpus.length === 0) return queries.map(() => []);
  const c = flattenCorpus(corpus);
  const q = flattenCorpus(queries);
  const scores = scoreMatrix(c, q);
  return scores.map((row) => {
    const heap: Tuple[] = []; // kept sorted ascending, standing in for heapq
    for (let start = 0; start < c.count; start += corpusChunkSize) {
      const end = Math.min(start + corpusChunkSize, c.count);
      for (const local of topk(row, start, end, Math.min(topK, end - start))) {
        const item = [row[start + local], start + local];
        if (heap.length < topK) heap.push(item);
        else if (cmp(item, heap[0]) > 0) heap[0] = item; // heappushpop
        heap.sort(cmp);
      }
    }
    return heap
      .map(([score, id]) => ({ corpus_id: id, score }))
      .sort((a, b) => b.score - a.score || a.corpus_id - b.corpus_id);
  });
}

export function referenceParaphraseMining(
  embeddings: number[][],
  queryChunkSize: number,
  corpusChunkSize: number,
  maxPairs: number,
  topKOption: number,
): Array<[number, number, number]> {
  const corpus = flattenCorpus(embeddings);
  const scores = scoreMatrix(corpus);
  const n = corpus.count;
  const topK = topKOption + 1;
  const pairs = new SortedQueue();
  let minScore = -1;
  let numAdded = 0;
  for (let corpusStart = 0; corpusStart < n; corpusStart += corpusChunkSize) {
    const corpusEnd = Math.min(corpusStart + corpusChunkSize, n);
    for (let queryStart = 0; queryStart < n; queryStart += queryChunkSize) {
      for (let i = queryStart; i < Math.min(queryStart + queryChunkSize, n); i++) {
        for (const local of topk(scores[i], corpusStart, corpusEnd, Math.min(topK, corpusEnd - corpusStart))) {
          const j = corpusStart + local;
          const score = scores[i][j];
          if (i !== j && score > minScore) {
            pairs.put([score, i, j]);
            numAdded++;
            if (numAdded >= maxPairs) minScore = pairs.get()[0];
          }
        }
      }
    }
  }
  const added = new Set<string>();
  const list: Array<[number, number, number]> = [];
  while (pairs.items.length > 0) {
    const [score, i, j] = pairs.get();
    const [a, b] = [Math.min(i, j), Math.max(i, j)];
    if (a !== b && !added.has(`${a},${b}`)) {
      added.add(`${a},${b}`);
      list.push([score, a, b]);
    }
  }
  return list.sort((x, y) => y[0] - x[0]);
}

export function referenceCommunityDetection(
  embeddings: number[][],
  thresholdOption: number,
  minCommunitySizeOption: number,
): number[][] {
  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  if (n === 0) return [];
  const threshold = Math.fround(thresholdOption);
  const minCommunitySize = Math.min(minCommunitySizeOption, n);
  let sortMaxSize = Math.min(Math.max(2 * minCommunitySize, 50), n);
  const extracted: number[][] = [];
  for (const row of scoreMatrix(corpus)) {
    const topValues = topk(row, 0, n, minCommunitySize).map((j) => row[j]);
    if (topValues[topValues.length - 1] >= threshold) {
      let topIdx = topk(row, 0, n, sortMaxSize);
      while (row[topIdx[topIdx.length - 1]] >= threshold && sortMaxSize < n) {
        sortMaxSize = Math.min(2 * sortMaxSize, n);
        topIdx = topk(row, 0, n, sortMaxSize);
      }
      extracted.push(topIdx.filter((j) => row[j] >= threshold));
    }
  }
  extracted.sort((a, b) => b.length - a.length);
  const used = new Array<boolean>(n).fill(false);
  const unique: number[][] = [];
  for (const community of extracted) {
    const rest = community.filter((idx) => !used[idx]);
    if (rest.length >= minCommunitySize) {
      unique.push(rest);
      for (const idx of rest) used[idx] = true;
    }
  }
  return unique.sort((a, b) => b.length - a.length);
}
