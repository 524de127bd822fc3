import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** What the engine needs of a least-recently-used store bounded by bytes. */
export interface ByteBoundedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  clear(): void;
  readonly size: number;
  /** Bytes held, as counted by the size function (keys included). */
  readonly bytes: number;
}

/** Which model a cached vector came from: every key carries it, so two models never share a vector. */
export interface CachedModel {
  /** The model folder as loaded. */
  dir: string;
  /** `repository@revision` for a model from the hub or the cache (a folder re-downloaded at another revision differs). */
  revision?: string;
  dtype: string;
}

export interface EmbeddingCacheLimits {
  /** Total bytes of the entries (0 stores nothing). */
  maxBytes: number;
  /** Optional cap on the number of entries (0 stores nothing). */
  maxEntries?: number;
}

/**
 * Least-recently-used store of embeddings bounded by bytes, not by entries: a text of 1 MB costs its vector, never
 * its text, because keys are SHA-256 digests. `lru-cache` keeps the order and the byte count; this class adds what it
 * lacks: bounds that change live (`setLimits` rebuilds the store, a rare event: a setting changed) and a bound of 0
 * meaning "store nothing". The entry bound is applied here rather than as lru-cache's `max`, which preallocates
 * arrays of that length.
 */
export class EmbeddingCache<V extends NonNullable<unknown>> implements ByteBoundedCache<V> {
  private store: LRUCache<string, V> | undefined;
  private limits: EmbeddingCacheLimits;

  /** `sizeOf` gives the bytes a value holds; the key's own bytes are added here. */
  constructor(
    limits: EmbeddingCacheLimits,
    private readonly sizeOf: (value: V) => number,
  ) {
    this.limits = { ...limits };
    this.store = this.createStore();
  }

  /**
   * Digest of the model (folder, and the hub revision it was downloaded from, if any), dtype, the prompt applied (if
   * any), whether the vector was normalised and text: 64 hex characters whatever the text's length. The text is
   * hashed as UTF-16 code units, so that texts differing only in lone surrogates (which UTF-8 would turn into the same
   * U+FFFD) never share a key. Paths, revisions and dtypes hold no NUL, so the parts cannot run into each other.
   */
  static key(model: CachedModel, text: string, prompt?: string, normalized = true): string {
    const hash = createHash('sha256')
      .update(model.dir)
      .update('\u0000')
      .update(model.revision ?? '')
      .update('\u0000')
      .update(model.dtype)
      .update('\u0000');
    if (!normalized) hash.update('raw\u0000');
    // "none" or the prompt's length in front of it: no prompt and text can run into each other.
    if (prompt === undefined) hash.update('none\u0000');
    else hash.update(`prompt ${prompt.length}\u0000`).update(prompt, 'utf16le');
    return hash.update(text, 'utf16le').digest('hex');
  }

  get(key: string): V | undefined {
    return this.store?.get(key);
  }

  set(key: string, value: V): void {
    if (!this.store) return;
    // Over the byte bound an entry is refused and the key's previous value dropped (lru-cache does so by itself).
    this.store.set(key, value);
    this.evictOverEntries();
  }

  /** Changes the bounds; entries over the new ones are evicted, least recently used first. */
  setLimits(limits: EmbeddingCacheLimits): void {
    const old = this.store;
    this.limits = { ...limits };
    this.store = this.createStore();
    if (!old || !this.store) return;
    // Oldest first, so that the most recently used entries are the ones that stay.
    for (const key of old.rkeys()) this.set(key, old.peek(key)!);
  }

  get size(): number {
    return this.store?.size ?? 0;
  }

  get bytes(): number {
    return this.store?.calculatedSize ?? 0;
  }

  clear(): void {
    this.store?.clear();
  }

  private createStore(): LRUCache<string, V> | undefined {
    const maxSize = Math.floor(this.limits.maxBytes);
    if (maxSize <= 0 || this.limits.maxEntries === 0) return undefined;
    // A string of n one-byte characters takes about n bytes plus a header; a Map slot and the entry object ~ 64 more.
    return new LRUCache<string, V>({ maxSize, sizeCalculation: (value, key) => Math.ceil(this.sizeOf(value)) + key.length * 2 + 64 });
  }

  private evictOverEntries(): void {
    const maxEntries = this.limits.maxEntries ?? Infinity;
    while (this.store && this.store.size > maxEntries) this.store.pop();
  }
}
