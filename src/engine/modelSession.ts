import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type * as Transformers from '@huggingface/transformers' with { 'resolution-mode': 'import' };
import { EngineError, cancelled } from './errors';
import { encodeTruncated, prefixCutIsExact } from './truncation';
import { lengthSortedBatches } from './batching';
import { meanPoolNormalize } from './pooling';
import { EMBEDDING_DIMENSION, MAX_SEQ_LENGTH, modelFileFor, type Dtype, type TokenCount } from './types';

// The package's typings are ESM-only but it ships a CommonJS build for Node; load that build with types attached.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AutoTokenizer, env: transformersEnv } = require('@huggingface/transformers') as typeof Transformers;
type PreTrainedTokenizer = Transformers.PreTrainedTokenizer;

/** Runs one ONNX Runtime call; the engine worker holds its native-call gate around it (see workerProtocol). */
export type NativeCall = <T>(call: () => Promise<T>) => Promise<T>;

export interface SessionConfig {
  dir: string;
  dtype: Dtype;
  threads: number;
  /** Wraps every ONNX Runtime call (session creation, run, release); defaults to calling it directly. */
  native?: NativeCall;
}

export interface EncodeBatchesResult {
  vectors: Float32Array[];
  tokens: TokenCount[];
}

/** Texts tokenised between two looks at the cancel flag (about 20–50 ms of work). */
const TOKENIZE_CHUNK = 256;

interface TokenizedText {
  ids: number[];
  truncated: boolean;
}

/**
 * One loaded model: the WordPiece tokenizer from transformers.js and an ONNX Runtime session. Lives in the engine
 * worker; everything here is synchronous CPU work or native inference, so the caller's thread stays free.
 */
