/**
 * Least-recently-used store of embeddings. Keys combine model, dtype and text so that switching dtype or model
 * folder never serves a stale vector. Map keeps insertion order, so re-inserting on hit makes the first key the
 * least recently used.
 */
export class EmbeddingCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  static key(model: string, dtype: string, text: string): string {
    return `${model}\u0000${dtype}\u0000${text}`;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
