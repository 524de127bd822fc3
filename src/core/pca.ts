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

const MAX_ITERATIONS = 1000;
const TOLERANCE = 1e-12;

/**
 * Two-component PCA for the scatter plot. Power iteration (second component deflated against the first) on the
 * smaller of the two symmetric matrices that share the nonzero spectrum: the D x D scatter matrix XᵀX when there are
 * more vectors than dimensions, else the N x N Gram matrix XXᵀ. Deterministic: the start vector is the matrix row of
 * largest norm (never orthogonal to the principal direction) and each component's sign is chosen so that its
 * largest-magnitude loading (in the original D dimensions) is positive.
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

  const useGram = n <= d;
  const m = useGram ? n : d;
  const matrix = useGram ? gram(x, n, d) : scatter(x, n, d);
  const first = topEigenvector(matrix, m, null);
  const second = topEigenvector(matrix, m, first.vector);

  // Loadings in the original space decide the sign and give the projections.
  const loadings = [first, second].map(({ vector, value }) => {
    const loading = new Float64Array(d);
    if (useGram) {
      if (value > 0) {
        for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) loading[k] += vector[r] * x[r * d + k];
        const length = Math.sqrt(loading.reduce((s, v) => s + v * v, 0));
        for (let k = 0; k < d; k++) loading[k] /= length;
      }
    } else {
      loading.set(vector);
    }
    let largest = 0;
    for (let k = 1; k < d; k++) if (Math.abs(loading[k]) > Math.abs(loading[largest])) largest = k;
    if (loading[largest] < 0) for (let k = 0; k < d; k++) loading[k] = -loading[k];
    return loading;
  });

  const points: Array<[number, number]> = [];
  for (let r = 0; r < n; r++) {
    let a = 0;
    let b = 0;
    for (let k = 0; k < d; k++) {
      a += x[r * d + k] * loadings[0][k];
      b += x[r * d + k] * loadings[1][k];
    }
    points.push([a, b]);
  }
  const variance: [number, number] = [first.value / denominator, second.value / denominator];
  return {
    points,
    explainedVariance: variance,
    explainedVarianceRatio: total > 0 ? [first.value / total, second.value / total] : [0, 0],
  };
}

function gram(x: Float64Array, n: number, d: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

function scatter(x: Float64Array, n: number, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      const xa = x[o + a];
      if (xa === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) c[row + b] += xa * x[o + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) c[b * d + a] = c[a * d + b];
  return c;
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

/** Largest eigenpair of the symmetric positive semidefinite `m x m` matrix, orthogonal to `previous`. */
function topEigenvector(a: Float64Array, m: number, previous: Float64Array | null): { vector: Float64Array; value: number } {
  let v = new Float64Array(m);
  let bestNorm = -1;
  const candidate = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    candidate.set(a.subarray(r * m, (r + 1) * m));
    orthogonalize(candidate, previous);
    let s = 0;
    for (let k = 0; k < m; k++) s += candidate[k] * candidate[k];
    if (s > bestNorm) {
      bestNorm = s;
      v.set(candidate);
    }
  }
  // Nothing left outside `previous` (or an all-zero matrix): rounding noise must not pose as a component.
  const scale = Math.sqrt(a.reduce((s, value) => s + value * value, 0));
  if (normalizeInPlace(v) <= 1e-12 * scale || scale === 0) return { vector: new Float64Array(m), value: 0 };

  let next = new Float64Array(m);
  let value = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      const o = r * m;
      for (let k = 0; k < m; k++) s += a[o + k] * v[k];
      next[r] = s;
    }
    orthogonalize(next, previous);
    value = normalizeInPlace(next);
    if (value === 0) break;
    let change = 0;
    for (let k = 0; k < m; k++) change += (next[k] - v[k]) ** 2;
    [v, next] = [next, v];
    if (change < TOLERANCE) break;
  }
  return { vector: v, value };
}
