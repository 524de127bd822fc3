import type { DenseLayer, PoolingMode } from './modelConfig';
import { applyActivation } from './denseActivations';

/** What turns token states into a sentence vector: ST's Pooling, then its Dense modules, then Normalize if present. */
export interface SentenceHead {
  modes: readonly PoolingMode[];
  dense: readonly DenseLayer[];
  normalize: boolean;
  /** Keep only the first values (Matryoshka truncate_dim), after Normalize. */
  truncateDim?: number;
}

/**
 * sentence-transformers' Pooling (6.2.0 `_forward_padded`) → Dense… → Normalize, on ONNX Runtime's flat output
 * [batch, seqLength, dim], read in place. `mask` is the attention mask (1 = token). `promptLength` > 0 leaves the
 * first `promptLength` positions after any left padding out of pooling (include_prompt false); the transformer
 * saw them. Sums run in float64, so long texts do not lose precision against the float32 reference.
 */
export function sentenceEmbeddings(
  hidden: Float32Array,
  mask: ArrayLike<number>,
  batch: number,
  seqLength: number,
  dim: number,
  head: SentenceHead,
  promptLength = 0,
): Float32Array[] {
  const width = dim * head.modes.length;
  const pooled = new Float64Array(width);
  const acc = new Float64Array(dim);
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const row = b * seqLength;
    let leftPads = 0;
    while (leftPads < seqLength && !mask[row + leftPads]) leftPads++;
    if (leftPads === seqLength) leftPads = 0; // argmax of an all-zero row
    const from = Math.min(leftPads + promptLength, seqLength);
    head.modes.forEach((mode, m) => {
      poolRow(mode, hidden, mask, row, seqLength, dim, from, leftPads, acc);
      pooled.set(acc, m * dim);
    });
    let vector: Float64Array = pooled;
    for (const layer of head.dense) vector = applyDense(layer, vector);
    if (head.normalize) vector = normalized(vector);
    const result = new Float32Array(Math.min(vector.length, head.truncateDim ?? Infinity));
    for (let d = 0; d < result.length; d++) result[d] = vector[d]!;
    out.push(result);
  }
  return out;
}

/** One pooling mode over one row, into `acc`; positions before `from` (left padding, prompt) are left out. */
function poolRow(
  mode: PoolingMode,
  hidden: Float32Array,
  mask: ArrayLike<number>,
  row: number,
  seqLength: number,
  dim: number,
  from: number,
  leftPads: number,
  acc: Float64Array,
): void {
  const on = (t: number) => t >= from && !!mask[row + t];
  acc.fill(0);
  const addToken = (t: number, weight: number) => {
    const offset = (row + t) * dim;
    for (let d = 0; d < dim; d++) acc[d]! += weight * hidden[offset + d]!;
  };
  switch (mode) {
    case 'mean':
    case 'mean_sqrt_len_tokens': {
      const count = sumTokens(hidden, mask, row, from, seqLength, dim, acc);
      const clamped = Math.max(count, 1e-9);
      const divisor = mode === 'mean' ? clamped : Math.sqrt(clamped);
      for (let d = 0; d < dim; d++) acc[d] = acc[d]! / divisor;
      return;
    }
    case 'weightedmean': {
      // Weights are positions from 1, minus the row's left padding; prompt tokens keep their place.
      let total = 0;
      for (let t = 0; t < seqLength; t++) {
        if (!on(t)) continue;
        const weight = t + 1 - leftPads;
        total += weight;
        addToken(t, weight);
      }
      const divisor = Math.max(total, 1e-9);
      for (let d = 0; d < dim; d++) acc[d] = acc[d]! / divisor;
      return;
    }
    case 'max': {
      acc.fill(-Infinity);
      for (let t = 0; t < seqLength; t++) {
        if (!on(t)) continue;
        const offset = (row + t) * dim;
        for (let d = 0; d < dim; d++) if (hidden[offset + d]! > acc[d]!) acc[d] = hidden[offset + d]!;
      }
      return;
    }
    case 'cls': {
      // The first position the (prompt-masked) mask keeps, or position 0 when it keeps none.
      let first = 0;
      while (first < seqLength && !on(first)) first++;
      addToken(first === seqLength ? 0 : first, 1);
      return;
    }
    case 'lasttoken': {
      // The last position the mask keeps, multiplied by the mask: zeros when it keeps none.
      let last = seqLength - 1;
      while (last >= 0 && !on(last)) last--;
      if (last >= 0) addToken(last, 1);
      return;
    }
  }
}

/**
 * Adds the states of the kept tokens (mask 1, position ≥ `from`) into `acc` and returns their count: the hot loop
 * of mean pooling (all-MiniLM-L6-v2), kept small and monomorphic so that V8 optimises it as the old mean path.
 */
function sumTokens(hidden: Float32Array, mask: ArrayLike<number>, row: number, from: number, seqLength: number, dim: number, acc: Float64Array): number {
  let count = 0;
  for (let t = from; t < seqLength; t++) {
    if (!mask[row + t]) continue;
    count++;
    const offset = (row + t) * dim;
    for (let d = 0; d < dim; d++) acc[d]! += hidden[offset + d]!;
  }
  return count;
}

function applyDense(layer: DenseLayer, input: Float64Array): Float64Array {
  const x = layer.normalizeInput ? normalized(input) : input;
  const y = new Float64Array(layer.outFeatures);
  const { weight, bias, inFeatures } = layer;
  for (let o = 0; o < layer.outFeatures; o++) {
    let sum = bias ? bias[o]! : 0;
    const offset = o * inFeatures;
    for (let i = 0; i < inFeatures; i++) sum += weight[offset + i]! * x[i]!;
    y[o] = applyActivation(layer.activation, Math.fround(sum));
    if (layer.residual) {
      const projection = layer.residual.weight;
      if (!projection) y[o] = y[o]! + x[o]!;
      else {
        let added = 0;
        for (let i = 0; i < inFeatures; i++) added += projection[offset + i]! * x[i]!;
        y[o] = y[o]! + Math.fround(added);
      }
    }
  }
  return y;
}

/** ST's Normalize: x / max(‖x‖₂, 1e-12). */
function normalized(x: Float64Array): Float64Array {
  let sq = 0;
  for (let d = 0; d < x.length; d++) sq += x[d]! * x[d]!;
  const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
  return x.map((v) => v * scale);
}

/** Mean pooling then L2 normalisation (all-MiniLM-L6-v2's head). */
export function meanPoolNormalize(hidden: Float32Array, mask: ArrayLike<number>, batch: number, seqLength: number, dim: number): Float32Array[] {
  return sentenceEmbeddings(hidden, mask, batch, seqLength, dim, MEAN_NORMALIZE);
}

const MEAN_NORMALIZE: SentenceHead = { modes: ['mean'], dense: [], normalize: true };
