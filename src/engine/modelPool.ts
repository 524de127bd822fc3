// Several models loaded at once, each an Engine with its own worker threads, least recently used evicted when the
// weights of the idle ones no longer fit a memory budget.
import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { Engine } from './engine';
import { defaultHub } from './hubEndpoint';
import { catalogueEntryFor } from './modelCatalogue';
import type { Dtype, EngineOptions, EngineState, ModelInfo, ModelWeights } from './types';

/** Default of `minilm.models.memoryBudgetMB`: all-MiniLM-L6-v2 fp32 (90 MB per worker) and a few multilingual models. */
export const DEFAULT_MEMORY_BUDGET_MB = 1024;

/** The options that say which model a pooled engine runs; everything else comes from the pool's shared options. */
export type ModelChoice = Pick<EngineOptions, 'modelDir' | 'hub' | 'modelNamed' | 'dtype'>;

export interface PoolRequest {
  model: ModelChoice;
  /**
   * Where the vectors are computed ("local", or a remote backend and endpoint): a pooled engine behind a remote
   * backend still counts word pieces, so two backends never share one.
   */
  backend?: string;
}

export interface PooledModel {
  key: string;
  /** Which model it is, before it has loaded too (see `modelIdentity`). */
  identity: string;
  /** The loaded model's facts; undefined until its first load has finished. */
  info: ModelInfo | undefined;
  dtype: Dtype;
  state: EngineState['kind'];
  /** Bytes counted against the budget (see `weightsBytes`); undefined until the model's folder is found. */
  bytes: number | undefined;
  /** Requests running on it now: it is not evicted until they end. */
  busy: number;
}

export interface ModelPoolOptions {
  /** Options every pooled engine shares (cache folder, workers, threads, worker script, log). */
  shared?: EngineOptions;
  budgetBytes: number;
  /** Makes an engine (tests count and inspect them). */
  createEngine?: (options: EngineOptions) => Engine;
  log?: (message: string) => void;
  /** Called when what `models()` lists may have changed: a model added, loaded, busy, idle or unloaded. */
  onChange?: () => void;
}

interface Slot {
  key: string;
  identity: string;
  engine: Engine;
  dtype: Dtype;
  leases: number;
  bytes: number | undefined;
  evicted: boolean;
}

/** lru-cache wants a positive size: an entry in use counts as one byte, so that it never pushes another out. */
const PINNED_SIZE = 1;

/**
 * What a loaded model costs, as the pool counts it: the ONNX weights file of its dtype once per worker (each worker's
 * session holds its own copy). A measure known as soon as the model resolves and equal on every platform; the
 * process RSS a worker adds is larger (ONNX Runtime's arenas, the tokenizer) and moves with the batches run.
 */
export function weightsBytes(info: ModelWeights | Pick<ModelInfo, 'modelFile' | 'workers'>): number {
  return fs.statSync(info.modelFile).size * info.workers;
}

/**
 * Which model a choice loads, as the resolver reads it: a folder's absolute path (MINILM_MODEL_DIR for a model not
 * named), else the catalogue entry pinning the repository and revision (an unnamed model is the default entry,
 * all-MiniLM-L6-v2, unless the hub settings name another repository), else the hub repository and revision.
 * `all-MiniLM-L6-v2` named in a notebook and the default model of an empty `minilm.model` are one model.
 */
export function modelIdentity(model: ModelChoice, env: NodeJS.ProcessEnv = process.env): string {
  const folder = model.modelDir || (model.modelNamed ? undefined : env.MINILM_MODEL_DIR);
  if (folder) return `folder ${path.resolve(folder)}`;
  const hub = { ...defaultHub(env), ...Object.fromEntries(Object.entries(model.hub ?? {}).filter(([, v]) => v !== undefined && v !== '')) };
  const entry = catalogueEntryFor(hub.repository, hub.revision.trim());
  return entry ? `catalogue ${entry.id}` : `hub ${hub.repository.toLowerCase()}@${hub.revision.trim()}`;
}

/**
 * Whether an engine with these options runs `choice` (a notebook's or cell's model): the same identity and dtype.
 * `# model: all-MiniLM-L6-v2` under an empty `minilm.model` is the active engine's model, not a second copy.
 */
export function runsModel(active: EngineOptions, choice: ModelChoice, env: NodeJS.ProcessEnv = process.env): boolean {
  const dtype = active.dtype ?? 'fp32';
  return (
    poolKey({ model: { ...choice, dtype: choice.dtype ?? dtype } }, env) ===
    poolKey({ model: { modelDir: active.modelDir, hub: active.hub, modelNamed: active.modelNamed, dtype } }, env)
  );
}

