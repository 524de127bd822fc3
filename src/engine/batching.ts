/**
 * Splits texts into batches of similar length so that padding stays short, longest first like
 * sentence-transformers (which sorts by -len(text)). A batch holds at most `batchSize` texts and, padded to its
 * longest, at most `maxTokens` word pieces (like text-embeddings-inference's max-batch-tokens): long texts come in
 * smaller batches, so no batch runs much longer than another. A text longer than `maxTokens` gets a batch of its
 * own. Returns original indices; callers restore input order.
 */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number, maxTokens = Infinity): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  if (!(maxTokens >= 1)) throw new RangeError(`token budget must be at least 1, got ${maxTokens}`);
  const batches: number[][] = [];
  let batch: number[] = [];
  let padded = 0;
  for (const index of longestFirst(lengths)) {
    // Longest first: the batch's first text sets the padded length of all of it.
    if (batch.length > 0 && (batch.length === batchSize || (batch.length + 1) * padded > maxTokens)) {
      batches.push(batch);
      batch = [];
    }
    if (batch.length === 0) padded = lengths[index]!;
    batch.push(index);
  }
  if (batch.length > 0) batches.push(batch);
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
