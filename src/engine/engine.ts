import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { lengthBalancedShards } from './batching';
import { normalize as unitLength } from '../core/vector';
import { unpairedSurrogate } from '../core/utf8';
import { EngineError, cancelled, withAbort } from './errors';
import { EmbeddingCache } from './embeddingCache';
import { resolveModel } from './modelResolver';
import { readModelConfig, resolvePrompt, type ModelConfig, type PromptOptions } from './modelConfig';
import type { WorkerReply } from './workerProtocol';
import { WorkerClient, leastBusy, type WorkerRequestBody } from './workerClient';
import {
  MAX_SEQ_LENGTH,
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
  type TokenEmbeddings,
  type TokenEmbeddingsOptions,
} from './types';

interface CachedEmbedding {
  vector: Float32Array;
  tokens: TokenCount;
}

/**
 * Padded word pieces a batch may hold by default. One batch cannot be interrupted, so this bounds how long a cancel
 * or an unload waits for the worker whatever the batch size (measured by scripts/bench/cancelBound.ts); it equals
 * the default 32 texts × 256 pieces, so default batches are what they always were.
 */
export const DEFAULT_MAX_BATCH_TOKENS = 8192;

/** Default bound of the embedding cache: 64 MiB, about 33,000 embeddings of 384 floats. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** Bytes an embedding holds in the cache: its vector's buffer, the token-count object and the entry around them. */
function cachedBytes(entry: CachedEmbedding): number {
  return entry.vector.buffer.byteLength + 64 + 64;
}

function cacheLimits(options: EngineOptions) {
  return { maxBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES, maxEntries: options.cacheEntries };
}

/** A model load under way, shared by every caller that asked for the model meanwhile. */
interface PendingLoad {
  promise: Promise<ModelInfo>;
  /** Aborted by unload, or when every caller waiting on the load has cancelled. */
  controller: AbortController;
  /** Callers waiting with a signal that has not aborted yet. */
  waiting: number;
  /** A caller without a signal waits: only unload or dispose cancels the load now. */
  pinned: boolean;
}

interface LoadedModel {
  info: ModelInfo;
  config: ModelConfig;
  workers: WorkerClient[];
}

export interface EngineEvents {
  state: [EngineState];
  download: [DownloadProgress];
  log: [string];
}

/**
 * The sentence-embedding engine: resolves and loads a sentence-transformers model folder once (all-MiniLM-L6-v2 by
 * default; concurrent callers share the load), runs it in worker threads, and returns the vectors
 * `SentenceTransformer(folder).encode` returns, following the folder's pooling, Dense, Normalize and prompts.
 */
export class Engine extends EventEmitter<EngineEvents> {
  private options: EngineOptions;
  /** Workers of the loaded model. A load owns its workers until it succeeds and is still wanted. */
  private workers: WorkerClient[] = [];
  /** Every worker thread not yet gone: loaded, loading, or ending after an unload or a cancelled load. */
  private readonly threads = new Set<WorkerClient>();
  /** Workers being stopped; unload resolves when all of them are gone. */
  private readonly retiring = new Set<Promise<void>>();
  private loading: PendingLoad | undefined;
  private current: ModelInfo | undefined;
  /** The loaded model's configuration (prompts are resolved with it). */
  private currentConfig: ModelConfig | undefined;
  private readonly cache: EmbeddingCache<CachedEmbedding>;
  private stateValue: EngineState = { kind: 'unloaded' };
  private disposed = false;

  /** Throws EngineError INVALID_INPUT for an option out of range (see `validateOptions`). */
  constructor(options: EngineOptions = {}) {
    super();
    validateOptions(options);
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

  /** Worker threads alive, including those still loading or ending after an unload or a cancelled load. */
  get threadCount(): number {
    return this.threads.size;
  }

  get dtype(): Dtype {
    return this.options.dtype ?? 'fp32';
  }

  /** Changes settings; a different dtype or model location unloads the model so that the next call reloads it. */
  async configure(changes: Partial<EngineOptions>): Promise<void> {
    validateOptions(changes);
    const reloadKeys: (keyof EngineOptions)[] = ['dtype', 'modelDir', 'projectModelsDir', 'bundledModelsDir', 'cacheDir', 'hub', 'threads', 'workers'];
    const needsReload = reloadKeys.some((key) => key in changes && JSON.stringify(changes[key]) !== JSON.stringify(this.options[key]));
    this.options = { ...this.options, ...changes };
    this.cache.setLimits(cacheLimits(this.options));
    if (needsReload) await this.unload();
  }

  /**
   * Resolves and loads the model, or joins the load already under way. Each caller stops waiting when its own
   * signal aborts; the load itself is cancelled only when every caller waiting on it has cancelled (a caller without
   * a signal keeps it going) or on unload.
   */
  load(signal?: AbortSignal): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(new EngineError('DISPOSED', 'The engine was disposed.'));
    if (this.current) return Promise.resolve(this.current);
    if (signal?.aborted) return Promise.reject(cancelled());
    return this.join(this.loading ?? this.startLoad(), signal);
  }

