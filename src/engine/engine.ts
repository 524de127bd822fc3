import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { lengthBalancedShards } from './batching';
import { EngineError, cancelled, withAbort } from './errors';
import { EmbeddingCache } from './embeddingCache';
import { resolveModel } from './modelResolver';
import type { WorkerReply } from './workerProtocol';
import { WorkerClient, type WorkerRequestBody } from './workerClient';
import {
  EMBEDDING_DIMENSION,
  MAX_SEQ_LENGTH,
  MODEL_NAME,
  modelFileFor,
  type BatchProgress,
  type DownloadProgress,
  type Dtype,
  type EncodeOptions,
  type EncodedTexts,
  type EngineOptions,
  type EngineState,
  type ModelInfo,
  type TokenCount,
} from './types';

interface CachedEmbedding {
  vector: Float32Array;
  tokens: TokenCount;
}

/** Default bound of the embedding cache: 64 MiB, about 33,000 embeddings of 384 floats. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** Bytes an embedding holds in the cache: its vector's buffer, the token-count object and the entry around them. */
function cachedBytes(entry: CachedEmbedding): number {
  return entry.vector.buffer.byteLength + 64 + 64;
}

function cacheLimits(options: EngineOptions) {
  return { maxBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES, maxEntries: options.cacheEntries };
}

export interface EngineEvents {
  state: [EngineState];
  download: [DownloadProgress];
  log: [string];
}

/**
 * The sentence-embedding engine: resolves and loads all-MiniLM-L6-v2 once (concurrent callers share the load),
 * runs it in a worker thread, and returns unit-length 384-d vectors equal to SentenceTransformer.encode.
 */
export class Engine extends EventEmitter<EngineEvents> {
  private options: EngineOptions;
  private workers: WorkerClient[] = [];
  private loading: Promise<ModelInfo> | undefined;
  private current: ModelInfo | undefined;
  private readonly cache: EmbeddingCache<CachedEmbedding>;
  private stateValue: EngineState = { kind: 'unloaded' };
  private disposed = false;

  constructor(options: EngineOptions = {}) {
    super();
    this.options = { ...options };
    this.cache = new EmbeddingCache(cacheLimits(this.options), cachedBytes);
  }

  get state(): EngineState {
    return this.stateValue;
  }

  get info(): ModelInfo | undefined {
    return this.current;
  }

  /** Embeddings held by the cache and the bytes they take (bounded by `cacheBytes`). */
  get cacheUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  get dtype(): Dtype {
    return this.options.dtype ?? 'fp32';
  }

  /** Changes settings; a different dtype or model location unloads the model so that the next call reloads it. */
  async configure(changes: Partial<EngineOptions>): Promise<void> {
    const reloadKeys: (keyof EngineOptions)[] = ['dtype', 'modelDir', 'projectModelsDir', 'bundledModelsDir', 'cacheDir', 'hub', 'threads', 'workers'];
    const needsReload = reloadKeys.some((key) => key in changes && JSON.stringify(changes[key]) !== JSON.stringify(this.options[key]));
    this.options = { ...this.options, ...changes };
    this.cache.setLimits(cacheLimits(this.options));
    if (needsReload) await this.unload();
  }

