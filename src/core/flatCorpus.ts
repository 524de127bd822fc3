import { inverseNorm, type Vector } from './vector';
import { simdDots, type DotsFunction } from './simdDotKernel';

/** How two vectors are scored: cosine (sentence-transformers' `cos_sim`, the default) or the raw dot product. */
export type ScoreFunction = 'cosine' | 'dot';

export interface FlattenOptions {
  /** Dimension of an empty corpus (otherwise taken from the first vector). */
  readonly dim?: number;
  /**
   * Use the WebAssembly SIMD kernel (rows a multiple of 8 long, runtime with SIMD). Default: only for corpora of at
   * least 16,384 values, because each SIMD corpus reserves its own WebAssembly memory and small ones gain little.
   * `true` uses it whenever possible, `false` never.
   */
  readonly simd?: boolean;
}

const BYTES = Float32Array.BYTES_PER_ELEMENT;
/** Memories above this size fail to allocate on some hosts; such corpora use the JavaScript loops instead. */
const MAX_SIMD_BYTES = 2 ** 31;
const MIN_AUTO_SIMD_VALUES = 16_384;

function simdBytes(count: number, dim: number): number {
  return (dim + ((count + 7) & ~7) + count * dim) * BYTES;
}

/**
 * Whether a corpus of `count` rows of `dim` asks for the SIMD kernel under `simdOption` (see
 * {@link FlattenOptions.simd}); it gets it when the runtime also has SIMD WebAssembly and the memory allocates.
 * Scores from the kernel and from the JavaScript loops differ in the last bits, so code that must reproduce a
 * corpus's scores exactly (the int8 corpus's rescoring) asks which one that corpus used.
 */
export function plansSimd(count: number, dim: number, simdOption: boolean | undefined): boolean {
  const simd = simdOption ?? count * dim >= MIN_AUTO_SIMD_VALUES;
  return simd && dim > 0 && dim % 8 === 0 && count > 0 && simdBytes(count, dim) <= MAX_SIMD_BYTES;
}

/**
 * Vectors packed once into one row-major Float32Array, with their inverse norms, so that repeated scoring runs
 * over contiguous memory without per-call conversion. Build with {@link flattenCorpus}.
 *
 * When SIMD WebAssembly is available the rows live inside a WebAssembly memory laid out as
 * `[query: dim][scores: count, padded][rows: count * dim]`, and scoring one query against many rows runs there.
 */
export class FlatCorpus {
  /** Row-major `count * dim` values (a view; do not keep it across a call that could replace it). */
  readonly data: Float32Array;
  /** 1 / ||row||, or 0 for a zero row (its cosine with anything is then 0, never NaN). */
  readonly inverseNorms: Float32Array;
  private readonly dots: DotsFunction | null;
  private readonly querySlot: Float32Array | null;
  private readonly scoreSlot: Float32Array | null;
  private readonly rowsByte: number;

  private constructor(
    readonly count: number,
    readonly dim: number,
    simdOption: boolean | undefined,
  ) {
    const padded = (count + 7) & ~7;
    const bytes = simdBytes(count, dim);
    let dots: DotsFunction | null = null;
    let memory: WebAssembly.Memory | null = null;
    if (plansSimd(count, dim, simdOption)) {
      try {
        memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
        dots = simdDots(memory);
      } catch {
        dots = null; // out of memory for one big block: plain arrays still work
      }
    }
    if (dots && memory) {
      this.dots = dots;
      this.querySlot = new Float32Array(memory.buffer, 0, dim);
      this.scoreSlot = new Float32Array(memory.buffer, dim * BYTES, padded);
      this.rowsByte = (dim + padded) * BYTES;
      this.data = new Float32Array(memory.buffer, this.rowsByte, count * dim);
    } else {
      this.dots = null;
      this.querySlot = null;
      this.scoreSlot = null;
      this.rowsByte = 0;
      this.data = new Float32Array(count * dim);
    }
    this.inverseNorms = new Float32Array(count);
  }

  /** @internal use {@link flattenCorpus}. */
  static create(count: number, dim: number, simd: boolean | undefined): FlatCorpus {
    return new FlatCorpus(count, dim, simd);
  }

  /** @internal recompute inverse norms after `data` was filled. */
  finish(): this {
    for (let r = 0; r < this.count; r++) this.inverseNorms[r] = inverseNorm(this.data, r * this.dim, this.dim);
    return this;
  }

  /** Whether scoring runs in the SIMD kernel (for benchmarks and tests). */
  get usesSimd(): boolean {
    return this.dots !== null;
  }

  /** A copy of row `index`. */
  row(index: number): Float32Array {
    checkIndex(index, this.count);
    return this.data.slice(index * this.dim, (index + 1) * this.dim);
  }

