import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type * as Transformers from '@huggingface/transformers' with { 'resolution-mode': 'import' };
import { EngineError, cancelled } from './errors';
import { encodeTruncated, prefixCutIsExact, truncateIdsLeft } from './truncation';
import { tokenizerSides, type TokenizerSides } from './tokenizerSides';
import { lowercaseLikeTokenizers, type AddedToken } from './lowercase';
import { rebuiltNormalizer } from './tokenizerNormalizer';
import { lengthSortedBatches } from './batching';
import { sentenceEmbeddings } from './pooling';
import { readModelConfig, type ModelConfig } from './modelConfig';
import { modelFileFor, type Dtype, type TokenCount } from './types';

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
  /**
   * Let the intra-op threads spin-wait for the next operator (ONNX Runtime's default; default true). Spinning wins a
   * little when each thread has a core to itself, and burns the cores other threads need when they are shared.
   */
  spin?: boolean;
  /** The folder's sentence-transformers configuration, as the engine read it; read here when absent. */
  config?: ModelConfig;
  /** Wraps every ONNX Runtime call (session creation, run, release); defaults to calling it directly. */
  native?: NativeCall;
}

export interface EncodeBatchesResult {
  vectors: Float32Array[];
  tokens: TokenCount[];
}

/** Texts tokenised between two looks at the cancel flag (about 20–50 ms of work). */
const TOKENIZE_CHUNK = 256;

/** One text's word pieces and the transformer's token states for them (see `ModelSession.tokenEmbeddings`). */
export interface TokenStates {
  ids: number[];
  /** The vocabulary's strings for the ids: `[CLS]`, `hello`, `##ing`, `▁world`. */
  tokens: string[];
  /** Special tokens the tokenizer adds or reserves ([CLS], [SEP], <s>, </s>, pads, masks); the unknown token is not one. */
  special: boolean[];
  /** `last_hidden_state` row after row, `ids.length × dim` floats. */
  hidden: Float32Array;
  dim: number;
  truncated: boolean;
}

interface TokenizedText {
  ids: number[];
  truncated: boolean;
}

/** Graph inputs the engine knows how to fill; a graph declaring others is refused at load. */
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];

/**
 * One loaded model: its tokenizer from transformers.js, an ONNX Runtime session and the sentence-transformers head
 * (pooling, Dense, Normalize) from its configuration. Lives in the engine worker; everything here is synchronous
 * CPU work or native inference, so the caller's thread stays free.
 */
