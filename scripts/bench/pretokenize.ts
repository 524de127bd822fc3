import path from 'node:path';
import type * as Transformers from '@huggingface/transformers' with { 'resolution-mode': 'import' };
import { encodeTruncated } from '../../src/engine/truncation';
import { lengthSortedBatches } from '../../src/engine/batching';
import { DEFAULT_MAX_BATCH_TOKENS } from '../../src/engine/engine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformers = require('@huggingface/transformers') as typeof Transformers;

/** One padded batch ready for session.run: ids and mask as int64, row-major [size, seqLength]. */
export interface PreparedBatch {
  indices: number[];
  size: number;
  seqLength: number;
  ids: BigInt64Array;
  mask: BigInt64Array;
  types: BigInt64Array;
  maskFlags: Uint8Array;
}

/** Points transformers.js at the shared model folder, offline, with no cache written beside the bundle. */
export function configureTransformers(modelDir: string): typeof Transformers {
  const env = transformers.env;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  env.useFSCache = false;
  env.cacheDir = path.join(modelDir, '.transformers-cache');
  return transformers;
}

export interface Tokenizer {
  /** Word-piece ids with [CLS]/[SEP], truncated at 256 exactly as the engine does. */
  ids(text: string): number[];
  sepId: number;
  padId: number;
}

export async function loadTokenizer(modelDir: string): Promise<Tokenizer> {
  const { AutoTokenizer } = configureTransformers(modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir), { local_files_only: true });
  const sepId = tokenizer.sep_token_id ?? 102;
  return {
    ids: (text) => encodeTruncated(text, (t) => tokenizer.encode(t), sepId).ids,
    sepId,
    padId: tokenizer.pad_token_id ?? 0,
  };
}

/** How int64 inputs are filled: a BigInt per element (what the engine does) or through an Int32Array view. */
export type FeedFill = 'bigint' | 'int32-view';

/** Pads one batch to its longest text, as the engine does. */
export function prepareBatch(tokenized: readonly number[][], indices: number[], padId: number, fill: FeedFill = 'bigint'): PreparedBatch {
  const size = indices.length;
  let seqLength = 0;
  for (const i of indices) seqLength = Math.max(seqLength, tokenized[i]!.length);
  const ids = new BigInt64Array(size * seqLength);
  const mask = new BigInt64Array(size * seqLength);
  const maskFlags = new Uint8Array(size * seqLength);
  if (fill === 'bigint') {
    ids.fill(BigInt(padId));
    indices.forEach((index, row) => {
      tokenized[index]!.forEach((id, col) => {
        ids[row * seqLength + col] = BigInt(id);
        mask[row * seqLength + col] = 1n;
        maskFlags[row * seqLength + col] = 1;
      });
    });
  } else {
    // Little-endian int64 = low 32-bit word then high word; ids and mask are small and non-negative, so the high
    // word stays 0 and no BigInt is ever created.
    const ids32 = new Int32Array(ids.buffer);
    const mask32 = new Int32Array(mask.buffer);
    if (padId !== 0) for (let k = 0; k < size * seqLength; k++) ids32[2 * k] = padId;
    indices.forEach((index, row) => {
      const t = tokenized[index]!;
      const offset = row * seqLength;
      for (let col = 0; col < t.length; col++) {
        ids32[2 * (offset + col)] = t[col]!;
        mask32[2 * (offset + col)] = 1;
        maskFlags[offset + col] = 1;
      }
    });
  }
  return { indices, size, seqLength, ids, mask, types: new BigInt64Array(size * seqLength), maskFlags };
}

/** The engine's batches (sorted by word-piece count, longest first) for these tokenised texts. */
export function prepareBatches(tokenized: readonly number[][], batchSize: number, padId: number, fill: FeedFill = 'bigint'): PreparedBatch[] {
  return lengthSortedBatches(
    tokenized.map((t) => t.length),
    batchSize,
    DEFAULT_MAX_BATCH_TOKENS,
  ).map((indices) => prepareBatch(tokenized, indices, padId, fill));
}