/**
 * The pool key: the model's identity (see `modelIdentity`), its dtype and the backend. Two requests with the same
 * key share one engine and its embedding cache.
 */
export function poolKey(request: PoolRequest, env: NodeJS.ProcessEnv = process.env): string {
  const { model } = request;
  return JSON.stringify({ model: modelIdentity(model, env), dtype: model.dtype ?? 'fp32', backend: request.backend ?? 'local' });
}

/**
 * Engines for several models at once. A model stays loaded after use; when the weights of the loaded models exceed
 * the budget, the least recently used idle ones are unloaded (their worker threads end, which is when their memory
 * is returned). A model's weights count from the moment its folder is found: idle models are unloaded to make room
 * before its sessions load. A model in use is never evicted, so models loading or running at the same time can
 * together exceed the budget until their requests end. A model larger than the whole budget is kept alone.
 */
export class ModelPool {
  private lru: LRUCache<string, Slot>;
  private shared: EngineOptions;
  private readonly createEngine: (options: EngineOptions) => Engine;
  private readonly log: (message: string) => void;
  private readonly changed: () => void;
  /** Engines being disposed after eviction; `settled` waits for them. */
  private readonly retiring = new Set<Promise<void>>();
  private disposed = false;

  constructor(options: ModelPoolOptions) {
    this.shared = { ...options.shared };
    this.createEngine = options.createEngine ?? ((o) => new Engine(o));
    this.log = options.log ?? (() => undefined);
    this.changed = options.onChange ?? (() => undefined);
    this.lru = this.makeLru(options.budgetBytes);
  }

  get budgetBytes(): number {
    return this.lru.maxSize;
  }

  /** Changes the budget; idle models over the new one are evicted, least recently used first. */
  setBudget(budgetBytes: number): void {
    if (budgetBytes === this.lru.maxSize) return;
    const old = this.lru;
    this.lru = this.makeLru(budgetBytes);
    // Oldest first, so that the new cache keeps the same order; the old one is dropped without disposing anything.
    for (const [key, slot] of [...old.entries()].reverse()) this.lru.set(key, slot, { size: this.sizeOf(slot) });
  }

  /**
   * Changes the options every pooled engine shares; when they differ, every model is unloaded (those in use once
   * their requests end) and the next request loads it with the new options.
   */
  setShared(shared: EngineOptions): void {
    if (JSON.stringify(shared) === JSON.stringify(this.shared)) return;
    this.shared = { ...shared };
    this.lru.clear();
  }

  /**
   * Runs `work` on the engine of the requested model, making (not yet loading) it when the pool has none. The
   * engine loads lazily on its first call, as a lone Engine does; the model stays pinned until `work` settles.
   */
  async use<T>(request: PoolRequest, work: (engine: Engine) => Promise<T>): Promise<T> {
    if (this.disposed) throw new Error('The model pool was disposed.');
    const slot = this.checkout(request);
    try {
      return await work(slot.engine);
    } finally {
      this.checkin(slot);
    }
  }

  /** The models held, most recently used first. */
  models(): PooledModel[] {
    return [...this.lru.values()].map((slot) => ({
      key: slot.key,
      identity: slot.identity,
      info: slot.engine.info,
      dtype: slot.dtype,
      state: slot.engine.state.kind,
      bytes: slot.bytes,
      busy: slot.leases,
    }));
  }

  /** Bytes of the loaded idle models and of the busy ones whose size is known. */
  get bytesInUse(): number {
    return [...this.lru.values()].reduce((sum, slot) => sum + (slot.bytes ?? 0), 0);
  }

  /**
   * Unloads an idle pooled model now (the Model tab's Unload). Returns false when the pool does not hold it; throws
   * while a request runs on it, which would otherwise fail with CANCELLED.
   */
  async unload(key: string): Promise<boolean> {
    const slot = this.lru.peek(key);
    if (!slot) return false;
    if (slot.leases > 0)
      throw new Error(
        `${slot.engine.info?.name ?? 'The model'} is busy with ${slot.leases} request${slot.leases === 1 ? '' : 's'}: unload it once they have finished.`,
      );
    this.lru.delete(key);
    await this.settled();
    return true;
  }

  /** Resolves when every evicted engine's workers have ended. */
  async settled(): Promise<void> {
    while (this.retiring.size > 0) await Promise.all(this.retiring);
  }

