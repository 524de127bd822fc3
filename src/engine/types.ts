import type { PoolingMode, SimilarityFunction } from './modelConfig';

/** Weights variant: `fp32` reproduces sentence-transformers; `q8` is per-channel int8 (onnx/model_quantized.onnx). */
export type Dtype = 'fp32' | 'q8';

export const DTYPES: readonly Dtype[] = ['fp32', 'q8'];

/** Facts about all-MiniLM-L6-v2, the default model (other folders bring their own). */
export const MODEL_NAME = 'all-MiniLM-L6-v2';
export const EMBEDDING_DIMENSION = 384;
/** sentence-transformers' max_seq_length: the tokenizer's own 512 (and tokenizer.json's 128) are not what the model was trained with. */
export const MAX_SEQ_LENGTH = 256;

export function modelFileFor(dtype: Dtype): string {
  return dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/** Files a model folder must hold for a given dtype. */
export function requiredFiles(dtype: Dtype): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', modelFileFor(dtype)];
}

export type ModelSource = 'folder' | 'project' | 'bundled' | 'cache' | 'hub';

export interface HubOptions {
  /** Base URL, e.g. https://huggingface.co or a mirror such as https://hf-mirror.com (HF_ENDPOINT). */
  endpoint: string;
  /** Repository id in transformers.js layout, e.g. Xenova/all-MiniLM-L6-v2. */
  repository: string;
  /** Commit the files are pinned to. */
  revision: string;
}

export interface EngineOptions {
  /** Explicit model folder (or a folder holding `all-MiniLM-L6-v2/`). Defaults to MINILM_MODEL_DIR. Searched first. */
  modelDir?: string;
  /** Project `models/` folder, searched second. */
  projectModelsDir?: string;
  /** A `models/` folder shipped with the program (the offline VSIX), searched third. */
  bundledModelsDir?: string;
  /** Per-user cache folder, searched fourth and the destination of downloads. */
  cacheDir?: string;
  dtype?: Dtype;
  batchSize?: number;
  /**
   * Padded word pieces one batch may hold (texts × its longest text), default 8192: long texts come in smaller
   * batches, so that a cancel or an unload waits at most about one such batch whatever `batchSize` is.
   */
  maxBatchTokens?: number;
  /** When no local copy exists, download from the hub. Off unless set. */
  allowDownload?: boolean;
  hub?: Partial<HubOptions>;
  /**
   * The caller named the model (a catalogue id or hub repository, as `--model`): MINILM_MODEL_DIR does not
   * replace it.
   */
  modelNamed?: boolean;
  /**
   * ONNX Runtime intra-op threads per worker; defaults to the available cores (at most 4) divided among the workers.
   */
  threads?: number;
  /**
   * Inference worker threads, each with its own session (default 1). Two single-threaded sessions encode large
   * inputs 1.17–1.33× faster than one two-threaded session on 2 cores (`npm run bench`), for one more copy of the
   * model in memory (peak RSS +215 MB fp32, +130 MB q8); requests smaller than two batches per worker still run on one.
   */
  workers?: number;
  /**
   * Bytes the embedding LRU cache may hold (vectors, token counts and hashed keys; never the texts). Default
   * 64 MiB, about 33,000 embeddings; 0 disables the cache.
   */
  cacheBytes?: number;
  /** Optional cap on the number of cached embeddings besides `cacheBytes` (0 disables the cache). */
  cacheEntries?: number;
  /** Where each resolution step, load time and error are reported. */
  log?: (message: string) => void;
  /** Worker script path (tests and bundles put it beside the engine). */
  workerPath?: string;
  /**
   * Called once the model's folder is found and before its sessions load, with what they will hold; the load waits
   * for it (the model pool frees memory here, before a new model takes any).
   */
  beforeSessions?: (weights: ModelWeights, signal: AbortSignal) => Promise<void> | void;
}

/** The weights a load is about to put in its workers' sessions. */
export interface ModelWeights {
  /** The ONNX file of the dtype: each worker's session holds a copy. */
  modelFile: string;
  workers: number;
}