export class ModelSession {
  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly sepId: number,
    private readonly padId: number,
    /** The tokenizer is the one the prefix cut was proven for; otherwise long texts are tokenised whole. */
    private readonly exactCut: boolean,
    private readonly native: NativeCall,
  ) {}

  static async load(config: SessionConfig): Promise<ModelSession> {
    const modelPath = path.join(config.dir, modelFileFor(config.dtype));
    if (!fs.existsSync(modelPath)) {
      throw new EngineError('MODEL_NOT_FOUND', `Model file ${modelPath} is missing. Download the model again or choose a folder that holds ${modelFileFor(config.dtype)}.`);
    }
    // transformers.js resolves models relative to env.localModelPath; point it at the folder's parent and never let
    // it reach the network or write a cache beside the bundle.
    const native = config.native ?? ((call) => call());
    transformersEnv.allowRemoteModels = false;
    transformersEnv.allowLocalModels = true;
    transformersEnv.localModelPath = path.dirname(config.dir) + path.sep;
    transformersEnv.useFSCache = false;
    transformersEnv.cacheDir = path.join(config.dir, '.transformers-cache');

    const [tokenizer, session] = await Promise.all([
      AutoTokenizer.from_pretrained(path.basename(config.dir), { local_files_only: true }).catch((error: unknown) => {
        throw new EngineError('MODEL_CORRUPT', `The tokenizer files in ${config.dir} could not be read (${messageOf(error)}). Download the model again.`);
      }),
      native(() =>
        ort.InferenceSession.create(modelPath, {
          intraOpNumThreads: config.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
          enableCpuMemArena: true,
        }),
      ).catch((error: unknown) => {
        throw new EngineError('MODEL_CORRUPT', `${modelPath} is not a valid ONNX model (${messageOf(error)}). The file is corrupted or incomplete: delete it and download the model again.`);
      }),
    ]);
    const sepId = tokenizer.sep_token_id;
    const padId = tokenizer.pad_token_id ?? 0;
    if (sepId === undefined || sepId === null) throw new EngineError('MODEL_CORRUPT', `The tokenizer in ${config.dir} has no [SEP] token; this is not a BERT tokenizer.`);
    const model = new ModelSession(tokenizer, session, sepId, padId, prefixCutIsExact({ tokenizer: readJson(path.join(config.dir, 'tokenizer.json')), config: readJson(path.join(config.dir, 'tokenizer_config.json')) }),
      native,
    );
    model.checkOutputShape();
    return model;
  }

  /** Word-piece ids as the model sees them: [CLS] … [SEP], at most 256. */
  tokenize(text: string): TokenizedText {
    return encodeTruncated(text, (t) => this.tokenizer.encode(t), this.sepId, MAX_SEQ_LENGTH, this.exactCut);
  }

  /**
   * Encodes texts in batches sorted by word-piece count, so padding stays minimal (sorting by characters, as
   * sentence-transformers does, pads more: the bench measured +4–28% from sorting by tokens). A batch holds at most
   * `batchSize` texts and `maxBatchTokens` padded word pieces, so that one batch (which nothing can interrupt) takes
   * a bounded time whatever the batch size. Tokenises everything first, in chunks that yield to the event loop so
   * that a cancel message is seen, then checks for cancellation between batches. `onBatch(0, total)` announces the
   * batches before the first runs.
   */
  async encode(texts: readonly string[], batchSize: number, maxBatchTokens: number, isCancelled: () => boolean, onBatch: (done: number, total: number) => void): Promise<EncodeBatchesResult> {
    const tokenized = new Array<TokenizedText>(texts.length);
    for (let start = 0; start < texts.length; start += TOKENIZE_CHUNK) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      if (isCancelled()) throw cancelled();
      const end = Math.min(texts.length, start + TOKENIZE_CHUNK);
      for (let i = start; i < end; i++) tokenized[i] = this.tokenize(texts[i]!);
    }
    const batches = lengthSortedBatches(tokenized.map((t) => t.ids.length), batchSize, maxBatchTokens);
    onBatch(0, batches.length);
    const vectors = new Array<Float32Array>(texts.length);
    const tokens = new Array<TokenCount>(texts.length);
    for (let b = 0; b < batches.length; b++) {
      if (isCancelled()) throw cancelled();
      const indices = batches[b]!;
      const pooled = await this.run(indices.map((i) => tokenized[i]!));
      indices.forEach((original, k) => {
        vectors[original] = pooled[k]!;
        tokens[original] = { count: tokenized[original]!.ids.length, truncated: tokenized[original]!.truncated };
      });
      onBatch(b + 1, batches.length);
    }
    return { vectors, tokens };
  }

  async dispose(): Promise<void> {
    await this.native(() => this.session.release());
  }

  private async run(batch: TokenizedText[]): Promise<Float32Array[]> {
    const size = batch.length;
    const seqLength = Math.max(...batch.map((t) => t.ids.length));
    const ids = new BigInt64Array(size * seqLength).fill(BigInt(this.padId));
    const mask = new BigInt64Array(size * seqLength);
    const maskFlags = new Uint8Array(size * seqLength);
    batch.forEach((t, row) => {
      const offset = row * seqLength;
      t.ids.forEach((id, col) => {
        ids[offset + col] = BigInt(id);
        mask[offset + col] = 1n;
        maskFlags[offset + col] = 1;
      });
    });
    const dims = [size, seqLength];
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(size * seqLength), dims),
    };
    const output = await this.native(() => this.session.run(feeds));
    const hidden = output['last_hidden_state'];
    if (!hidden) throw new EngineError('MODEL_CORRUPT', 'The ONNX model has no last_hidden_state output; it is not a sentence-transformers BERT export.');
    try {
      const dim = hidden.dims[2];
      if (dim !== EMBEDDING_DIMENSION) {
        throw new EngineError('WRONG_DIMENSION', `The model produces ${dim}-dimensional states, expected ${EMBEDDING_DIMENSION}: this is not all-MiniLM-L6-v2. Choose the right model folder.`);
      }
      return meanPoolNormalize(hidden.data as Float32Array, maskFlags, size, seqLength, dim);
    } finally {
      for (const tensor of Object.values(output)) tensor.dispose?.();
    }
  }

  private checkOutputShape(): void {
    const names = this.session.outputNames;
    if (!names.includes('last_hidden_state')) {
      throw new EngineError('MODEL_CORRUPT', `The ONNX model's outputs are ${names.join(', ')}; expected last_hidden_state. Choose an all-MiniLM-L6-v2 export.`);
    }
  }
}

/** A JSON file of the model folder, or undefined when it is missing or unreadable (the tokenizer load reports that). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
