import type { Engine } from '../engine';
import { EngineError } from '../errors';
import type { PromptOptions } from '../modelConfig';
import { RemoteEmbedder } from '../remote';
import { identityLabel } from './indexManifest';
import type { IndexIdentity, IndexStore, StoreHit } from './indexStore';

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
export async function queryIndex(
  embedder: Engine | RemoteEmbedder,
  store: IndexStore,
  queries: readonly string[],
  options: QueryIndexOptions,
): Promise<StoreHit[][]> {
  if (embedder instanceof RemoteEmbedder) return queryWithRemote(embedder, store, queries, options);
  const info = await embedder.load(options.signal);
  const identity = store.identity();
  if (identity === undefined || store.chunkCount() === 0) return queries.map(() => []);
  refuseOtherVectors(store, identity, { model: info.name, dimension: info.dimension });
  const vectors = await embedder.encode(queries, { ...(options.queryPrompt ?? { promptName: 'query' }), signal: options.signal });
  return store.search(vectors, options.topK, info.similarityFunction === 'dot' ? 'dot' : 'cosine');
}

/** Queries embedded by a serving engine; only an index built by the same API and model answers them. */
async function queryWithRemote(remote: RemoteEmbedder, store: IndexStore, queries: readonly string[], options: QueryIndexOptions): Promise<StoreHit[][]> {
  const identity = store.identity();
  if (identity === undefined || store.chunkCount() === 0) return queries.map(() => []);
  const { model } = await remote.describe(options.signal);
  refuseOtherVectors(store, identity, { backend: remote.api, model, dimension: identity.dimension });
  // The server applies its own default prompt; an explicit one is put before each query.
  const vectors = await remote.encode(queries, { ...options.queryPrompt, signal: options.signal });
  if (vectors.length > 0 && vectors[0]!.length !== identity.dimension)
    refuseOtherVectors(store, identity, { backend: remote.api, model, dimension: vectors[0]!.length });
  return store.search(vectors, options.topK, 'cosine');
}

function refuseOtherVectors(store: IndexStore, identity: IndexIdentity, asked: Pick<IndexIdentity, 'backend' | 'model' | 'dimension'>): void {
  const backend = (identity.backend ?? 'local') === (asked.backend ?? 'local');
  if (backend && identity.model === asked.model && identity.dimension === asked.dimension) return;
  const how = identity.backend === undefined || identity.backend === 'local' ? 'without --backend' : `with --backend ${identity.backend}`;
  throw new EngineError(
    'INVALID_INPUT',
    `the index in ${store.dir} was built with ${identityLabel(identity)}, not ${identityLabel(asked)}: query it ${how} and the model that built it, or index again with this one`,
  );
}
