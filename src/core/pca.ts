import { flattenCorpus, type FlatCorpus } from './flatCorpus';
import type { Vector } from './vector';

export interface PcaProjection {
  /** One `[x, y]` per input vector, in input order. */
  readonly points: Array<[number, number]>;
  /** Variance along each of the two components. */
  readonly explainedVariance: [number, number];
  /** Share of the total variance along each component (0 when all vectors are equal). */
  readonly explainedVarianceRatio: [number, number];
}

const MAX_ITERATIONS = 300;
const TOLERANCE = 1e-10;

/**
 * Two-component PCA for the scatter plot. Power iteration on the covariance without forming it (each step is
 * `Xᵀ(X v)`, O(N·D)), the second component deflated against the first. Deterministic: the start vector is the
 * centred row of largest norm (never orthogonal to the principal direction) and each component's sign is chosen so
 * that its largest-magnitude loading is positive.
 */
export function pca2d(vectors: readonly Vector[] | FlatCorpus): PcaProjection {
  const corpus = flattenCorpus(vectors, { simd: false });
  const n = corpus.count;
  const d = corpus.dim;
  if (n === 0) return { points: [], explainedVariance: [0, 0], explainedVarianceRatio: [0, 0] };

  const x = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) mean[k] += corpus.data[r * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  let total = 0;
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) {
      const v = corpus.data[r * d + k] - mean[k];
      x[r * d + k] = v;
      total += v * v;
    }
  }
  const denominator = Math.max(n - 1, 1);
  total /= denominator;

  const first = principalComponent(x, n, d, null);
  const second = principalComponent(x, n, d, first.vector);
  const points: Array<[number, number]> = [];
  for (let r = 0; r < n; r++) points.push([project(x, r, d, first.vector), project(x, r, d, second.vector)]);
  const variance: [number, number] = [first.eigenvalue / denominator, second.eigenvalue / denominator];
  return {
    points,
    explainedVariance: variance,
    explainedVarianceRatio: total > 0 ? [variance[0] / total, variance[1] / total] : [0, 0],
  };
}

function project(x: Float64Array, r: number, d: number, v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[r * d + k] * v[k];
  return s;
}

function orthogonalize(v: Float64Array, against: Float64Array | null): void {
  if (!against) return;
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * against[k];
  for (let k = 0; k < v.length; k++) v[k] -= s * against[k];
}

function normalizeInPlace(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  const length = Math.sqrt(s);
  if (length > 0) for (let k = 0; k < v.length; k++) v[k] /= length;
  return length;
}

function principalComponent(
  x: Float64Array,
  n: number,
  d: number,
  previous: Float64Array | null,
): { vector: Float64Array; eigenvalue: number } {
  // Start from the row with the largest norm outside the previous component.
  let v = new Float64Array(d);
  let bestNorm = -1;
  const candidate = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) candidate[k] = x[r * d + k];
    orthogonalize(candidate, previous);
    let s = 0;
    for (let k = 0; k < d; k++) s += candidate[k] * candidate[k];
    if (s > bestNorm) {
      bestNorm = s;
      v.set(candidate);
    }
  }
  if (normalizeInPlace(v) === 0) return { vector: v, eigenvalue: 0 };

  const xv = new Float64Array(n);
  let next = new Float64Array(d);
  let eigenvalue = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let r = 0; r < n; r++) xv[r] = project(x, r, d, v);
    next.fill(0);
    for (let r = 0; r < n; r++) {
      const w = xv[r];
      if (w !== 0) for (let k = 0; k < d; k++) next[k] += w * x[r * d + k];
    }
    orthogonalize(next, previous);
    eigenvalue = normalizeInPlace(next);
    if (eigenvalue === 0) break;
    let change = 0;
    for (let k = 0; k < d; k++) change += (next[k] - v[k]) ** 2;
    [v, next] = [next, v];
    if (change < TOLERANCE) break;
  }
  let largest = 0;
  for (let k = 1; k < d; k++) if (Math.abs(v[k]) > Math.abs(v[largest])) largest = k;
  if (v[largest] < 0) for (let k = 0; k < d; k++) v[k] = -v[k];
  return { vector: v, eigenvalue };
}