export interface ModelInfo {
  /** The folder's name (all-MiniLM-L6-v2 for the default model, whatever its cache folder is called). */
  name: string;
  source: ModelSource;
  dir: string;
  dtype: Dtype;
  modelFile: string;
  /** Width of the vectors encode returns. */
  dimension: number;
  /** Tokens the model sees at most, specials and prompt included. */
  maxSeqLength: number;
  /** Pooling modes (several are concatenated in this order). */
  pooling: PoolingMode[];
  /** false: prompt tokens are left out of pooling. */
  includePrompt: boolean;
  /** Dense layers after pooling, as in_features → out_features. */
  dense: { inFeatures: number; outFeatures: number; activation: string }[];
  /** The model ends in a Normalize module: its vectors have unit length, unless truncateDim cuts them after it. */
  normalize: boolean;
  /** config_sentence_transformers.json truncate_dim, when it cuts the vectors (Matryoshka): they keep their first values. */
  truncateDim?: number;
  /** How the model's vectors are compared: sentence-transformers' similarity_fn_name. */
  similarityFunction: SimilarityFunction;
  /** Prompt names and texts (sentence-transformers adds "query" and "document", both empty, when absent). */
  prompts: Record<string, string>;
  promptNames: string[];
  /** Prompt applied when encode names none. */
  defaultPromptName: string | undefined;
  /** For a model from the cache or the hub: its catalogue id (when it has one) and repository@revision. */
  origin?: { catalogueId?: string; repository: string; revision: string };
  loadMs: number;
  /** ONNX Runtime intra-op threads of each worker's session. */
  threads: number;
  workers: number;
}

export type EngineState =
  | { kind: 'unloaded' }
  | { kind: 'downloading'; file: string; received: number; total: number | undefined }
  | { kind: 'loading' }
  | { kind: 'ready'; info: ModelInfo }
  | { kind: 'error'; message: string; code: string };

export interface DownloadProgress {
  file: string;
  received: number;
  total: number | undefined;
  /** Bytes over all files of this download, when sizes are known. */
  overallReceived?: number;
  overallTotal?: number;
}

export interface BatchProgress {
  done: number;
  total: number;
}

export interface EncodeOptions {
  /** Put before every text (as sentence-transformers' `prompt`); wins over `promptName`, even when "". */
  prompt?: string;
  /** One of the model's prompt names (`ModelInfo.promptNames`); without either, the model's default prompt applies. */
  promptName?: string;
  /**
   * Override the model's Normalize module: false returns the pooled (and Dense) vectors as they are, true scales them
   * to unit length even when the model ends without Normalize (text-embeddings-inference's `normalize`), and after a
   * truncate_dim cut, as `encode(normalize_embeddings=True)` does. Default: the model's own pipeline, as
   * `SentenceTransformer.encode` runs it.
   */
  normalize?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

export interface TokenCount {
  /** Tokens the model sees, specials and prompt included, after truncation at max_seq_length. */
  count: number;
  /** The text had more than max_seq_length tokens and its tail was ignored. */
  truncated: boolean;
}

export interface EncodedTexts {
  vectors: Float32Array[];
  tokens: TokenCount[];
}

/** One text's word pieces and their contextual embeddings: sentence-transformers' `encode(text, output_value="token_embeddings")`. */
export interface TokenEmbeddings {
  /** Token ids as the model saw them: `prompt + text` with special tokens, truncated at max_seq_length (final special token kept). */
  ids: number[];
  /** The tokenizer's strings for the ids: `[CLS]`, `hello`, `##ing`, `▁world`, `</s>`. */
  tokens: string[];
  /** True for special tokens ([CLS], [SEP], <s>, </s>, pad, mask); false for text pieces, the unknown token included. */
  special: boolean[];
  /** The transformer's last_hidden_state, one row per token, before pooling, Dense and Normalize. */
  embeddings: Float32Array[];
  /** The text (with its prompt) had more word pieces than max_seq_length. */
  truncated: boolean;
}

export interface TokenEmbeddingsOptions {
  /** As `EncodeOptions.prompt`: put before the text; its pieces are part of the result, as in sentence-transformers. */
  prompt?: string;
  promptName?: string;
  signal?: AbortSignal;
}
