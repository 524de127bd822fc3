/**
 * Correlation coefficients as scipy.stats computes them, in float64: `pearsonr` (its statistic) and `spearmanr`
 * (Pearson of the ranks, ties sharing the average of the ranks they span, as `rankdata(method='average')`).
 */

/** 1-based ranks; equal values get the mean of the ranks they would occupy. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 (0-based) hold one value: ranks start+1..end, mean (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's r in [-1, 1]; NaN when either input is constant (scipy warns and returns NaN there too). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkInputs(x, y);
  const xm = centredAndScaled(x);
  const ym = centredAndScaled(y);
  if (!xm || !ym) return NaN;
  // As scipy: centre, divide by the largest magnitude (keeps tiny or huge values from under/overflowing), normalise.
  const nx = euclideanNorm(xm);
  const ny = euclideanNorm(ym);
  let r = 0;
  for (let i = 0; i < xm.length; i++) r += (xm[i] / nx) * (ym[i] / ny);
  return Math.max(-1, Math.min(1, r));
}

function euclideanNorm(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

function centredAndScaled(values: ArrayLike<number>): Float64Array | undefined {
  const n = values.length;
  let constant = true;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    mean += values[i];
    if (values[i] !== values[0]) constant = false;
  }
  if (constant) return undefined;
  mean /= n;
  const centred = new Float64Array(n);
  let largest = 0;
  for (let i = 0; i < n; i++) {
    centred[i] = values[i] - mean;
    largest = Math.max(largest, Math.abs(centred[i]));
  }
  if (largest === 0) return undefined;
  for (let i = 0; i < n; i++) centred[i] /= largest;
  return centred;
}

/** Spearman's rho: Pearson's r of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkInputs(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

function checkInputs(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new RangeError(`Inputs differ in length: ${x.length} vs ${y.length}.`);
  if (x.length < 2) throw new RangeError(`Correlation needs at least 2 pairs, got ${x.length}.`);
  for (const values of [x, y]) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new RangeError(`Value ${i} is not a finite number (${values[i]}).`);
    }
  }
}