  /**
   * Scores `query` against rows `[start, end)` into `out[0 .. end-start)`. `queryInverseNorm` lets callers that
   * score a row of a corpus against another pass the stored value, which keeps score(i, j) === score(j, i) bit for bit.
   * Scores are float32 values, like the tensors sentence-transformers computes.
   */
  scoreInto(
    query: ArrayLike<number>,
    out: Float32Array,
    scoreFunction: ScoreFunction = 'cosine',
    start = 0,
    end = this.count,
    queryInverseNorm?: number,
  ): Float32Array {
    if (query.length !== this.dim) {
      throw new RangeError(`Query has dimension ${query.length}, corpus has ${this.dim}.`);
    }
    if (start < 0 || end > this.count || start > end) throw new RangeError(`Bad row range [${start}, ${end}).`);
    const n = end - start;
    if (out.length < n) throw new RangeError(`Output holds ${out.length} scores, ${n} needed.`);
    const dim = this.dim;
    if (this.dots && this.querySlot && this.scoreSlot) {
      this.querySlot.set(query);
      this.dots(0, this.rowsByte + start * dim * BYTES, n, dim * BYTES, dim * BYTES);
      out.set(this.scoreSlot.subarray(0, n));
    } else {
      dotsInJavaScript(query, this.data, start, n, dim, out);
    }
    if (scoreFunction === 'cosine') {
      const qInv = queryInverseNorm ?? inverseNorm(query);
      const inv = this.inverseNorms;
      // (qInv * inv[j]) first: the product is symmetric, so score(i, j) equals score(j, i) exactly.
      for (let j = 0; j < n; j++) out[j] = out[j] * (qInv * inv[start + j]);
    }
    return out;
  }

  /** Scores row `index` of this corpus against rows `[start, end)` of `other` (default: this corpus). */
  scoreRowInto(
    index: number,
    out: Float32Array,
    scoreFunction: ScoreFunction = 'cosine',
    other: FlatCorpus = this,
    start = 0,
    end = other.count,
  ): Float32Array {
    checkIndex(index, this.count);
    const query = this.data.subarray(index * this.dim, (index + 1) * this.dim);
    return other.scoreInto(query, out, scoreFunction, start, end, this.inverseNorms[index]);
  }
}

function checkIndex(index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`Row ${index} is out of range 0..${count - 1}.`);
}

/** Four rows at a time, so each query element is loaded once per four products. */
function dotsInJavaScript(query: ArrayLike<number>, data: Float32Array, start: number, n: number, dim: number, out: Float32Array): void {
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const o0 = (start + r) * dim;
    const o1 = o0 + dim;
    const o2 = o1 + dim;
    const o3 = o2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < dim; k++) {
      const x = query[k];
      s0 += x * data[o0 + k];
      s1 += x * data[o1 + k];
      s2 += x * data[o2 + k];
      s3 += x * data[o3 + k];
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < n; r++) {
    const o = (start + r) * dim;
    let s = 0;
    for (let k = 0; k < dim; k++) s += query[k] * data[o + k];
    out[r] = s;
  }
}

/**
 * Packs vectors (or an already flat row-major Float32Array with `dim` given) for fast repeated scoring.
 * Pack a corpus once and reuse it for every query. Rejects ragged input and non-finite values.
 */
export function flattenCorpus(vectors: readonly Vector[] | FlatCorpus | Float32Array, options: FlattenOptions = {}): FlatCorpus {
  if (vectors instanceof FlatCorpus) return vectors;
  const simd = options.simd;
  if (vectors instanceof Float32Array) {
    const dim = options.dim;
    if (!dim || !Number.isInteger(dim) || vectors.length % dim !== 0) {
      throw new RangeError('A flat Float32Array corpus needs options.dim dividing its length.');
    }
    const corpus = FlatCorpus.create(vectors.length / dim, dim, simd);
    for (let r = 0; r < corpus.count; r++) checkFinite(vectors.subarray(r * dim, (r + 1) * dim), r);
    corpus.data.set(vectors);
    return corpus.finish();
  }
  const count = vectors.length;
  const dim = count > 0 ? vectors[0].length : (options.dim ?? 0);
  if (options.dim !== undefined && count > 0 && options.dim !== dim) {
    throw new RangeError(`Expected dimension ${options.dim}, got ${dim}.`);
  }
  const corpus = FlatCorpus.create(count, dim, simd);
  for (let r = 0; r < count; r++) {
    const v = vectors[r];
    if (!v || v.length !== dim) {
      throw new RangeError(`Vector ${r} has dimension ${v ? v.length : 'none'}, expected ${dim}.`);
    }
    checkFinite(v, r);
    corpus.data.set(v, r * dim);
  }
  return corpus.finish();
}

function checkFinite(values: ArrayLike<number>, row: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`Vector ${row} holds a non-finite value (${values[i]}).`);
  }
}
