/**
 * How the Similarity tab reads a result: the plain-language band of a cosine, the score a model leads with, and
 * which metrics add something to it. Pure functions, unit-tested in plain Node (test/unit/panel).
 */
import type { SimilarityFunctionName, SimilarityResult } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';

export type SimilarityBand = 'veryHigh' | 'high' | 'medium' | 'low' | 'none';

/** Lower bounds of each band, highest first: ≥0.8 very similar, 0.6–0.8, 0.4–0.6, 0.2–0.4, below 0.2. */
export const SIMILARITY_BANDS: ReadonlyArray<{ band: SimilarityBand; min: number }> = [
  { band: 'veryHigh', min: 0.8 },
  { band: 'high', min: 0.6 },
  { band: 'medium', min: 0.4 },
  { band: 'low', min: 0.2 },
  { band: 'none', min: -Infinity },
];

/** The plain-language band of a cosine similarity. NaN reads as unrelated. */
export function similarityBand(cosine: number): SimilarityBand {
  if (Number.isNaN(cosine)) return 'none';
  return SIMILARITY_BANDS.find((b) => cosine >= b.min)!.band;
}

export function bandLabelKey(band: SimilarityBand): StringKey {
  return `band.${band}` as StringKey;
}

export function bandDetailKey(band: SimilarityBand): StringKey {
  return `band.${band}.detail` as StringKey;
}

/** The label of each similarity function, as the Similarity tab's metrics already name them. */
export const SIMILARITY_FUNCTION_LABEL: Record<SimilarityFunctionName, StringKey> = {
  cosine: 'similarity.cosine',
  dot: 'similarity.dot',
  euclidean: 'similarity.euclidean',
  manhattan: 'similarity.manhattan',
};

/**
 * The score a result leads with: the model's similarity function. Euclidean and Manhattan are shown as the
 * distances (sentence-transformers' similarity() returns them negated so that higher means closer). Only cosine has
 * the plain-language bands; a function whose values are unbounded is not read against them.
 */
export function headlineScore(result: Pick<SimilarityResult, 'cosine' | 'dot' | 'euclidean' | 'manhattan'> & { similarityFunction?: SimilarityFunctionName }): {
  fn: SimilarityFunctionName;
  value: number;
  label: StringKey;
  banded: boolean;
} {
  const fn = result.similarityFunction ?? 'cosine';
  return { fn, value: result[fn], label: SIMILARITY_FUNCTION_LABEL[fn], banded: fn === 'cosine' };
}

/** A score bar's width in percent: cosine clamped to [0, 1] (a negative cosine means unrelated: an empty bar). */
export function scoreBarPercent(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.max(0, Math.min(1, score)) * 100;
}

/** A metric of the Similarity tab's grid. */
export type SimilarityMetric = 'cosine' | 'euclidean' | 'dot' | 'manhattan' | 'dimension' | 'normA' | 'normB' | 'tokensA' | 'tokensB';

/** Norms this close to 1 are unit length (fp32 normalisation leaves about 1e-7). */
const UNIT_TOLERANCE = 1e-4;

export const isUnitLength = (norm: number) => Math.abs(norm - 1) <= UNIT_TOLERANCE;

/**
 * The metrics worth showing beside the headline: not the headline's own function again; not the dot product when
 * both vectors are unit length (it is the cosine then); norms only when a vector is not unit length.
 */
export function similarityMetrics(result: Pick<SimilarityResult, 'normA' | 'normB'> & { similarityFunction?: SimilarityFunctionName }): SimilarityMetric[] {
  const headline = result.similarityFunction ?? 'cosine';
  const unit = isUnitLength(result.normA) && isUnitLength(result.normB);
  const scores: SimilarityMetric[] = ['cosine', 'euclidean', 'dot', 'manhattan'];
  return [...scores.filter((m) => m !== headline && !(m === 'dot' && unit)), 'dimension', ...(unit ? [] : (['normA', 'normB'] as const)), 'tokensA', 'tokensB'];
}
