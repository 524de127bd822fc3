/**
 * Literal, slow translations of the sentence-transformers algorithms (util/retrieval.py, 6.2.0) used as test
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

/** CPython's heapq (Lib/heapq.py): heappush and heappushpop over a list, with tuple comparison. */
const heapq = {
  siftdown(heap: Tuple[], startpos: number, pos: number): void {
    const newitem = heap[pos];
    while (pos > startpos) {
      const parentpos = (pos - 1) >> 1;
      const parent = heap[parentpos];
      if (cmp(newitem, parent) < 0) {
        heap[pos] = parent;
        pos = parentpos;
        continue;
      }
      break;
    }
    heap[pos] = newitem;
  },
  siftup(heap: Tuple[], pos: number): void {
    const endpos = heap.length;
    const startpos = pos;
    const newitem = heap[pos];
    let childpos = 2 * pos + 1;
    while (childpos < endpos) {
      const rightpos = childpos + 1;
      if (rightpos < endpos && !(cmp(heap[childpos], heap[rightpos]) < 0)) childpos = rightpos;
      heap[pos] = heap[childpos];
      pos = childpos;
      childpos = 2 * pos + 1;
    }
    heap[pos] = newitem;
    heapq.siftdown(heap, startpos, pos);
  },
  heappush(heap: Tuple[], item: Tuple): void {
    heap.push(item);
    heapq.siftdown(heap, 0, heap.length - 1);
  },
  heappushpop(heap: Tuple[], item: Tuple): Tuple {
    if (heap.length > 0 && cmp(heap[0], item) < 0) {
      [item, heap[0]] = [heap[0], item];
      heapq.siftup(heap, 0);
    }
    return item;
  },
};

function scoreMatrix(corpus: FlatCorpus, queries: FlatCorpus = corpus): Float32Array[] {
  return Array.from({ length: queries.count }, (_, i) => queries.scoreRowInto(i, new Float32Array(corpus.count), 'cosine', corpus));
}

/** torch.topk(k) over row[start, end): indices relative to start, best first, ties lower index first. */
function topk(row: Float32Array, start: number, end: number, k: number): number[] {
  const ids = Array.from({ length: end - start }, (_, i) => i);
  ids.sort((a, b) => row[start + b] - row[start + a] || a - b);
  return ids.slice(0, k);
}

/** torch.topk(k) over a list of values: positions, best first, ties lower position first. */
function topkPositions(values: number[], k: number): number[] {
  const ids = values.map((_, p) => p);
  ids.sort((a, b) => values[b] - values[a] || a - b);
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
    return heap.map(([score, id]) => ({ corpus_id: id, score })).sort((a, b) => b.score - a.score || a.corpus_id - b.corpus_id);
  });
}

