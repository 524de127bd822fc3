/** Deterministic random unit vectors (xorshift + Box–Muller), so every run searches the same corpus. */
export function randomUnitVectors(count: number, dim: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const data = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      const v = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      data[r * dim + d] = v;
      sq += v * v;
    }
    const scale = 1 / Math.sqrt(sq);
    for (let d = 0; d < dim; d++) data[r * dim + d]! *= scale;
  }
  return data;
}
