import { createHash } from 'node:crypto';

/** What the engine needs of a least-recently-used store bounded by bytes (`lru-cache`'s maxSize/sizeCalculation fits it too). */
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
 * its text, because keys are SHA-256 digests. Map keeps insertion order, so re-inserting on hit makes the first key
 * the least recently used.
 * Hand-written rather than `lru-cache`: its bounds are fixed at construction, these change live (`setLimits`).
 */
export class EmbeddingCache<V> implements ByteBoundedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;
  private limits: EmbeddingCacheLimits;

  /** `sizeOf` gives the bytes a value holds; the key's own bytes are added here. */
  constructor(
    limits: EmbeddingCacheLimits,
    private readonly sizeOf: (value: V) => number,
  ) {
    this.limits = { ...limits };
  }

  /**
   * Digest of the model (folder, and the hub revision it was downloaded from, if any), dtype, the prompt applied (if
   * any), whether the vector was normalised and text: 64 hex characters whatever the text's length. The text is
   * hashed as UTF-16 code units, so that texts differing only in lone surrogates (which UTF-8 would turn into the same
   * U+FFFD) never share a key. Paths, revisions and dtypes hold no NUL, so the parts cannot run into each other.
   */
  static key(model: CachedModel, text: string, prompt?: string, normalized = true): string {
    const hash = createHash('sha256').update(model.dir).update('\u0000').update(model.revision ?? '').update('\u0000').update(model.dtype).update('\u0000');
    if (!normalized) hash.update('raw\u0000');
    // "none" or the prompt's length in front of it: no prompt and text can run into each other.
    if (prompt === undefined) hash.update('none\u0000');
    else hash.update(`prompt ${prompt.length}\u0000`).update(prompt, 'utf16le');
    return hash.update(text, 'utf16le').digest('hex');
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.remove(key);
    // A string of n one-byte characters takes about n bytes plus a header; a Map slot and the entry object ~ 64 more.
    const bytes = this.sizeOf(value) + key.length * 2 + 64;
    if (bytes > this.limits.maxBytes || this.limits.maxEntries === 0) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    this.evict();
  }

  /** Changes the bounds; entries over the new ones are evicted, least recently used first. */
  setLimits(limits: EmbeddingCacheLimits): void {
    this.limits = { ...limits };
    this.evict();
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  private evict(): void {
    const maxEntries = this.limits.maxEntries ?? Infinity;
    while (this.entries.size > 0 && (this.total > this.limits.maxBytes || this.entries.size > maxEntries)) {
      this.remove(this.entries.keys().next().value as string);
    }
  }
}
