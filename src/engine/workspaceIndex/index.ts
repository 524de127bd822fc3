// The workspace index: files → chunks → vectors in a crash-safe folder, updated incrementally, queried by meaning.
export * from './types';
export { walkFiles, DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES, type WalkOptions, type WalkResult } from './fileWalker';
export { readIndexableFile } from './fileContent';
export * from './indexStore';
export { updateIndex, indexIdentity, type IndexProgress, type IndexRunResult, type UpdateIndexOptions } from './indexer';
export { queryIndex, type QueryIndexOptions } from './indexQuery';
export { globMatcher, excludedByGlobs, type GlobMatcher } from './globFilter';
