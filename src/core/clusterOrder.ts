import type { ScoreMatrix } from './similarityMatrix';

/**
 * An order of the rows of a square similarity matrix that puts similar rows next to each other: the leaf order of
 * an average-linkage hierarchical clustering on the distance `1 - similarity` (UPGMA), built with the
 * nearest-neighbour-chain algorithm in O(N²) time and memory. Within each merge the cluster holding the lower
 * original index comes first, so the order is deterministic. Returns a permutation of `0 .. N-1`.
 */
export function clusterOrder(similarity: ScoreMatrix): number[] {
  const n = similarity.rows;
  if (similarity.cols !== n) throw new RangeError(`clusterOrder needs a square matrix, got ${similarity.rows}x${similarity.cols}.`);
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);

  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Average the two triangles so a slightly asymmetric input still yields a symmetric distance.
      distance[i * n + j] = 1 - (similarity.data[i * n + j] + similarity.data[j * n + i]) / 2;
    }
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  // Each cluster slot holds its leaves in display order and its smallest original index.
  const leaves: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const lowest = Array.from({ length: n }, (_, i) => i);
  const chain: number[] = [];
  let remaining = n;

  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1];
    const previous = chain.length > 1 ? chain[chain.length - 2] : -1;
    // Nearest active neighbour; on a tie prefer the previous chain element, which guarantees progress.
    let b = previous;
    let best = previous >= 0 ? distance[a * n + previous] : Infinity;
    for (let c = 0; c < n; c++) {
      if (c === a || !active[c]) continue;
      if (distance[a * n + c] < best) {
        best = distance[a * n + c];
        b = c;
      }
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    chain.length -= 2;
    // Merge b into a (Lance-Williams update for average linkage).
    const [first, second] = lowest[a] < lowest[b] ? [a, b] : [b, a];
    leaves[a] = leaves[first].concat(leaves[second]);
    lowest[a] = Math.min(lowest[a], lowest[b]);
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === a || c === b) continue;
      const merged = (size[a] * distance[a * n + c] + size[b] * distance[b * n + c]) / (size[a] + size[b]);
      distance[a * n + c] = merged;
      distance[c * n + a] = merged;
    }
    size[a] += size[b];
    active[b] = 0;
    leaves[b] = [];
    remaining--;
  }
  return leaves[active.indexOf(1)];
}
