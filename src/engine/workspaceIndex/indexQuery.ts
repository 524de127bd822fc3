import type { Engine } from '../engine';
import { EngineError } from '../errors';
import type { PromptOptions } from '../modelConfig';
import type { IndexStore, StoreHit } from './indexStore';

export interface QueryIndexOptions {
  topK: number;
  /**
   * Prompt for the queries, as sentence-transformers' `encode_query`: by default the model's "query" prompt (empty
   * unless the model configures one, e.g. "query: " for multilingual-e5).
   */
  queryPrompt?: PromptOptions;
  signal?: AbortSignal;
}

/**
 * The `topK` chunks of the index closest to each query, best first, scored as the model compares vectors (its
 * similarity_fn_name: cosine unless it says dot; euclidean and manhattan models are ranked by cosine).
 */
export async function queryIndex(engine: Engine, store: IndexStore, queries: readonly string[], options: QueryIndexOptions): Promise<StoreHit[][]> {
  const info = await engine.load(options.signal);
  const identity = store.identity();
  if (identity === undefined || store.chunkCount() === 0) return queries.map(() => []);
  if (identity.model !== info.name || identity.dimension !== info.dimension) {
    throw new EngineError(
      'INVALID_INPUT',
      `the index in ${store.dir} was built with ${identity.model} (${identity.dimension} dimensions), not ${info.name} (${info.dimension}): query it with the model that built it, or index again with this one`,
    );
  }
  const vectors = await engine.encode(queries, { ...(options.queryPrompt ?? { promptName: 'query' }), signal: options.signal });
  return store.search(vectors, options.topK, info.similarityFunction === 'dot' ? 'dot' : 'cosine');
}
