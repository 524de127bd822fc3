/**
 * How the Studio reads two models side by side: the difference of their scores, the difference matrix, and what the
 * "Compare with" error box offers. Pure functions, unit-tested in plain Node (test/unit/webview).
 */
import type { MatrixComparisonView, SimilarityFunctionName, SimilarityResult } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';
import { errorActions, type ErrorAction } from '../../../src/shared/errorActions';
import { headlineScore } from './similarityReading';
import type { ComparisonView } from './studioState';
import { offDiagonalRange } from './heatmapView';

type Scores = Pick<SimilarityResult, 'cosine' | 'dot' | 'euclidean' | 'manhattan'> & { similarityFunction?: SimilarityFunctionName };

/**
 * second − first of the score both models lead with; when they lead with different functions their scores are not
 * on one scale, so the cosines are compared instead (`fn` says which).
 */
export function scoreDifference(first: Scores, second: Scores): { fn: SimilarityFunctionName; value: number; sameFunction: boolean } {
  const a = headlineScore(first);
  const b = headlineScore(second);
  const sameFunction = a.fn === b.fn;
  const fn = sameFunction ? a.fn : 'cosine';
  return { fn, value: second[fn] - first[fn], sameFunction };
}

/** The matrix a comparison's heatmap shows: either model's, or second − first. */
export function comparisonMatrix(comparison: MatrixComparisonView, view: ComparisonView): number[][] {
  if (view === 'first') return comparison.first.matrix;
  if (view === 'second') return comparison.second.matrix;
  return comparison.first.matrix.map((row, r) => row.map((value, c) => comparison.second.matrix[r]![c]! - value));
}

/**
 * The fixes a failed "Compare with" model offers: the active model's table (src/shared/errorActions) without the
 * actions that act on the active model (its folder, its download, loading it), which would not help the second one.
 */
export function compareErrorFix(code: string, allowDownload: boolean): { hint: StringKey; actions: ErrorAction[] } {
  const actions = errorActions(code, allowDownload).filter((a) => a === 'openSettings' || a === 'showLog');
  const hint: StringKey =
    code === 'MODEL_NOT_FOUND' && !allowDownload
      ? 'compare.fix.notFoundNoDownload'
      : code === 'MODEL_NOT_FOUND' || code === 'INVALID_INPUT'
        ? 'compare.fix.notFound'
        : 'model.fix.generic';
  if (code === 'MODEL_NOT_FOUND' && !actions.includes('openSettings')) actions.unshift('openSettings');
  return { hint, actions };
}

/**
 * The colour range of a comparison's heatmap: both models on one scale (so that a colour means the same score in
 * either), the difference on its own.
 */
export function comparisonRange(comparison: MatrixComparisonView, view: ComparisonView): { min: number; max: number } {
  if (view === 'difference') return offDiagonalRange(comparisonMatrix(comparison, 'difference'));
  const a = offDiagonalRange(comparison.first.matrix);
  const b = offDiagonalRange(comparison.second.matrix);
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** A comparison belongs to a matrix view when it is of the same texts, in the same order. */
export function comparesTexts(comparison: MatrixComparisonView | undefined, texts: readonly string[]): comparison is MatrixComparisonView {
  return !!comparison && comparison.texts.length === texts.length && comparison.texts.every((t, i) => t === texts[i]);
}