export class ModelSession {
  /** include_prompt false: prompt lengths in tokens, per prompt string (as ST caches them). */
  private readonly promptLengths = new Map<string, number>();
  /** id → token string, built from the vocabulary on first use. */
  private idToToken: Map<number, string> | undefined;

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly config: ModelConfig,
    /** The post-processor's final special token ([SEP], </s>), kept by truncation; undefined when it adds none. */
    private readonly endId: number | undefined,
    /** How many special tokens the post-processor puts before a text ([CLS], <s>): kept by left truncation. */
    private readonly headLength: number,
    private readonly sides: TokenizerSides,
    /** tokenizer.json's added tokens: do_lower_case leaves those that skip normalisation as they are. */
    private readonly addedTokens: readonly AddedToken[],
    private readonly specialIds: ReadonlySet<number>,
    private readonly padId: number,
    /** The tokenizer is the one the prefix cut was proven for; otherwise long texts are tokenised whole. */
    private readonly exactCut: boolean,
    private readonly native: NativeCall,
  ) {}

  static async load(config: SessionConfig): Promise<ModelSession> {
    const modelPath = path.join(config.dir, modelFileFor(config.dtype));
    if (!fs.existsSync(modelPath)) {
      throw new EngineError(
        'MODEL_NOT_FOUND',
        `Model file ${modelPath} is missing. Download the model again or choose a folder that holds ${modelFileFor(config.dtype)}.`,
      );
    }
    // transformers.js resolves models relative to env.localModelPath; point it at the folder's parent and never let
    // it reach the network or write a cache beside the bundle.
    const native = config.native ?? ((call) => call());
    transformersEnv.allowRemoteModels = false;
    transformersEnv.allowLocalModels = true;
    transformersEnv.localModelPath = path.dirname(config.dir) + path.sep;
    transformersEnv.useFSCache = false;
    transformersEnv.cacheDir = path.join(config.dir, '.transformers-cache');

    const [loadedTokenizer, session] = await Promise.all([
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
          extra: { session: { intra_op: { allow_spinning: config.spin === false ? '0' : '1' } } },
        }),
      ).catch((error: unknown) => {
        throw new EngineError(
          'MODEL_CORRUPT',
          `${modelPath} is not a valid ONNX model (${messageOf(error)}). The file is corrupted or incomplete: delete it and download the model again.`,
        );
      }),
    ]);
    const modelConfig = config.config ?? readModelConfig(config.dir);
    const files = { tokenizer: readJson(path.join(config.dir, 'tokenizer.json')), config: readJson(path.join(config.dir, 'tokenizer_config.json')) };
    // sentence_bert_config.json's tokenizer arguments override tokenizer_config.json, as from_pretrained kwargs do.
    const tokenizerConfig = { ...(files.config as object), ...modelConfig.tokenizerArgs };
    const normalizer = rebuiltNormalizer(tokenizerConfig, files.tokenizer);
    let tokenizer = loadedTokenizer;
    if (normalizer) {
      files.tokenizer = { ...(files.tokenizer as object), normalizer };
      const construct = loadedTokenizer.constructor as new (json: unknown, config: unknown) => PreTrainedTokenizer;
      tokenizer = new construct(files.tokenizer, (loadedTokenizer as unknown as { _tokenizerConfig: unknown })._tokenizerConfig);
    }
    const padId = tokenizer.pad_token_id ?? 0;
    const specialIds = new Set<number>(tokenizer.all_special_ids ?? []);
    // The id the post-processor puts after a text, if any: the last id of a one-letter text, when it is special.
    const probe = tokenizer.encode('a');
    const last = probe.at(-1);
    const endId = probe.length >= 2 && last !== undefined && specialIds.has(last) ? last : undefined;
    let headLength = 0;
    while (headLength < probe.length - 1 && specialIds.has(probe[headLength]!)) headLength++;
    let sides: TokenizerSides;
    try {
      sides = tokenizerSides({ tokenizer: files.tokenizer, config: tokenizerConfig }, config.dir);
    } catch (error) {
      await native(() => session.release()).catch(() => undefined);
      throw error;
    }
    const model = new ModelSession(
      tokenizer,
      session,
      modelConfig,
      endId,
      headLength,
      sides,
      addedTokensOf(files.tokenizer),
      specialIds,
      padId,
      prefixCutIsExact(files),
      native,
    );
    try {
      model.checkGraph();
    } catch (error) {
      await model.dispose().catch(() => undefined);
      throw error;
    }
    return model;
  }

  /**
   * Token ids as the model sees them: `prompt + text` (string concatenation, as ST does) with the special tokens,
   * at most max_seq_length of them, the final special token kept.
   */
  tokenize(text: string, prompt?: string): TokenizedText {
    let full = prompt ? prompt + text : text;
    if (this.config.doLowerCase) full = lowercaseLikeTokenizers(full, this.addedTokens);
    // HF tokenizers do not truncate at all when max_length leaves no room beside the special tokens (they warn).
    const specials = this.headLength + (this.endId === undefined ? 0 : 1);
    const maxLength = this.config.maxSeqLength < specials ? Infinity : this.config.maxSeqLength;
    // The prefix cut only knows how to keep a text's start; a left cut needs all of it.
    if (this.sides.truncation === 'left') return truncateIdsLeft(this.tokenizer.encode(full), this.headLength, maxLength);
    return encodeTruncated(full, (t) => this.tokenizer.encode(t), this.endId, maxLength, this.exactCut);
  }

  /**
   * Positions pooling leaves out for `prompt` when include_prompt is false (ST's `_get_prompt_length`): the prompt's
   * own ids with specials, truncated like a text, minus its final special token. 0 when pooling sees everything.
   */
  promptLength(prompt: string | undefined): number {
    if (!prompt || this.config.pooling.includePrompt) return 0;
    let length = this.promptLengths.get(prompt);
    if (length === undefined) {
      const { ids } = this.tokenize('', prompt);
      length = ids.length - (this.specialIds.has(ids.at(-1)!) ? 1 : 0);
      this.promptLengths.set(prompt, length);
    }
    return length;
  }

  /**
   * Encodes texts in batches sorted by word-piece count, so padding stays minimal (sorting by characters, as
   * sentence-transformers does, pads more: the bench measured +4–28% from sorting by tokens). A batch holds at most
   * `batchSize` texts and `maxBatchTokens` padded word pieces, so that one batch (which nothing can interrupt) takes
   * a bounded time whatever the batch size. Tokenises everything first, in chunks that yield to the event loop so
   * that a cancel message is seen, then checks for cancellation between batches. `onBatch(0, total)` announces the
   * batches before the first runs.
   */
  async encode(
    texts: readonly string[],
    prompt: string | undefined,
    batchSize: number,
    maxBatchTokens: number,
    isCancelled: () => boolean,
    onBatch: (done: number, total: number) => void,
    normalize: boolean = this.config.normalize,
  ): Promise<EncodeBatchesResult> {
    const promptLength = this.promptLength(prompt);
    const tokenized = new Array<TokenizedText>(texts.length);
    for (let start = 0; start < texts.length; start += TOKENIZE_CHUNK) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      if (isCancelled()) throw cancelled();
      const end = Math.min(texts.length, start + TOKENIZE_CHUNK);
      for (let i = start; i < end; i++) tokenized[i] = this.tokenize(texts[i]!, prompt);
    }
    const batches = lengthSortedBatches(
      tokenized.map((t) => t.ids.length),
      batchSize,
      maxBatchTokens,
    );
    onBatch(0, batches.length);
    const vectors = new Array<Float32Array>(texts.length);
    const tokens = new Array<TokenCount>(texts.length);
    for (let b = 0; b < batches.length; b++) {
      if (isCancelled()) throw cancelled();
      const indices = batches[b]!;
      const pooled = await this.run(
        indices.map((i) => tokenized[i]!),
        promptLength,
        normalize,
      );
      indices.forEach((original, k) => {
        vectors[original] = pooled[k]!;
        tokens[original] = { count: tokenized[original]!.ids.length, truncated: tokenized[original]!.truncated };
      });
      onBatch(b + 1, batches.length);
    }
    return { vectors, tokens };
  }

  /**
   * What ST's `encode(text, output_value="token_embeddings")` returns for one text: the transformer's
   * `last_hidden_state` for every position of `prompt + text` as `tokenize` gives it (special tokens and prompt
   * pieces included, truncated at max_seq_length with the final special token kept), before pooling, Dense or
   * Normalize. One text alone is one unpadded batch, so there are no padding rows to remove.
   */
  async tokenEmbeddings(text: string, prompt: string | undefined): Promise<TokenStates> {
    const tokenized = this.tokenize(text, prompt);
    const { hidden, dim } = await this.infer([tokenized], (states, _mask, _size, seqLength, width) => ({
      hidden: states.slice(0, seqLength * width),
      dim: width,
    }));
    const vocab = (this.idToToken ??= new Map([...this.tokenizer.get_vocab()].map(([token, id]) => [id, token])));
    const unk = this.tokenizer.unk_token_id;
    return {
      ids: tokenized.ids,
      tokens: tokenized.ids.map((id) => vocab.get(id) ?? `<${id}>`),
      special: tokenized.ids.map((id) => id !== unk && this.specialIds.has(id)),
      hidden,
      dim,
      truncated: tokenized.truncated,
    };
  }

  async dispose(): Promise<void> {
    await this.native(() => this.session.release());
  }

  private run(batch: TokenizedText[], promptLength: number, normalize: boolean): Promise<Float32Array[]> {
    const head = { modes: this.config.pooling.modes, dense: this.config.dense, normalize, truncateDim: this.config.truncateDim };
    return this.infer(batch, (hidden, maskFlags, size, seqLength, dim) => sentenceEmbeddings(hidden, maskFlags, size, seqLength, dim, head, promptLength));
  }

  /** Runs one padded batch (right or left, as the tokenizer pads) and hands `last_hidden_state` ([size, seqLength, dim], flat) to `use` before releasing it. */
  private async infer<T>(
    batch: TokenizedText[],
    use: (hidden: Float32Array, maskFlags: Uint8Array, size: number, seqLength: number, dim: number) => T,
  ): Promise<T> {
    const size = batch.length;
    const seqLength = Math.max(...batch.map((t) => t.ids.length));
    const limit = this.config.positionLimit;
    if (limit !== undefined && seqLength > limit) {
      throw new EngineError(
        'MODEL_CORRUPT',
        `${this.config.name} has position embeddings for ${limit} tokens (config.json max_position_embeddings), but a text here has ${seqLength}: its max_seq_length ${this.config.maxSeqLength} ${this.config.maxSeqLength < seqLength ? 'leaves no room beside the special tokens, so nothing is cut' : 'allows that'}, and sentence-transformers fails on it too. Set max_seq_length in sentence_bert_config.json to at most ${limit}.`,
      );
    }
    const ids = new BigInt64Array(size * seqLength).fill(BigInt(this.padId));
    const mask = new BigInt64Array(size * seqLength);
    const maskFlags = new Uint8Array(size * seqLength);
    batch.forEach((t, row) => {
      const offset = row * seqLength + (this.sides.padding === 'left' ? seqLength - t.ids.length : 0);
      t.ids.forEach((id, col) => {
        ids[offset + col] = BigInt(id);
        mask[offset + col] = 1n;
        maskFlags[offset + col] = 1;
      });
    });
    const dims = [size, seqLength];
    // Exactly the inputs the graph declares: XLM-R exports have no token_type_ids.
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', ids, dims);
      else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', mask, dims);
      else feeds[name] = new ort.Tensor('int64', new BigInt64Array(size * seqLength), dims);
    }
    const output = await this.native(() => this.session.run(feeds));
    const hidden = output['last_hidden_state'];
    if (!hidden) throw new EngineError('MODEL_CORRUPT', 'The ONNX model has no last_hidden_state output; it is not a transformer feature-extraction export.');
    try {
      const dim = hidden.dims[2]!;
      if (dim !== this.config.hiddenSize) {
        throw new EngineError(
          'WRONG_DIMENSION',
          `The ONNX model produces ${dim}-dimensional token states, but the folder's configuration expects ${this.config.hiddenSize}: the ONNX file does not belong to ${this.config.name}. Choose the right model folder.`,
        );
      }
      return use(hidden.data as Float32Array, maskFlags, size, seqLength, dim);
    } finally {
      for (const tensor of Object.values(output)) tensor.dispose?.();
    }
  }

  private checkGraph(): void {
    const names = this.session.outputNames;
    if (!names.includes('last_hidden_state')) {
      throw new EngineError(
        'MODEL_CORRUPT',
        `The ONNX model's outputs are ${names.join(', ')}; expected last_hidden_state. Choose a feature-extraction export of ${this.config.name}.`,
      );
    }
    const unknown = this.session.inputNames.filter((name) => !KNOWN_INPUTS.includes(name));
    if (!this.session.inputNames.includes('input_ids') || unknown.length > 0) {
      throw new EngineError(
        'MODEL_UNSUPPORTED',
        `The ONNX model's inputs are ${this.session.inputNames.join(', ')}; the engine feeds ${KNOWN_INPUTS.join(', ')}.`,
      );
    }
  }
}

function addedTokensOf(tokenizerJson: unknown): AddedToken[] {
  const added = (tokenizerJson as { added_tokens?: unknown } | undefined)?.added_tokens;
  return Array.isArray(added) ? (added as AddedToken[]) : [];
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
