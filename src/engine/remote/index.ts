export { RemoteEmbedder, remoteVectorCache, REMOTE_CACHE_BYTES, type RemoteEmbedderOptions } from './remoteEmbedder';
export { requestBatches, limitsFromTeiInfo, estimatedTokenCounts, DEFAULT_REMOTE_INPUT_TOKENS } from './remoteLimits';
export { retryAfterMs, DEFAULT_POLICY, type RequestPolicy } from './remoteRequest';
export * from './remoteTypes';
