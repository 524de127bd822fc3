// The pure core of MiniLM Studio: maths over embedding vectors, the example suite and exports. No vscode import.
// Everything here also runs in a webview; `./atomicWrite` needs node:fs, so Node callers import it directly.
export * from './vector';
export { FlatCorpus, flattenCorpus, type FlattenOptions, type ScoreFunction } from './flatCorpus';
export { topKIndices } from './topK';
export * from './similarityMatrix';
export * from './semanticSearch';
export * from './paraphraseMining';
export * from './communityDetection';
export * from './pca';
export * from './clusterOrder';
export * from './exportFormats';
export * from './exampleSuite';
export * from './explainAlignment';
