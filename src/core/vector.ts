/** An embedding: a typed array from the engine, or a plain array from JSON. */
export type Vector = Float32Array | readonly number[];

function checkSameLength(a: Vector, b: Vector): void {
  if (a.length !== b.length) {
    throw new RangeError(`Vectors differ in dimension: ${a.length} vs ${b.length}.`);
  }
}

export function dot(a: Vector, b: Vector): number {
  checkSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Euclidean (L2) norm. */
export function norm(a: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}

/**
 * Cosine similarity in [-1, 1]. A zero vector has no direction, so its similarity to anything is 0
 * (like sentence-transformers' `cos_sim`, which normalises with an epsilon), never NaN.
 */
export function cosineSimilarity(a: Vector, b: Vector): number {
  checkSameLength(a, b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return 0;
  const cos = ab / Math.sqrt(aa * bb);
  // Rounding can push |cos| a hair past 1 for (anti)parallel vectors.
  return cos > 1 ? 1 : cos < -1 ? -1 : cos;
}

export function euclideanDistance(a: Vector, b: Vector): number {
  checkSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function manhattanDistance(a: Vector, b: Vector): number {
  checkSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum;
}

/** A unit-length copy; a zero vector stays zero (as `torch.nn.functional.normalize` does). */
export function normalize(a: Vector): Float32Array {
  const n = norm(a);
  const out = new Float32Array(a.length);
  if (n === 0) return out;
  for (let i = 0; i < a.length; i++) out[i] = a[i] / n;
  return out;
}

/** 1 / norm, or 0 for a zero vector so that scaled scores come out 0 instead of NaN. */
export function inverseNorm(a: ArrayLike<number>, offset = 0, length = a.length): number {
  let sum = 0;
  for (let i = offset, end = offset + length; i < end; i++) sum += a[i] * a[i];
  return sum === 0 ? 0 : 1 / Math.sqrt(sum);
}
