/**
 * Mean of the token states over the attention mask, then L2 normalisation: sentence-transformers' Pooling
 * (mean) followed by its Normalize layer. Reads straight from ONNX Runtime's flat output without copying rows.
 * Sums in float64 so that long texts do not lose precision against the float32 reference.
 */
export function meanPoolNormalize(hidden: Float32Array, mask: ArrayLike<number>, batch: number, seqLength: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  const acc = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    let count = 0;
    for (let t = 0; t < seqLength; t++) {
      if (!mask[b * seqLength + t]) continue;
      count++;
      const offset = (b * seqLength + t) * dim;
      for (let d = 0; d < dim; d++) acc[d]! += hidden[offset + d]!;
    }
    const divisor = Math.max(count, 1e-9);
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      const v = acc[d]! / divisor;
      acc[d] = v;
      sq += v * v;
    }
    const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
    const vec = new Float32Array(dim);
    for (let d = 0; d < dim; d++) vec[d] = acc[d]! * scale;
    out.push(vec);
  }
  return out;
}