  /** Unloads every model (requests running reject with CANCELLED) and waits for their threads to end. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.lru.clear();
    await this.settled();
  }

  private makeLru(budgetBytes: number): LRUCache<string, Slot> {
    if (!Number.isInteger(budgetBytes) || budgetBytes < 1)
      throw new RangeError(`The model memory budget must be a whole number of bytes from 1, got ${budgetBytes}.`);
    return new LRUCache<string, Slot>({ maxSize: budgetBytes, dispose: (slot, _key, reason) => this.evicted(slot, reason) });
  }

  private checkout(request: PoolRequest): Slot {
    const key = poolKey(request);
    let slot = this.lru.get(key);
    if (!slot) {
      const made: Omit<Slot, 'engine'> = {
        key,
        identity: modelIdentity(request.model),
        dtype: request.model.dtype ?? this.shared.dtype ?? 'fp32',
        leases: 0,
        bytes: undefined,
        evicted: false,
      };
      // The shared hub options (a mirror's endpoint) still apply to a model that names its repository and revision.
      const hub = this.shared.hub || request.model.hub ? { hub: { ...this.shared.hub, ...request.model.hub } } : {};
      const engine = this.createEngine({
        ...this.shared,
        ...request.model,
        ...hub,
        beforeSessions: (weights) => this.makeRoom(created, weightsBytes(weights)),
      });
      const created: Slot = { ...made, engine };
      engine.on('state', () => this.changed());
      slot = created;
    }
    slot.leases++;
    this.lru.set(key, slot, { size: PINNED_SIZE });
    this.changed();
    return slot;
  }

  private checkin(slot: Slot): void {
    slot.leases--;
    this.changed();
    if (slot.leases > 0) return;
    if (slot.evicted || this.disposed) {
      this.retire(slot);
      return;
    }
    const info = slot.engine.info;
    if (!info) {
      // The load failed or was cancelled: nothing is held, and the next request starts afresh.
      this.lru.delete(slot.key);
      return;
    }
    slot.bytes ??= weightsBytes(info);
    // Models in use move to the recent end, so that eviction reaches idle ones first and stops before them.
    for (const other of [...this.lru.values()].filter((s) => s.leases > 0)) this.lru.get(other.key);
    this.lru.set(slot.key, slot, { size: this.sizeOf(slot) });
  }

  /**
   * Counts a loading model's weights and unloads idle models, least recently used first, until the known weights of
   * all fit the budget; waits for their worker threads to end, so that their memory is back before the new sessions
   * take theirs.
   */
  private async makeRoom(slot: Slot, bytes: number): Promise<void> {
    slot.bytes = bytes;
    const total = () => [...this.lru.values()].reduce((sum, s) => sum + (s.bytes ?? 0), 0);
    // Least recently used first (lru-cache's reverse order).
    for (const other of [...this.lru.rvalues()]) {
      if (total() <= this.lru.maxSize) break;
      if (!other || other === slot || other.leases > 0) continue;
      this.log(`model pool: unloading ${other.engine.info?.name ?? other.key} ${other.dtype} to make room for a model of ${megabytes(bytes)}`);
      this.lru.delete(other.key);
    }
    const over = total() - this.lru.maxSize;
    this.log(
      `model pool: loading ${(JSON.parse(slot.key) as { model: string }).model} ${slot.dtype}, ${megabytes(bytes)} of weights (${megabytes(total())} of ${megabytes(this.lru.maxSize)} counted${over > 0 ? '; over the budget while the models in use hold it' : ''})`,
    );
    await this.settled();
  }

  /** What an entry counts in the LRU: one byte while in use, its weights when idle (at most what leaves room for the busy ones). */
  private sizeOf(slot: Slot): number {
    if (slot.leases > 0 || slot.bytes === undefined) return PINNED_SIZE;
    const busy = [...this.lru.values()].filter((s) => s !== slot && s.leases > 0).length * PINNED_SIZE;
    return Math.max(PINNED_SIZE, Math.min(slot.bytes, this.lru.maxSize - busy));
  }

  private evicted(slot: Slot, reason: LRUCache.DisposeReason): void {
    // The same slot set again (a resize) is not an eviction.
    if (reason === 'set' && this.lru.peek(slot.key) === slot) return;
    slot.evicted = true;
    this.changed();
    if (reason === 'evict')
      this.log(
        `model pool: unloading ${slot.engine.info?.name ?? slot.key} ${slot.dtype} (least recently used; ${megabytes(this.bytesInUse)} of ${megabytes(this.lru.maxSize)} in use)`,
      );
    if (slot.leases === 0) this.retire(slot);
  }

  private retire(slot: Slot): void {
    const gone = slot.engine.dispose().catch(() => undefined);
    void gone.then(() => this.changed());
    this.retiring.add(gone);
    void gone.finally(() => this.retiring.delete(gone));
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
