export { RemoteEmbedder, remoteVectorCache, REMOTE_CACHE_BYTES, type RemoteEmbedderOptions } from './remoteEmbedder';
export { requestBatches, limitsFromTeiInfo } from './remoteLimits';
export { retryAfterMs, DEFAULT_POLICY, type RequestPolicy } from './remoteRequest';
export * from './remoteTypes';
