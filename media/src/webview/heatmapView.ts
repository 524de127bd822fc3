/** The Examples tab's heatmap: its row order, its colour range and the line above it. Pure functions. */
import type { MatrixView } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';

/** The score range of a matrix off its diagonal (the diagonal is always 1 and would flatten the scale). */
export function offDiagonalRange(matrix: readonly (readonly number[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  matrix.forEach((row, r) =>
    row.forEach((v, c) => {
      if (r !== c && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }),
  );
  if (min === Infinity) return { min: 0, max: 1 };
  return { min, max: Math.max(max, min) };
}

/** The row order of the heatmap: clustered or as given. */
export function heatmapOrder(view: MatrixView, clustered: boolean): number[] {
  const n = view.texts.length;
  const valid = clustered && view.clusterOrder.length === n && new Set(view.clusterOrder).size === n && view.clusterOrder.every((i) => i >= 0 && i < n);
  return valid ? [...view.clusterOrder] : Array.from({ length: n }, (_, i) => i);
}

/**
 * The line above the heatmap: where the matrix came from, how many texts, which model, how long encoding took. A
 * command's texts have no name of their own, so the line says what they are instead of repeating the count.
 */
export function matrixSummary(view: MatrixView, t: (key: StringKey, ...args: Array<string | number>) => string): string {
  const source = view.origin === 'texts' ? t('examples.fromCommand') : view.title;
  const parts = [source, t('examples.count', view.texts.length)];
  if (view.model) parts.push(view.dtype ? `${view.model} ${view.dtype}` : view.model);
  if (view.timings?.encode !== undefined) parts.push(`encode ${t('common.ms', view.timings.encode)}`);
  return parts.join(' · ');
}
