/**
 * Two models' similarity matrices of the same texts, compared: how alike they rank the pairs (Spearman's ρ over the
 * upper triangle, each unordered pair once, the diagonal left out) and which pairs they score most differently.
 */
import { spearmanCorrelation } from './rankCorrelation';

type Rows = readonly (readonly number[])[];

/** The entries above the diagonal, row by row: (0,1), (0,2), …, (1,2), … */
export function upperTriangle(matrix: Rows): Float64Array {
  const n = matrix.length;
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[k++] = matrix[i]![j]!;
  return out;
}

export interface PairDisagreement {
  /** The pair's texts, i < j. */
  i: number;
  j: number;
  first: number;
  second: number;
  /** second − first. */
  delta: number;
}

export interface MatrixComparison {
  /** Spearman's ρ of the pairs' scores (NaN when there are fewer than two pairs or one model scores all alike). */
  spearman: number;
  /** Pairs compared: n(n−1)/2. */
  pairs: number;
  /** The `top` pairs with the largest |second − first|, largest first (ties: the earlier pair first). */
  disagreements: PairDisagreement[];
}

export function compareMatrices(first: Rows, second: Rows, top = 5): MatrixComparison {
  const n = first.length;
  if (second.length !== n || [...first, ...second].some((row) => row.length !== n)) {
    throw new RangeError(`Both matrices must be ${n} × ${n}.`);
  }
  const a = upperTriangle(first);
  const b = upperTriangle(second);
  const pairs: PairDisagreement[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) pairs.push({ i, j, first: first[i]![j]!, second: second[i]![j]!, delta: second[i]![j]! - first[i]![j]! });
  }
  // A stable sort keeps the row-by-row order among equal gaps.
  const disagreements = pairs.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta)).slice(0, Math.max(0, top));
  return { spearman: spearmanCorrelation(a, b), pairs: a.length, disagreements };
}
