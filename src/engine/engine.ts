import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import { EngineError, cancelled, deserializeError, withAbort } from './errors';
import { EmbeddingCache } from './embeddingCache';
import { resolveModel } from './modelResolver';
import type { WorkerReply, WorkerRequest } from './workerProtocol';
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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: BatchProgress) => void;
}

interface CachedEmbedding {
  vector: Float32Array;
  tokens: TokenCount;
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
  private worker: Worker | undefined;
  private loading: Promise<ModelInfo> | undefined;
  private current: ModelInfo | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cache: EmbeddingCache<CachedEmbedding>;
  private stateValue: EngineState = { kind: 'unloaded' };
  private disposed = false;

  constructor(options: EngineOptions = {}) {
    super();
    this.options = { ...options };
    this.cache = new EmbeddingCache(options.cacheEntries ?? 10_000);
  }

  get state(): EngineState {
    return this.stateValue;
  }

  get info(): ModelInfo | undefined {
    return this.current;
  }

  get dtype(): Dtype {
    return this.options.dtype ?? 'fp32';
  }

  /** Changes settings; a different dtype or model location unloads the model so that the next call reloads it. */
  async configure(changes: Partial<EngineOptions>): Promise<void> {
    const reloadKeys: (keyof EngineOptions)[] = ['dtype', 'modelDir', 'projectModelsDir', 'bundledModelsDir', 'cacheDir', 'hub', 'threads'];
    const needsReload = reloadKeys.some((key) => key in changes && JSON.stringify(changes[key]) !== JSON.stringify(this.options[key]));
    this.options = { ...this.options, ...changes };
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
          this.terminateWorker();
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
      const reply = await this.request({ kind: 'encode', texts: missing, batchSize }, options.signal, options.onProgress);
      if (reply.kind !== 'encoded') throw new EngineError('WORKER_FAILED', `unexpected worker reply ${reply.kind}`);
      missing.forEach((text, k) => {
        const vector = reply.vectors[k]!;
        if (vector.length !== EMBEDDING_DIMENSION) {
          throw new EngineError('WRONG_DIMENSION', `Got a ${vector.length}-dimensional vector, expected ${EMBEDDING_DIMENSION}. The model folder does not hold all-MiniLM-L6-v2.`);
        }
        const entry = { vector, tokens: reply.tokens[k]! };
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

  /** Releases the model and its worker; memory returns to the system only when the worker thread ends. */
  async unload(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    this.current = undefined;
    await loading?.catch(() => undefined);
    this.terminateWorker();
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
    const threads = this.options.threads ?? Math.max(1, Math.min(os.availableParallelism(), 4));
    this.startWorker();
    await this.request({ kind: 'load', dir: resolved.dir, dtype, threads });
    const loadMs = performance.now() - started;
    log(`loaded ${MODEL_NAME} ${dtype} from ${resolved.dir} (${resolved.source}) in ${loadMs.toFixed(0)} ms with ${threads} threads`);
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
    };
  }

  private startWorker(): void {
    this.terminateWorker();
    const worker = new Worker(this.options.workerPath ?? path.join(__dirname, 'engineWorker.js'));
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      if (reply.kind === 'progress') {
        pending.onProgress?.({ done: reply.done, total: reply.total });
        return;
      }
      this.pending.delete(reply.id);
      if (reply.kind === 'failed') pending.reject(deserializeError(reply.error));
      else pending.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.log(`engine worker failed: ${error.message}`);
      this.worker = undefined;
      this.current = undefined;
      this.loading = undefined;
      this.rejectAll(new EngineError('WORKER_FAILED', `The inference worker stopped (${error.message}). Load the model again.`));
      this.setState({ kind: 'error', code: 'WORKER_FAILED', message: error.message });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
  }

  private terminateWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(new EngineError('CANCELLED', 'The model was unloaded.'));
    if (worker) void worker.terminate();
  }

  private rejectAll(error: EngineError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }

  private request(message: DistributiveOmit<WorkerRequest, 'id'>, signal?: AbortSignal, onProgress?: (p: BatchProgress) => void): Promise<WorkerReply> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new EngineError('WORKER_FAILED', 'The model is not loaded.'));
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ id: this.nextId++, kind: 'cancel', target: id } satisfies WorkerRequest);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        onProgress,
      });
      worker.ref();
      worker.postMessage({ ...message, id } as WorkerRequest);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
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

function validateTexts(texts: readonly unknown[]): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new EngineError('INVALID_INPUT', `Expected an array of strings, got ${typeof texts}.`);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw new EngineError('INVALID_INPUT', `Text ${i} is ${text === null ? 'null' : typeof text}, not a string. Pass every text as a string.`);
    }
  });
}
