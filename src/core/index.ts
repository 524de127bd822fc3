// The pure core of MiniLM Studio: maths over embedding vectors, the example suite and exports. No vscode import.
// Everything here also runs in a webview, so nothing here uses Node: the int8 scan's worker threads are
// src/engine/int8ScanWorkers.ts, file access is src/engine/atomicWrite.ts.
export * from './vector';
export { FlatCorpus, flattenCorpus, type FlattenOptions, type ScoreFunction } from './flatCorpus';
export { topKIndices } from './topK';
export {
  buildInt8Corpus,
  Int8Corpus,
  Int8CorpusBuilder,
  type Int8CorpusOptions,
  type Int8ScanJob,
  type Int8ScanThreads,
  type Int8SearchOptions,
  type Int8SearchResult,
  type RescoreRows,
} from './int8Corpus';
export * from './similarityMatrix';
export * from './semanticSearch';
export * from './paraphraseMining';
export * from './communityDetection';
export * from './pca';
export * from './clusterOrder';
export * from './exportFormats';
export * from './exampleSuite';
export * from './explainAlignment';
export * from './idfWeights';
export * from './pieceWords';
export * from './rankCorrelation';
export * from './matrixComparison';