  /** Embeddings, one per text, in input order (unit length when the model ends in Normalize). */
  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    return (await this.encodeWithTokens(texts, options)).vectors;
  }

  /**
   * Embeddings plus each text's token count (prompt included, after truncation at max_seq_length) and whether it
   * was truncated. An unknown `promptName` is INVALID_INPUT listing the model's prompt names.
   */
  async encodeWithTokens(texts: readonly string[], options: EncodeOptions = {}): Promise<EncodedTexts> {
    validateTexts(texts);
    validatePromptOptions(options);
    if (options.normalize !== undefined && typeof options.normalize !== 'boolean')
      throw new EngineError('INVALID_INPUT', `normalize must be true or false, got ${typeof options.normalize}.`);
    if (options.batchSize !== undefined) validateOptions({ batchSize: options.batchSize });
    if (texts.length === 0) return { vectors: [], tokens: [] };
    if (options.signal?.aborted) throw cancelled();
    const info = await this.load(options.signal);
    const prompt = this.resolvePrompt(options);
    const normalize = options.normalize ?? this.currentConfig!.normalize;
    const model = { dir: info.dir, revision: info.origin ? `${info.origin.repository}@${info.origin.revision}` : undefined, dtype: info.dtype };
    const keyOf = (text: string) => EmbeddingCache.key(model, text, prompt, normalize);
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
      const maxBatchTokens = this.options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS;
      const encoded = await this.encodeOnWorkers(missing, { prompt, normalize }, batchSize, maxBatchTokens, options.signal, options.onProgress);
      missing.forEach((text, k) => {
        const vector = encoded.vectors[k]!;
        if (vector.length !== info.dimension) {
          throw new EngineError(
            'WRONG_DIMENSION',
            `Got a ${vector.length}-dimensional vector, expected ${info.dimension}. The model folder's files do not belong together.`,
          );
        }
        const entry = { vector, tokens: encoded.tokens[k]! };
        this.cache.set(keyOf(text), entry);
        for (const i of missingIndex.get(text)!) results[i] = entry;
      });
    } else {
      options.onProgress?.({ done: 1, total: 1 });
    }
    const vectors = results.map((r) => r!.vector);
    // sentence-transformers normalises after truncate_dim when asked to; the cache keeps the cut vectors as they are.
    const unitAfterCut = options.normalize === true && this.currentConfig!.truncateDim !== undefined;
    return { vectors: unitAfterCut ? vectors.map(unitLength) : vectors, tokens: results.map((r) => r!.tokens) };
  }

  /** Token counts (prompt included, as `encodeWithTokens` gives them) without running the model. */
  async countTokens(texts: readonly string[], signal?: AbortSignal, promptOptions: PromptOptions = {}): Promise<TokenCount[]> {
    validateTexts(texts);
    validatePromptOptions(promptOptions);
    if (texts.length === 0) return [];
    await this.load(signal);
    const prompt = this.resolvePrompt(promptOptions);
    const reply = await this.request({ kind: 'tokenize', texts: [...texts], prompt }, signal);
    if (reply.kind !== 'tokenized') throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
    return reply.tokens;
  }

  /**
   * Each text's token ids as the model sees them (special tokens included, truncated at max_seq_length as `encode`
   * truncates), without running the model: what idf weights are counted over.
   */
  async tokenIds(texts: readonly string[], signal?: AbortSignal, promptOptions: PromptOptions = {}): Promise<number[][]> {
    validateTexts(texts);
    validatePromptOptions(promptOptions);
    if (texts.length === 0) return [];
    await this.load(signal);
    const prompt = this.resolvePrompt(promptOptions);
    const reply = await this.request({ kind: 'tokenize', texts: [...texts], prompt, withIds: true }, signal);
    if (reply.kind !== 'tokenized' || !reply.ids) throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
    return reply.ids;
  }

  /**
   * One text's word pieces and their contextual embeddings, exactly sentence-transformers'
   * `encode(text, output_value="token_embeddings")`: a row of the transformer's last_hidden_state for every token the
   * model saw (special tokens and prompt pieces included, truncated as `encode` truncates), before pooling. Not cached.
   */
  async tokenEmbeddings(text: string, options: TokenEmbeddingsOptions = {}): Promise<TokenEmbeddings> {
    validateTexts([text]);
    validatePromptOptions(options);
    if (options.signal?.aborted) throw cancelled();
    await this.load(options.signal);
    const prompt = this.resolvePrompt(options);
    const reply = await this.request({ kind: 'tokenEmbeddings', text, prompt }, options.signal);
    if (reply.kind !== 'tokenEmbedded') throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
    const embeddings = reply.ids.map((_, i) => reply.hidden.subarray(i * reply.dim, (i + 1) * reply.dim));
    return { ids: reply.ids, tokens: reply.tokens, special: reply.special, embeddings, truncated: reply.truncated };
  }

  /**
   * Releases the model: a load under way is cancelled, running requests reject with CANCELLED at once, their workers
   * stop after the batch they are in, and this resolves when every worker thread (and the memory it held) is gone.
   */
  async unload(): Promise<void> {
    const load = this.loading;
    this.loading = undefined;
    this.current = undefined;
    this.currentConfig = undefined;
    load?.controller.abort(new EngineError('CANCELLED', 'The model was unloaded.'));
    await load?.promise.catch(() => undefined);
    const workers = this.workers;
    this.workers = [];
    await this.retire(workers, new EngineError('CANCELLED', 'The model was unloaded.'));
    await Promise.all(this.retiring);
    this.cache.clear();
    if (!this.disposed && !this.loading && !this.current) this.setState({ kind: 'unloaded' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.unload();
    this.removeAllListeners();
  }

  private startLoad(): PendingLoad {
    const load: PendingLoad = { promise: Promise.resolve() as unknown as Promise<ModelInfo>, controller: new AbortController(), waiting: 0, pinned: false };
    this.loading = load;
    load.promise = this.loadOnce(load).then(
      ({ info, config, workers }) => {
        if (this.loading !== load) {
          // Unloaded or cancelled while the workers were being made ready: they are not wanted any more.
          void this.retire(workers, abortReason(load.controller.signal));
          throw abortReason(load.controller.signal);
        }
        this.loading = undefined;
        this.workers = workers;
        this.current = info;
        this.currentConfig = config;
        this.setState({ kind: 'ready', info });
        return info;
      },
      (error: unknown) => {
        if (this.loading === load) this.loading = undefined;
        const engineError = load.controller.signal.aborted ? abortReason(load.controller.signal) : toEngineError(error);
        // A newer load or an unload owns the state now.
        if (!this.loading && !this.current && !this.disposed) {
          this.setState(engineError.code === 'CANCELLED' ? { kind: 'unloaded' } : { kind: 'error', message: engineError.message, code: engineError.code });
        }
        throw engineError;
      },
    );
    // Callers may all have stopped waiting; the outcome is in the state.
    load.promise.catch(() => undefined);
    return load;
  }

  /** Waits on a shared load with the caller's own signal, and cancels the load when its last waiter has cancelled. */
  private join(load: PendingLoad, signal: AbortSignal | undefined): Promise<ModelInfo> {
    if (!signal) {
      load.pinned = true;
      return load.promise;
    }
    load.waiting++;
    const leave = () => {
      load.waiting--;
      if (load.waiting > 0 || load.pinned || this.loading !== load) return;
      this.loading = undefined;
      this.log('model load cancelled: every caller waiting on it cancelled');
      load.controller.abort(cancelled());
    };
    signal.addEventListener('abort', leave, { once: true });
    const settled = () => signal.removeEventListener('abort', leave);
    load.promise.then(settled, settled);
    return withAbort(load.promise, signal);
  }

  private async loadOnce(load: PendingLoad): Promise<LoadedModel> {
    const signal = load.controller.signal;
    const wanted = () => this.loading === load;
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
      modelNamed: this.options.modelNamed,
      signal,
      log,
      onDownload: (progress) => {
        if (!wanted()) return;
        this.setState({ kind: 'downloading', file: progress.file, received: progress.received, total: progress.total });
        this.emit('download', progress);
      },
    });
    if (signal.aborted) throw abortReason(signal);
    const workerCount = this.options.workers ?? 1;
    await this.options.beforeSessions?.({ modelFile: path.join(resolved.dir, modelFileFor(dtype)), workers: workerCount }, signal);
    if (signal.aborted) throw abortReason(signal);
    if (wanted()) this.setState({ kind: 'loading' });
    // Read before any worker starts: an unsupported module fails the load at once, naming it.
    const config = readModelConfig(resolved.dir, { knownDefault: resolved.knownDefault, log });
    // Several workers split the cores between them: each session runs single-batch work on its own threads.
    const threads = this.options.threads ?? Math.max(1, Math.floor(Math.min(os.availableParallelism(), 4) / workerCount));
    // Thread pools that together want more cores than there are must not spin: a spinning thread holds a core that
    // another worker's thread is waiting for.
    const spin = workerCount * threads <= os.availableParallelism();
    const workers = this.startWorkers(workerCount);
    try {
      await Promise.all(workers.map((w) => w.request({ kind: 'load', dir: resolved.dir, dtype, threads, spin, config }, signal)));
    } catch (error) {
      // The workers end themselves once their session is made (terminating one inside ONNX Runtime aborts the process).
      await this.retire(workers, signal.aborted ? abortReason(signal) : toEngineError(error));
      throw signal.aborted ? abortReason(signal) : error;
    }
    const loadMs = performance.now() - started;
    log(
      `loaded ${config.name} ${dtype} from ${resolved.dir} (${resolved.source}) in ${loadMs.toFixed(0)} ms with ${threadLayout({ workers: workerCount, threads })}`,
    );
    const info: ModelInfo = {
      // A cache folder is named by its commit: a catalogue model goes by its id.
      name: resolved.origin?.catalogueId ?? config.name,
      source: resolved.source,
      dir: resolved.dir,
      dtype,
      modelFile: path.join(resolved.dir, modelFileFor(dtype)),
      dimension: config.dimension,
      maxSeqLength: config.maxSeqLength,
      pooling: [...config.pooling.modes],
      includePrompt: config.pooling.includePrompt,
      dense: config.dense.map((d) => ({ inFeatures: d.inFeatures, outFeatures: d.outFeatures, activation: d.activation })),
      normalize: config.normalize,
      ...(config.truncateDim !== undefined ? { truncateDim: config.truncateDim } : {}),
      similarityFunction: config.similarityFunction,
      prompts: { ...config.prompts },
      promptNames: Object.keys(config.prompts),
      defaultPromptName: config.defaultPromptName,
      ...(resolved.origin ? { origin: resolved.origin } : {}),
      loadMs,
      threads,
      workers: workerCount,
    };
    return { info, config, workers };
  }

  /**
   * Encodes on the loaded workers. With several, the texts are dealt out by length and encoded in parallel; progress
   * adds up the batches of all of them (each worker announces its count once it has tokenised; until then a count
   * by texts stands in), and the first failure cancels the rest.
   */
  private async encodeOnWorkers(
    texts: string[],
    { prompt, normalize }: { prompt: string | undefined; normalize: boolean },
    batchSize: number,
    maxBatchTokens: number,
    signal: AbortSignal | undefined,
    onProgress: ((p: BatchProgress) => void) | undefined,
  ): Promise<EncodedTexts> {
    if (signal?.aborted) throw cancelled();
    const workers = this.workers;
    if (workers.length === 0) throw new EngineError('WORKER_FAILED', 'The model is not loaded.');
    // Below two batches per worker a split only adds a round trip.
    const shards =
      texts.length >= 2 * batchSize * workers.length
        ? lengthBalancedShards(
            texts.map((t) => t.length),
            workers.length,
          )
        : [texts.map((_, i) => i)];
    const totals = shards.map((s) => Math.ceil(s.length / batchSize));
    const done = shards.map(() => 0);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const failed = new AbortController();
    const stop = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
    // A request that is not split goes to the least busy worker, so that concurrent callers run in parallel.
    const assigned = shards.length === 1 ? [leastBusy(workers)] : workers;
    const replies = await Promise.all(
      shards.map(async (indices, k) => {
        try {
          const progress = onProgress !== undefined;
          const reply = await assigned[k]!.request(
            { kind: 'encode', texts: indices.map((i) => texts[i]!), prompt, normalize, batchSize, maxBatchTokens, progress },
            stop,
            (p) => {
              done[k] = p.done;
              totals[k] = p.total;
              if (p.done > 0) onProgress?.({ done: sum(done), total: sum(totals) });
            },
          );
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

  /** Starts worker threads for a load; they serve requests once the load has installed them as `this.workers`. */
  private startWorkers(count: number): WorkerClient[] {
    const workerPath = this.options.workerPath ?? path.join(__dirname, 'engineWorker.js');
    const started: WorkerClient[] = [];
    const fail = (error: Error) => {
      // While loading, the failed load request rejects and the load retires its workers itself.
      if (this.workers !== started) return;
      this.log(`engine worker failed: ${error.message}`);
      this.workers = [];
      void this.retire(started, new EngineError('WORKER_FAILED', `The inference worker stopped (${error.message}). Load the model again.`));
      this.current = undefined;
      this.setState({ kind: 'error', code: 'WORKER_FAILED', message: error.message });
    };
    for (let i = 0; i < count; i++) {
      const worker = new WorkerClient(workerPath, fail);
      this.threads.add(worker);
      void worker.exited.then(() => this.threads.delete(worker));
      started.push(worker);
    }
    return started;
  }

  /** Ends workers (pending requests reject with `reason`); resolves when their threads are gone. */
  private retire(workers: readonly WorkerClient[], reason: EngineError): Promise<void> {
    if (workers.length === 0) return Promise.resolve();
    const gone = Promise.all(workers.map((worker) => worker.stop(reason))).then(() => undefined);
    this.retiring.add(gone);
    void gone.finally(() => this.retiring.delete(gone));
    return gone;
  }

  /** The prompt the loaded model applies for these options (undefined: none). */
  private resolvePrompt(options: PromptOptions): string | undefined {
    const config = this.currentConfig;
    if (!config) throw new EngineError('WORKER_FAILED', 'The model is not loaded.');
    return resolvePrompt(config, options);
  }

  private request(message: WorkerRequestBody, signal?: AbortSignal): Promise<WorkerReply> {
    if (this.workers.length === 0) return Promise.reject(new EngineError('WORKER_FAILED', 'The model is not loaded.'));
    return leastBusy(this.workers).request(message, signal);
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

/** The EngineError a load was aborted with (unload and cancellation pass one), or a plain cancellation. */
function abortReason(signal: AbortSignal): EngineError {
  return signal.reason instanceof EngineError ? signal.reason : cancelled();
}

function toEngineError(error: unknown): EngineError {
  return error instanceof EngineError ? error : new EngineError('WORKER_FAILED', String((error as Error)?.message ?? error));
}

/**
 * Rejects counts a user could mistype into something harmful: workers and threads beyond the machine's cores (each
 * worker holds a copy of the model; `--workers 1000` once started a thousand), batch sizes below 1, negative cache
 * bounds. Non-integers are refused too.
 */
export function validateOptions(
  options: Partial<Pick<EngineOptions, 'workers' | 'threads' | 'batchSize' | 'maxBatchTokens' | 'cacheBytes' | 'cacheEntries'>>,
): void {
  const cores = os.availableParallelism();
  const check = (name: string, value: number | undefined, min: number, max: number, hint: string) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new EngineError(
        'INVALID_INPUT',
        `${name} must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any size' : max}, got ${String(value)}. ${hint}`,
      );
    }
  };
  check('workers', options.workers, 1, cores, `This machine has ${cores} cores: use at most ${cores} workers.`);
  check('threads', options.threads, 1, cores, `This machine has ${cores} cores.`);
  check('batchSize', options.batchSize, 1, Number.MAX_SAFE_INTEGER, 'Use 32 unless you have measured better.');
  check('maxBatchTokens', options.maxBatchTokens, MAX_SEQ_LENGTH, Number.MAX_SAFE_INTEGER, `A batch must hold one text of ${MAX_SEQ_LENGTH} word pieces.`);
  check('cacheBytes', options.cacheBytes, 0, Number.MAX_SAFE_INTEGER, '0 turns the cache off.');
  check('cacheEntries', options.cacheEntries, 0, Number.MAX_SAFE_INTEGER, '0 turns the cache off.');
}

function validatePromptOptions(options: PromptOptions): void {
  for (const key of ['prompt', 'promptName'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'string')
      throw new EngineError('INVALID_INPUT', `${key} must be a string, got ${value === null ? 'null' : typeof value}.`);
  }
}

function validateTexts(texts: readonly unknown[]): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new EngineError('INVALID_INPUT', `Expected an array of strings, got ${typeof texts}.`);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw new EngineError('INVALID_INPUT', `Text ${i} is ${text === null ? 'null' : typeof text}, not a string. Pass every text as a string.`);
    }
    const surrogate = unpairedSurrogate(text);
    if (surrogate) {
      throw new EngineError(
        'INVALID_INPUT',
        `Text ${i} holds an unpaired surrogate (${surrogate}), which is not Unicode text: write the character whole or drop it.`,
      );
    }
  });
}
