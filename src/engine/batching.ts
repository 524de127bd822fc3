/**
 * Splits texts into batches of similar length so that padding stays short, longest first like
 * sentence-transformers (which sorts by -len(text)). Returns original indices; callers restore input order.
 */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const order = longestFirst(lengths);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/**
 * Deals texts to `shards` workers in order of length, round-robin, so that every worker gets the same mix of short
 * and long texts (similar work, similar padding). Returns original indices per shard; empty shards are dropped.
 */
export function lengthBalancedShards(lengths: readonly number[], shards: number): number[][] {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shard count must be a positive integer, got ${shards}`);
  const result = Array.from({ length: shards }, () => [] as number[]);
  longestFirst(lengths).forEach((index, rank) => result[rank % shards]!.push(index));
  return result.filter((s) => s.length > 0);
}

/** Indices by length, longest first; equal lengths keep input order. */
function longestFirst(lengths: readonly number[]): number[] {
  return lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
}
