export { Engine, DEFAULT_CACHE_BYTES, DEFAULT_MAX_BATCH_TOKENS, threadLayout, type EngineEvents } from './engine';
export { EngineError, isCancellation, withAbort, type EngineErrorCode } from './errors';
export { resolveModel, defaultCacheDir, missingFiles } from './modelResolver';
export * from './types';
export { readModelConfig, resolvePrompt, POOLING_MODES, type ModelConfig, type PoolingMode, type PromptOptions, type SimilarityFunction } from './modelConfig';
export {
  MODEL_CATALOGUE,
  DEFAULT_CATALOGUE_ID,
  catalogueEntry,
  downloadSize,
  verifiedDtypes,
  type CatalogueEntry,
  type CatalogueStConfig,
  type DownloadSize,
} from './modelCatalogue';
export { parseModelSpec, type ModelSpec } from './modelSpec';
export { cacheLocation, findLocalModel } from './modelResolver';
export { cachedHubModels, type CachedHubModel } from './cachedHubModels';
export {
  ModelPool,
  modelIdentity,
  poolKey,
  runsModel,
  weightsBytes,
  DEFAULT_MEMORY_BUDGET_MB,
  type ModelChoice,
  type PoolRequest,
  type PooledModel,
  type ModelPoolOptions,
} from './modelPool';