export function referenceParaphraseMining(
  embeddings: number[][],
  queryChunkSize: number,
  corpusChunkSize: number,
  maxPairs: number,
  topK: number,
): Array<[number, number, number]> {
  const corpus = flattenCorpus(embeddings);
  const scores = scoreMatrix(corpus);
  const n = corpus.count;
  const pairs: Tuple[] = []; // Min-heap of (score, i, j) with i < j, capped at max_pairs entries
  const queuedPairs = new Set<string>(); // The (i, j) of every pair currently in `pairs`
  let minScore = -Infinity;

  for (let queryStartIdx = 0; queryStartIdx < n; queryStartIdx += queryChunkSize) {
    const queryRows = scores.slice(queryStartIdx, queryStartIdx + queryChunkSize);
    let topValues: number[][] | null = null;
    let topIdx: number[][] | null = null;
    for (let corpusStartIdx = 0; corpusStartIdx < n; corpusStartIdx += corpusChunkSize) {
      const corpusEnd = Math.min(corpusStartIdx + corpusChunkSize, n);
      const k = Math.min(topK + 1, corpusEnd - corpusStartIdx);
      const chunkIdx = queryRows.map((row) => topk(row, corpusStartIdx, corpusEnd, k).map((local) => local + corpusStartIdx));
      const chunkValues = chunkIdx.map((ids, q) => ids.map((j) => queryRows[q][j]));
      if (topValues === null || topIdx === null) {
        topValues = chunkValues;
        topIdx = chunkIdx;
      } else {
        const values: number[][] = topValues.map((v, q) => [...v, ...chunkValues[q]]); // torch.cat(dim=1)
        const idx: number[][] = topIdx.map((v, q) => [...v, ...chunkIdx[q]]);
        const topPos: number[][] = values.map((v) => topkPositions(v, Math.min(topK + 1, v.length)));
        topValues = topPos.map((pos, q) => pos.map((p) => values[q][p]));
        topIdx = topPos.map((pos, q) => pos.map((p) => idx[q][p])); // torch.gather
      }
    }
    for (let queryItr = 0; queryItr < queryRows.length; queryItr++) {
      const i = queryStartIdx + queryItr;
      const neighbours = topIdx![queryItr]
        .map((j, t) => [j, topValues![queryItr][t]])
        .filter(([j]) => i !== j)
        .slice(0, topK);
      for (const [j, score] of neighbours) {
        if (score <= minScore) continue;
        const pair = i < j ? [i, j] : [j, i];
        if (queuedPairs.has(`${pair}`)) continue;
        queuedPairs.add(`${pair}`);
        if (pairs.length < maxPairs) {
          heapq.heappush(pairs, [score, ...pair]);
        } else {
          const evicted = heapq.heappushpop(pairs, [score, ...pair]);
          queuedPairs.delete(`${evicted.slice(1)}`);
          minScore = evicted[0];
        }
      }
    }
  }
  // Highest scores first. Python's stable sort keeps equal scores in its heap's order; src/core lists them by (i, j).
  return pairs.map(([score, i, j]) => [score, i, j] as [number, number, number]).sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
}

export function referenceCommunityDetection(embeddings: number[][], thresholdOption: number, minCommunitySize: number, batchSize = 1024): number[][] {
  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  if (n === 0) return [];
  if (n < minCommunitySize) return [];
  const threshold = Math.fround(thresholdOption);
  const scores = scoreMatrix(corpus);
  const extractedCommunities: Array<[number, number[]]> = [];
  // Maximum size for community
  let sortMaxSize = Math.min(Math.max(2 * minCommunitySize, 50), n);
  for (let startIdx = 0; startIdx < n; startIdx += batchSize) {
    const cosScores = scores.slice(startIdx, startIdx + batchSize);
    // Minimum size for a community
    const topKValues = cosScores.map((row) => topk(row, 0, n, minCommunitySize).map((j) => row[j]));
    for (let i = 0; i < topKValues.length; i++) {
      if (topKValues[i][topKValues[i].length - 1] >= threshold) {
        const row = cosScores[i];
        let topIdxLarge = topk(row, 0, n, sortMaxSize);
        while (row[topIdxLarge[topIdxLarge.length - 1]] >= threshold && sortMaxSize < n) {
          sortMaxSize = Math.min(2 * sortMaxSize, n);
          topIdxLarge = topk(row, 0, n, sortMaxSize);
        }
        extractedCommunities.push([startIdx + i, topIdxLarge.filter((j) => row[j] >= threshold)]);
      }
    }
  }
  // Largest cluster first
  extractedCommunities.sort((a, b) => b[1].length - a[1].length);
  const uniqueCommunities: number[][] = [];
  const used = new Array<boolean>(n).fill(false);
  for (const [center, community] of extractedCommunities) {
    if (used[center]) continue;
    const nonOverlappedCommunity = community.filter((idx) => !used[idx]);
    if (nonOverlappedCommunity.length >= minCommunitySize) {
      const uniqueCommunity = [center, ...nonOverlappedCommunity.filter((idx) => idx !== center)];
      uniqueCommunities.push(uniqueCommunity);
      for (const idx of uniqueCommunity) used[idx] = true;
    }
  }
  return uniqueCommunities.sort((a, b) => b.length - a.length);
}
