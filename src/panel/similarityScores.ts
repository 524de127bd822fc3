import { cosineSimilarity, dot, euclideanDistance, manhattanDistance, norm } from '../core/vector';
import type { TokenCount } from '../engine/types';
import type { SimilarityFunctionName, SimilarityResult } from '../shared/studioProtocol';

/** Every score of two texts' vectors, led by the model's own similarity function. */
export function similarityOf(
  vectors: Float32Array[],
  tokens: TokenCount[] | undefined,
  info: { name: string; similarityFunction?: SimilarityFunctionName; maxSeqLength: number } | undefined,
): SimilarityResult {
  const [va, vb] = vectors as [Float32Array, Float32Array];
  return {
    ...(info ? { model: info.name } : {}),
    similarityFunction: info?.similarityFunction ?? 'cosine',
    cosine: cosineSimilarity(va, vb),
    euclidean: euclideanDistance(va, vb),
    dot: dot(va, vb),
    manhattan: manhattanDistance(va, vb),
    dimension: va.length,
    normA: norm(va),
    normB: norm(vb),
    tokensA: tokens?.[0],
    tokensB: tokens?.[1],
    maxTokens: info?.maxSeqLength ?? 256,
  };
}