  /** Resolves and loads the model, or returns the load already under way. */
  load(signal?: AbortSignal): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(new EngineError('DISPOSED', 'The engine was disposed.'));
    if (this.current) return Promise.resolve(this.current);
    if (!this.loading) {
      this.loading = this.loadOnce(signal).then(
        (info) => {
          this.current = info;
          this.setState({ kind: 'ready', info });
          return info;
        },
        (error: unknown) => {
          this.loading = undefined;
          void this.stopWorkers();
          const engineError = error instanceof EngineError ? error : new EngineError('WORKER_FAILED', String((error as Error)?.message ?? error));
          this.setState(engineError.code === 'CANCELLED' ? { kind: 'unloaded' } : { kind: 'error', message: engineError.message, code: engineError.code });
          throw engineError;
        },
      );
    }
    return signal ? withAbort(this.loading, signal) : this.loading;
  }

  /** Unit-length embeddings, one per text, in input order. */
  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    return (await this.encodeWithTokens(texts, options)).vectors;
  }

  /** Embeddings plus each text's word-piece count (after truncation at 256) and whether it was truncated. */
  async encodeWithTokens(texts: readonly string[], options: EncodeOptions = {}): Promise<EncodedTexts> {
    validateTexts(texts);
    if (texts.length === 0) return { vectors: [], tokens: [] };
    if (options.signal?.aborted) throw cancelled();
    const info = await this.load(options.signal);
    const keyOf = (text: string) => EmbeddingCache.key(info.dir, info.dtype, text);
    const results = new Array<CachedEmbedding | undefined>(texts.length);
    const missing: string[] = [];
    const missingIndex = new Map<string, number[]>();
    texts.forEach((text, i) => {
      const hit = this.cache.get(keyOf(text));
      if (hit) {
        results[i] = hit;
        return;
      }
      const slots = missingIndex.get(text);
      if (slots) slots.push(i);
      else {
        missingIndex.set(text, [i]);
        missing.push(text);
      }
    });
    if (missing.length > 0) {
      const batchSize = options.batchSize ?? this.options.batchSize ?? 32;
      const encoded = await this.encodeOnWorkers(missing, batchSize, options.signal, options.onProgress);
      missing.forEach((text, k) => {
        const vector = encoded.vectors[k]!;
        if (vector.length !== EMBEDDING_DIMENSION) {
          throw new EngineError('WRONG_DIMENSION', `Got a ${vector.length}-dimensional vector, expected ${EMBEDDING_DIMENSION}. The model folder does not hold all-MiniLM-L6-v2.`);
        }
        const entry = { vector, tokens: encoded.tokens[k]! };
        this.cache.set(keyOf(text), entry);
        for (const i of missingIndex.get(text)!) results[i] = entry;
      });
    } else {
      options.onProgress?.({ done: 1, total: 1 });
    }
    return { vectors: results.map((r) => r!.vector), tokens: results.map((r) => r!.tokens) };
  }

  /** Word-piece counts without running the model. */
  async countTokens(texts: readonly string[], signal?: AbortSignal): Promise<TokenCount[]> {
    validateTexts(texts);
    if (texts.length === 0) return [];
    await this.load(signal);
    const reply = await this.request({ kind: 'tokenize', texts: [...texts] }, signal);
    if (reply.kind !== 'tokenized') throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
    return reply.tokens;
  }

  /**
   * Releases the model: running requests reject with CANCELLED at once, their workers stop at the next batch, and
   * this resolves when the worker threads (and the memory they held) are gone.
   */
  async unload(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    this.current = undefined;
    await loading?.catch(() => undefined);
    await this.stopWorkers();
    this.cache.clear();
    if (!this.disposed) this.setState({ kind: 'unloaded' });
  }

  async dispose(): Promise<void> {
    await this.unload();
    this.disposed = true;
    this.removeAllListeners();
  }

  private async loadOnce(signal: AbortSignal | undefined): Promise<ModelInfo> {
    const started = performance.now();
    const dtype = this.dtype;
    const log = (message: string) => this.log(message);
    const resolved = await resolveModel({
      dtype,
      modelDir: this.options.modelDir,
      projectModelsDir: this.options.projectModelsDir,
      bundledModelsDir: this.options.bundledModelsDir,
      cacheDir: this.options.cacheDir,
      allowDownload: this.options.allowDownload,
      hub: this.options.hub,
      signal,
      log,
      onDownload: (progress) => {
        this.setState({ kind: 'downloading', file: progress.file, received: progress.received, total: progress.total });
        this.emit('download', progress);
      },
    });
    if (signal?.aborted) throw cancelled();
    this.setState({ kind: 'loading' });
    const workers = this.options.workers ?? 1;
    // Several workers split the cores between them: each session runs single-batch work on its own threads.
    const threads = this.options.threads ?? Math.max(1, Math.floor(Math.min(os.availableParallelism(), 4) / workers));
    this.startWorkers(workers);
    await Promise.all(this.workers.map((w) => w.request({ kind: 'load', dir: resolved.dir, dtype, threads })));
    const loadMs = performance.now() - started;
    log(`loaded ${MODEL_NAME} ${dtype} from ${resolved.dir} (${resolved.source}) in ${loadMs.toFixed(0)} ms with ${threadLayout({ workers, threads })}`);
    return {
      name: MODEL_NAME,
      source: resolved.source,
      dir: resolved.dir,
      dtype,
      modelFile: path.join(resolved.dir, modelFileFor(dtype)),
      dimension: EMBEDDING_DIMENSION,
      maxSeqLength: MAX_SEQ_LENGTH,
      loadMs,
      threads,
      workers,
    };
  }

  /**
   * Encodes on the loaded workers. With several, the texts are dealt out by length and encoded in parallel; progress
   * adds up the batches of all of them, and the first failure cancels the rest.
   */
  private async encodeOnWorkers(texts: string[], batchSize: number, signal: AbortSignal | undefined, onProgress: ((p: BatchProgress) => void) | undefined): Promise<EncodedTexts> {
    if (signal?.aborted) throw cancelled();
    const workers = this.workers;
    if (workers.length === 0) throw new EngineError('WORKER_FAILED', 'The model is not loaded.');
    // Below two batches per worker a split only adds a round trip.
    const shards = texts.length >= 2 * batchSize * workers.length ? lengthBalancedShards(texts.map((t) => t.length), workers.length) : [texts.map((_, i) => i)];
    const total = shards.reduce((sum, s) => sum + Math.ceil(s.length / batchSize), 0);
    const done = shards.map(() => 0);
    const failed = new AbortController();
    const stop = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
    const replies = await Promise.all(
      shards.map(async (indices, k) => {
        try {
          const reply = await workers[k]!.request({ kind: 'encode', texts: indices.map((i) => texts[i]!), batchSize }, stop, (p) => {
            done[k] = p.done;
            onProgress?.({ done: done.reduce((a, b) => a + b, 0), total });
          });
          if (reply.kind !== 'encoded') throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
          return reply;
        } catch (error) {
          failed.abort();
          throw error;
        }
      }),
    );
    const vectors = new Array<Float32Array>(texts.length);
    const tokens = new Array<TokenCount>(texts.length);
    shards.forEach((indices, k) => {
      indices.forEach((original, j) => {
        vectors[original] = replies[k]!.vectors[j]!;
        tokens[original] = replies[k]!.tokens[j]!;
      });
    });
    return { vectors, tokens };
  }

  private startWorkers(count: number): void {
    void this.stopWorkers();
    const workerPath = this.options.workerPath ?? path.join(__dirname, 'engineWorker.js');
    const started: WorkerClient[] = [];
    const fail = (error: Error) => {
      if (this.workers !== started) return;
      this.log(`engine worker failed: ${error.message}`);
      void this.stopWorkers(new EngineError('WORKER_FAILED', `The inference worker stopped (${error.message}). Load the model again.`));
      this.current = undefined;
      this.loading = undefined;
      this.setState({ kind: 'error', code: 'WORKER_FAILED', message: error.message });
    };
    for (let i = 0; i < count; i++) started.push(new WorkerClient(workerPath, fail));
    this.workers = started;
  }

  /** Ends the workers; resolves when their threads are gone. */
  private async stopWorkers(reason = new EngineError('CANCELLED', 'The model was unloaded.')): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.stop(reason)));
  }

  private request(message: WorkerRequestBody, signal?: AbortSignal): Promise<WorkerReply> {
    const worker = this.workers[0];
    if (!worker) return Promise.reject(new EngineError('WORKER_FAILED', 'The model is not loaded.'));
    return worker.request(message, signal);
  }

  private setState(state: EngineState): void {
    this.stateValue = state;
    this.emit('state', state);
  }

  private log(message: string): void {
    this.options.log?.(message);
    this.emit('log', message);
  }
}

/** "2 threads", or "2 workers × 1 thread" when the model runs on several workers. */
export function threadLayout(info: Pick<ModelInfo, 'workers' | 'threads'>): string {
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  return info.workers > 1 ? `${info.workers} workers × ${threads}` : threads;
}

function validateTexts(texts: readonly unknown[]): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new EngineError('INVALID_INPUT', `Expected an array of strings, got ${typeof texts}.`);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw new EngineError('INVALID_INPUT', `Text ${i} is ${text === null ? 'null' : typeof text}, not a string. Pass every text as a string.`);
    }
  });
}
