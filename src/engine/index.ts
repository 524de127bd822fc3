export { Engine, DEFAULT_CACHE_BYTES, DEFAULT_MAX_BATCH_TOKENS, threadLayout, type EngineEvents } from './engine';
export { EngineError, isCancellation, withAbort, type EngineErrorCode } from './errors';
export { resolveModel, defaultCacheDir, missingFiles } from './modelResolver';
export * from './types';
