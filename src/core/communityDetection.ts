import { flattenCorpus, type FlatCorpus } from './flatCorpus';
import type { Vector } from './vector';

export interface CommunityDetectionOptions {
  /** Cosine similarity at or above which two embeddings are close. Default 0.75. */
  readonly threshold?: number;
  /** Smallest community returned (capped at the number of embeddings). Default 10. */
  readonly minCommunitySize?: number;
  /** Accepted for parity with sentence-transformers (default 1024); rows are scored one at a time here. */
  readonly batchSize?: number;
}

/**
 * Fast community detection with the results of the current `sentence_transformers.util.community_detection`
 * (CPU path). A row whose `minCommunitySize`-th best cosine reaches the threshold proposes the community of all
 * rows at or above the threshold among its top `sortMaxSize`, ordered by similarity to it, so the first member is
 * the centre (normally the row itself). `sortMaxSize` starts at `min(max(2 * minCommunitySize, 50), n)` and, as in
 * Python, doubles — for the rest of the run — while the last of the top `sortMaxSize` is still above the threshold.
 * Proposals are taken largest first (stable, so earlier rows win ties); members already taken are removed, and what
 * remains is kept if it still has `minCommunitySize` members. Communities are returned largest first.
 *
 * Unlike older Python releases this always terminates, including for a threshold of 0 and identical inputs:
 * every loop is bounded by the number of embeddings. Equal similarities order members by ascending index.
 */
export function communityDetection(
  embeddings: readonly Vector[] | FlatCorpus,
  options: CommunityDetectionOptions = {},
): number[][] {
  const thresholdOption = options.threshold ?? 0.75;
  const requestedMinSize = options.minCommunitySize ?? 10;
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isFinite(thresholdOption)) throw new RangeError(`threshold must be a finite number, got ${thresholdOption}.`);
  if (!Number.isInteger(requestedMinSize) || requestedMinSize < 1) {
    throw new RangeError(`minCommunitySize must be a positive integer, got ${requestedMinSize}.`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);

  const corpus = flattenCorpus(embeddings);
  const n = corpus.count;
  if (n === 0) return [];
  // Python compares float32 scores with torch.tensor(threshold), a float32.
  const threshold = Math.fround(thresholdOption);
  const minSize = Math.min(requestedMinSize, n);
  let sortMaxSize = Math.min(Math.max(2 * minSize, 50), n);

  const scores = new Float32Array(n);
  const members = new Int32Array(n);
  const proposals: number[][] = [];
  for (let i = 0; i < n; i++) {
    corpus.scoreRowInto(i, scores, 'cosine');
    let atOrAbove = 0;
    let above = 0;
    for (let j = 0; j < n; j++) {
      const s = scores[j];
      if (s >= threshold) {
        members[atOrAbove++] = j;
        if (s > threshold) above++;
      }
    }
    if (atOrAbove < minSize) continue;
    // "while top_val_large[-1] > threshold": the sortMaxSize-th best is above the threshold iff at least
    // sortMaxSize scores are.
    while (above >= sortMaxSize && sortMaxSize < n) sortMaxSize = Math.min(2 * sortMaxSize, n);
    const community = Array.from(members.subarray(0, atOrAbove));
    community.sort((a, b) => scores[b] - scores[a] || a - b);
    // Only rows among the top sortMaxSize count (this cuts only ties exactly at the threshold).
    proposals.push(community.length > sortMaxSize ? community.slice(0, sortMaxSize) : community);
  }

  proposals.sort((a, b) => b.length - a.length);
  const taken = new Uint8Array(n);
  const communities: number[][] = [];
  for (const proposal of proposals) {
    const remaining = proposal.filter((idx) => taken[idx] === 0);
    if (remaining.length >= minSize) {
      for (const idx of remaining) taken[idx] = 1;
      communities.push(remaining);
    }
  }
  return communities.sort((a, b) => b.length - a.length);
}
