import fc from 'fast-check';

/** Small integer components: exact in float32, and equal vectors (ties) are common. */
export const intVector = (dim: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: -3, max: 3 }), { minLength: dim, maxLength: dim });

export const intVectors = (dim: number, minLength = 0, maxLength = 30): fc.Arbitrary<number[][]> => fc.array(intVector(dim), { minLength, maxLength });

/** A deterministic pseudo-random generator (mulberry32) so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random unit vectors of dimension `dim` (roughly Gaussian components). */
export function randomUnitVectors(count: number, dim: number, seed = 1): Float32Array[] {
  const random = seededRandom(seed);
  const rows: Float32Array[] = [];
  for (let r = 0; r < count; r++) {
    const v = new Float32Array(dim);
    let s = 0;
    for (let k = 0; k < dim; k++) {
      v[k] = random() + random() + random() - 1.5;
      s += v[k] * v[k];
    }
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < dim; k++) v[k] *= inv;
    rows.push(v);
  }
  return rows;
}
