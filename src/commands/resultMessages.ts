// Texts the selection commands show. Pure (the translator is a parameter) so that they are unit-tested.
import { formatFloat32 } from '../core/exportFormats';
import type { Translate } from '../shared/translate';
import type { SimilarityFunction } from '../engine/modelConfig';

/** A text shortened to `max` characters for a one-line notification. */
export function shorten(text: string, max = 60): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : `${single.slice(0, max - 1)}…`;
}

export function score4(value: number): string {
  // -0.0000 reads like a bug.
  const fixed = value.toFixed(4);
  return fixed === '-0.0000' ? '0.0000' : fixed;
}

/** How similar two all-MiniLM-L6-v2 embeddings are, in words (thresholds as the Studio panel reads them). */
export function similarityReading(cosine: number, t: Translate): string {
  if (cosine >= 0.8) return t('very similar');
  if (cosine >= 0.6) return t('similar');
  if (cosine >= 0.4) return t('somewhat related');
  if (cosine >= 0.2) return t('weakly related');
  return t('unrelated');
}

/** The Studio's names of sentence-transformers' similarity functions (the same English keys as the webview's). */
const FUNCTION_LABELS: Record<SimilarityFunction, string> = {
  cosine: 'Cosine similarity',
  dot: 'Dot product',
  euclidean: 'Euclidean distance',
  manhattan: 'Manhattan distance',
};

/**
 * Two texts compared. A model whose similarity_fn_name is not cosine leads with its own score, named (Euclidean and
 * Manhattan as distances); the cosine reading follows, as before.
 */
export function comparisonMessage(
  a: string,
  b: string,
  cosine: number,
  euclidean: number,
  t: Translate,
  model?: { name: string; similarityFunction: SimilarityFunction; score: number },
): string {
  if (model && model.similarityFunction !== 'cosine') {
    return t(
      '{0} {1} (the score {2} is trained for); cosine similarity {3} ({4}), Euclidean distance {5}: “{6}” vs “{7}”',
      t(FUNCTION_LABELS[model.similarityFunction]),
      score4(model.score),
      model.name,
      score4(cosine),
      similarityReading(cosine, t),
      score4(euclidean),
      shorten(a, 40),
      shorten(b, 40),
    );
  }
  return t(
    'Cosine similarity {0} ({1}), Euclidean distance {2}: “{3}” vs “{4}”',
    score4(cosine),
    similarityReading(cosine, t),
    score4(euclidean),
    shorten(a, 40),
    shorten(b, 40),
  );
}

/** The first components of a vector, then an ellipsis. */
export function vectorPreview(vector: ArrayLike<number>, count = 6): string {
  const shown = Array.from({ length: Math.min(count, vector.length) }, (_, i) => score4(vector[i]!));
  return `[${shown.join(', ')}${vector.length > count ? ', …' : ''}]`;
}

export function encodeMessage(
  text: string,
  vector: ArrayLike<number>,
  norm: number,
  tokens: { count: number; truncated: boolean } | undefined,
  t: Translate,
): string {
  if (!tokens) return t('“{0}”: {1} dimensions, norm {2}. {3}', shorten(text, 40), vector.length, score4(norm), vectorPreview(vector));
  const base = t('“{0}”: {1} dimensions, norm {2}, {3} word pieces. {4}', shorten(text, 40), vector.length, score4(norm), tokens.count, vectorPreview(vector));
  return tokens.truncated ? `${base} ${t('The text was cut at 256 word pieces; the rest was ignored.')}` : base;
}

/** The vector as a JSON array of its float32 values at their shortest exact form. */
export function vectorJson(vector: ArrayLike<number>): string {
  return `[${Array.from({ length: vector.length }, (_, i) => formatFloat32(vector[i]!)).join(', ')}]`;
}

export interface RankedLine {
  readonly line: number;
  readonly text: string;
  readonly score: number;
}

/** One QuickPick entry per ranked line: the score first, so the list reads as a ranking. */
export function rankedLineItem(hit: RankedLine, rank: number, t: Translate): { label: string; description: string; detail: string } {
  return {
    label: `${score4(hit.score)}  ${shorten(hit.text, 100)}`,
    description: t('line {0}', hit.line + 1),
    detail: t('#{0} · {1}', rank + 1, similarityReading(hit.score, t)),
  };
}
