import { flattenCorpus, type FlatCorpus } from './flatCorpus';
import type { Vector } from './vector';

export interface CommunityDetectionOptions {
  /** Cosine similarity at or above which two embeddings are close. Default 0.75. */
  readonly threshold?: number;
  /** Smallest community returned. With fewer embeddings than this, nothing is returned. Default 10. */
  readonly minCommunitySize?: number;
  /** Accepted for parity with sentence-transformers (default 1024); rows are scored one at a time here. */
  readonly batchSize?: number;
}

/**
 * Fast community detection with the results of `sentence_transformers.util.community_detection` as of
 * sentence-transformers 6.2.0 (CPU path). With fewer embeddings than `minCommunitySize` there is none. A row whose
 * `minCommunitySize`-th best cosine reaches the threshold proposes itself as a centre with all rows at or above the
 * threshold, ordered by similarity to it. Python finds those rows with a top-k scan whose width `sort_max_size`
 * doubles while its last score still reaches the threshold; that yields every row at or above the threshold, which
 * is computed here directly. Proposals are taken largest first (stable, so earlier rows win ties). A proposal whose
 * centre was already claimed by an earlier community is dropped; otherwise members already claimed are removed, and
 * what remains is kept if it still has `minCommunitySize` members, as `[centre, ...the rest]`. Largest first.
 *
 * Embeddings are normalised first and the threshold is compared as a float32, as in Python. This always
 * terminates, including for a threshold of 0 and identical inputs (older Python releases could loop forever).
 * Equal similarities order members by ascending index (torch leaves that order unspecified).
 */
export function communityDetection(embeddings: readonly Vector[] | FlatCorpus, options: CommunityDetectionOptions = {}): number[][] {
  const thresholdOption = options.threshold ?? 0.75;
  const minSize = options.minCommunitySize ?? 10;
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isFinite(thresholdOption)) throw new RangeError(`threshold must be a finite number, got ${thresholdOption}.`);
  if (!Number.isInteger(minSize) || minSize < 1) {
    throw new RangeError(`minCommunitySize must be a positive integer, got ${minSize}.`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);

  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  // "if len(embeddings) < min_community_size: return []" (6.0.1 lowered min_community_size to n instead).
  if (n === 0 || n < minSize) return [];
  // Python compares float32 scores with torch.tensor(threshold), a float32.
  const threshold = Math.fround(thresholdOption);

  const scores = new Float32Array(n);
  const members = new Int32Array(n);
  const proposals: Array<{ centre: number; members: number[] }> = [];
  for (let i = 0; i < n; i++) {
    corpus.scoreRowInto(i, scores, 'cosine');
    let atOrAbove = 0;
    for (let j = 0; j < n; j++) if (scores[j] >= threshold) members[atOrAbove++] = j;
    // "top_k_values[i][-1] >= threshold": the minSize-th best reaches the threshold iff minSize scores do.
    if (atOrAbove < minSize) continue;
    // Python scans the top sort_max_size and doubles it while the last one still reaches the threshold, so the
    // community is every row at or above the threshold: computed directly, no growing scan, no loop to get stuck.
    const community = Array.from(members.subarray(0, atOrAbove));
    community.sort((a, b) => scores[b] - scores[a] || a - b);
    proposals.push({ centre: i, members: community });
  }

  // Largest proposal first (Array.prototype.sort is stable, like Python's sorted).
  proposals.sort((a, b) => b.members.length - a.members.length);
  const used = new Uint8Array(n);
  const communities: number[][] = [];
  for (const { centre, members: proposal } of proposals) {
    if (used[centre] === 1) continue;
    const remaining = proposal.filter((idx) => used[idx] === 0);
    if (remaining.length >= minSize) {
      // [center] + the rest without it: the centre leads even where a duplicate scores as high, and is added even
      // if its own score fell below the threshold (possible at a threshold of 1 after float32 rounding).
      const community = [centre, ...remaining.filter((idx) => idx !== centre)];
      for (const idx of community) used[idx] = 1;
      communities.push(community);
    }
  }
  return communities.sort((a, b) => b.length - a.length);
}
