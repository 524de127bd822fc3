import { FlatCorpus, flattenCorpus, plansSimd, type ScoreFunction } from './flatCorpus';
import { int8Dots, int8DotsInJavaScript, int8DotsModule, paddedRowBytes, type Int8DotsFunction } from './int8DotKernel';
import { semanticSearch, type SearchHit } from './semanticSearch';
import { CandidateSelection } from './candidateSelection';
import { inverseNorm, type Vector } from './vector';

/**
 * Returns the float32 rows with the given ids (ascending), in that order: from memory, or from disk when the store
 * keeps only the int8 codes in RAM. They must be the very vectors the corpus was built from (checked).
 */
export type RescoreRows = (ids: readonly number[]) => readonly Vector[] | Promise<readonly Vector[]>;

export interface Int8CorpusOptions {
  /**
   * The `simd` option the float32 corpus is (or would be) flattened with, so that rescoring reproduces its scores
   * bit for bit (the SIMD kernel and the JavaScript loops round differently). Default: flattenCorpus's own default.
   * Ignored when the rows are given as a FlatCorpus: its actual choice is used.
   */
  readonly simd?: boolean;
  /** Scan in the WebAssembly SIMD kernel when the host has one (default); `false` uses JavaScript loops. */
  readonly wasm?: boolean;
}

/** Runs the int8 kernel on other threads; src/engine/int8ScanWorkers.ts (Node's worker_threads) is one. */
export interface Int8ScanThreads {
  /** Threads besides the caller's. */
  readonly threads: number;
  run(job: Int8ScanJob): Promise<void>;
}

/** One call of the kernel over a shared WebAssembly memory: `dots8(...args)`. */
export interface Int8ScanJob {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Identifies the memory across jobs, so a thread instantiates the kernel once per corpus. */
  readonly memoryId: number;
  readonly args: readonly [queryByte: number, rowsByte: number, rowCount: number, rowBytes: number, weightsByte: number, outByte: number];
}

export interface Int8SearchOptions {
  readonly scoreFunction?: ScoreFunction;
  /** Split the int8 scan with these threads (needs a shared memory, which Node always has). */
  readonly threads?: Int8ScanThreads;
  /**
   * Fewest rows a thread is given (default 131,072): a worker's round trip costs ~0.1 ms on an idle machine but
   * several ms on a loaded one, so smaller corpora scan on the caller's thread alone.
   */
  readonly minRowsPerThread?: number;
  /**
   * Rows that are not part of the corpus for this search (1 = skip), `count` long: the index store's dead rows,
   * which stay in their immutable segment. The answer is then semanticSearch's over the other rows (ids unchanged).
   */
  readonly skipRows?: Uint8Array;
}

export interface Int8SearchResult {
  readonly hits: SearchHit[];
  /** Rows passed to the rescore callback: those whose int8 bound could still reach the top k. */
  readonly candidates: number;
  /** Threads that ran the scan, the caller's included. */
  readonly threads: number;
}

const BYTES_F32 = 4;
/** Above this one WebAssembly memory fails to allocate on some hosts (as in flatCorpus); larger corpora scan in JS. */
const MAX_WASM_BYTES = 2 ** 31;
/** Rows scored per kernel call on the caller's thread, so candidate selection reads scores still in cache. */
const BLOCK_ROWS = 4096;
/** Measured: at load 14 on 2 cores, 100k rows had a worse p99 on two threads than on one. */
export const MIN_ROWS_PER_THREAD = 131_072;

let nextMemoryId = 1;

/**
 * A corpus of int8 codes (per-row symmetric scale, 1 byte per value) that answers top-k queries exactly as
 * {@link semanticSearch} over the float32 vectors does, reading a quarter of the bytes.
 *
 * A query is quantised to int16 and scanned against every row in integers. Each approximate score comes with a
 * proven bound on its distance to the float32 score, from the stored quantisation error of the row and of the
 * query (Cauchy–Schwarz) plus float32 rounding. Every row whose upper bound reaches the k-th best lower bound is
 * rescored from its float32 vector through semanticSearch itself, so scores, order and ties (equal scores: lower
 * id first) are identical to the float32 scan; all other rows are provably strictly below k rows.
 *
 * Build with {@link buildInt8Corpus}. Differences from semanticSearch: one query at a time, and the whole corpus is
 * one chunk (semanticSearch with more rows than its `corpusChunkSize`, 500,000 by default, may keep a higher id
 * among rows tied exactly at the k-th score).
 */
export class Int8Corpus {
  /** Row-major codes, `rowBytes` per row (the dimension padded with zeros to a multiple of 16). */
  readonly codes: Int8Array;
  readonly rowBytes: number;
  /** Per row: the float32 scale s (value ≈ s · code); 0 for a row too small to quantise. The dot weight. */
  readonly scales: Float32Array;
  /** Per row: 1 / ||row|| as flattenCorpus computes it (0 for a zero row). */
  readonly inverseNorms: Float32Array;
  /** Per row: ||row − s · codes||, the quantisation error's norm. */
  readonly errorNorms: Float32Array;
  /** Per row: s / ||row|| (the cosine weight of an integer dot) and ||error|| / ||row||. */
  private readonly cosineWeights: Float32Array;
  private readonly relativeErrors: Float32Array;
  /** Maxima over the rows, set by build: ||row||, ||row|| · (1 / ||row|| as stored) (≈ 1, 0 when all rows are
   * zero), ||error|| and ||error|| / ||row||. */
  private maxNorm = 0;
  private maxUnitNorm = 0;
  private maxErrorNorm = 0;
  private maxRelativeError = 0;
  private readonly memory: WebAssembly.Memory | null;
  private readonly module: WebAssembly.Module | null;
  private readonly dots: Int8DotsFunction | null;
  private readonly memoryId = nextMemoryId++;
  private readonly querySlot: Int16Array;
  /** The scan's output: float32(integer dot) · row weight, per row. */
  private readonly approximations: Float32Array;
  private readonly codesByte: number;
  private scanLock: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly count: number,
    readonly dim: number,
    /** Whether the float32 corpus scores in the SIMD kernel (rescoring must do the same). */
    readonly fp32Simd: boolean,
    wasm: boolean,
  ) {
    const rowBytes = paddedRowBytes(dim);
    this.rowBytes = rowBytes;
    // One buffer, so that the kernel (and worker threads) reach everything it reads and writes:
    // [query: rowBytes int16][approximations | cosine weights | scales: count float32 each][codes: count * rowBytes]
    const queryBytes = rowBytes * 2;
    const rowNumbersBytes = (count * BYTES_F32 + 15) & ~15;
    const codesByte = queryBytes + 3 * rowNumbersBytes;
    const bytes = codesByte + count * rowBytes;
    let memory: WebAssembly.Memory | null = null;
    let module: WebAssembly.Module | null = null;
    if (wasm && count > 0 && dim > 0 && bytes <= MAX_WASM_BYTES) {
      const pages = Math.ceil(bytes / 65536);
      for (const shared of [true, false]) {
        module = int8DotsModule(shared);
        if (!module) break;
        try {
          // Shared so that worker threads can scan the same codes; hosts without SharedArrayBuffer get a plain one.
          memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
          break;
        } catch {
          memory = null;
        }
      }
    }
    this.memory = memory && module ? memory : null;
    this.module = this.memory ? module : null;
    this.dots = this.memory && this.module ? int8Dots(this.module, this.memory) : null;
    const buffer = this.memory ? this.memory.buffer : new ArrayBuffer(bytes);
    this.querySlot = new Int16Array(buffer, 0, rowBytes);
    this.approximations = new Float32Array(buffer, queryBytes, count);
    this.cosineWeights = new Float32Array(buffer, queryBytes + rowNumbersBytes, count);
    this.scales = new Float32Array(buffer, queryBytes + 2 * rowNumbersBytes, count);
    this.codesByte = codesByte;
    this.codes = new Int8Array(buffer, codesByte, count * rowBytes);
    this.inverseNorms = new Float32Array(count);
    this.errorNorms = new Float32Array(count);
    this.relativeErrors = new Float32Array(count);
  }

  /** @internal use {@link buildInt8Corpus}. */
  static build(rows: FlatCorpus | readonly Vector[] | Float32Array, dim: number | undefined, options: Int8CorpusOptions): Int8Corpus {
    const source = rowSource(rows, dim);
    const fp32Simd = rows instanceof FlatCorpus ? rows.usesSimd : plansSimd(source.count, source.dim, options.simd);
    const corpus = Int8Corpus.empty(source.count, source.dim, fp32Simd, options);
    const row = new Float32Array(source.dim);
    const codes = new Int8Array(source.dim);
    for (let r = 0; r < source.count; r++) {
      source.read(r, row);
      corpus.addRow(r, row, codes);
    }
    return corpus;
  }

  /** @internal an unfilled corpus, for {@link Int8CorpusBuilder}. */
  static empty(count: number, dim: number, fp32Simd: boolean, options: Int8CorpusOptions): Int8Corpus {
    return new Int8Corpus(count, dim, fp32Simd, options.wasm ?? true);
  }

  /** @internal quantises row r and folds it into the corpus-wide maxima. */
  addRow(r: number, row: Float32Array, scratch: Int8Array): void {
    const norm = this.quantiseRow(r, row, scratch);
    this.maxNorm = Math.max(this.maxNorm, norm);
    this.maxUnitNorm = Math.max(this.maxUnitNorm, norm * this.inverseNorms[r]);
    this.maxErrorNorm = Math.max(this.maxErrorNorm, this.errorNorms[r]);
    this.maxRelativeError = Math.max(this.maxRelativeError, this.relativeErrors[r]);
  }

  /**
   * @internal What a corpus is made of, for storing it and loading it back (the index store's codes files): the
   * codes (`rowBytes` per row), the per-row float32 numbers in a fixed order, and the corpus-wide maxima. The
   * arrays are the corpus's own: filling those of an {@link empty} corpus and then {@link setMaxima} restores one.
   */
  parts(): { codes: Int8Array; rowNumbers: Float32Array[]; maxima: Float64Array } {
    return {
      codes: this.codes,
      rowNumbers: [this.scales, this.cosineWeights, this.inverseNorms, this.errorNorms, this.relativeErrors],
      maxima: Float64Array.of(this.maxNorm, this.maxUnitNorm, this.maxErrorNorm, this.maxRelativeError),
    };
  }

  /** @internal see {@link parts}. */
  setMaxima(maxima: Float64Array): void {
    [this.maxNorm, this.maxUnitNorm, this.maxErrorNorm, this.maxRelativeError] = maxima;
  }

  /** Fills row r's codes and numbers (through `codes`, a scratch row); returns its norm. */
  private quantiseRow(r: number, row: Float32Array, codes: Int8Array): number {
    let maxAbs = 0;
    let sumSq = 0;
    for (let k = 0; k < row.length; k++) {
      const v = row[k];
      const a = Math.abs(v); // not v < 0 ? -v : v, a branch that random signs mispredict half the time
      if (a > maxAbs) maxAbs = a;
      sumSq += v * v;
    }
    // NaN and ±Infinity make the sum non-finite (NaN never wins the max): one test per row finds them.
    if (!Number.isFinite(sumSq)) {
      const bad = row.find((v) => !Number.isFinite(v));
      throw new RangeError(`Vector ${r} holds a non-finite value (${bad}).`);
    }
    const scale = Math.fround(maxAbs / 127);
    const errorSq = quantise(row, scale, codes);
    this.codes.set(codes, r * this.rowBytes);
    const inv = Math.fround(inverseNorm(row));
    const errorNorm = Math.sqrt(errorSq);
    this.scales[r] = scale;
    this.inverseNorms[r] = inv;
    this.errorNorms[r] = errorNorm;
    this.cosineWeights[r] = scale * inv;
    this.relativeErrors[r] = errorNorm * inv;
    return Math.sqrt(sumSq);
  }

  /** Bytes of RAM the corpus holds (codes, per-row numbers, scan buffers); the float32 rows are not among them. */
  get bytes(): number {
    return this.codes.byteLength + this.querySlot.byteLength + this.count * 6 * BYTES_F32;
  }

  /** Whether the scan runs in the WebAssembly SIMD kernel. */
  get usesSimd(): boolean {
    return this.dots !== null;
  }

  /** Whether worker threads can scan this corpus (its codes live in a shared memory). */
  get shareable(): boolean {
    return this.memory !== null && typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /** The `topK` best rows for `query`, with the scores, order and ties of {@link semanticSearch} over float32. */
  async search(query: Vector, topK: number, rescore: RescoreRows, options: Int8SearchOptions = {}): Promise<SearchHit[]> {
    return (await this.searchDetailed(query, topK, rescore, options)).hits;
  }

  /** {@link search}, also saying how many rows were rescored and how many threads scanned. */
  async searchDetailed(query: Vector, topK: number, rescore: RescoreRows, options: Int8SearchOptions = {}): Promise<Int8SearchResult> {
    if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}.`);
    if (query.length !== this.dim) throw new RangeError(`Query has dimension ${query.length}, corpus has ${this.dim}.`);
    const scoreFunction = options.scoreFunction ?? 'cosine';
    if (scoreFunction !== 'cosine' && scoreFunction !== 'dot') throw new RangeError(`Unknown score function "${String(scoreFunction)}".`);
    const flatQuery = flattenCorpus([query], { simd: false });
    const skip = options.skipRows;
    if (skip !== undefined && skip.length !== this.count) throw new RangeError(`skipRows holds ${skip.length} flags for ${this.count} rows.`);
    if (topK === 0 || this.count === 0) return { hits: [], candidates: 0, threads: 0 };

    const minRows = Math.max(1, options.minRowsPerThread ?? MIN_ROWS_PER_THREAD);
    const parts = options.threads && this.shareable && this.dots ? Math.max(1, Math.min(options.threads.threads + 1, Math.floor(this.count / minRows))) : 1;
    const scan = this.scanLock.then(() => this.candidates(flatQuery, topK, scoreFunction, parts > 1 ? options.threads : undefined, parts, skip));
    this.scanLock = scan.catch(() => undefined);
    const ids = await scan;
    return { hits: await this.rescore(flatQuery, ids, topK, scoreFunction, rescore), candidates: ids.length, threads: parts };
  }

  /** Ids (ascending) of every row whose float32 score can still reach the top k. */
  private async candidates(
    flatQuery: FlatCorpus,
    topK: number,
    scoreFunction: ScoreFunction,
    threads: Int8ScanThreads | undefined,
    parts: number,
    skip: Uint8Array | undefined,
  ): Promise<number[]> {
    const y = flatQuery.data;
    const bound = this.quantiseQuery(y, scoreFunction, flatQuery.inverseNorms[0]);
    // A zero query scores exactly 0 against every row (its inverse norm is 0; its dots are +0), so the first k win.
    if (!bound) {
      const first: number[] = [];
      for (let i = 0; i < this.count && first.length < topK; i++) if (!skip?.[i]) first.push(i);
      return first;
    }

    const selection = new CandidateSelection(Math.min(topK, this.count));
    const select = (start: number, end: number) => this.selectRows(selection, bound, scoreFunction, start, end, skip);
    const share = Math.ceil(this.count / parts);
    const others: Promise<void>[] = [];
    for (let p = 1; p < parts; p++) {
      const start = Math.min(this.count, p * share);
      const end = Math.min(this.count, start + share);
      if (start < end)
        others.push(threads!.run({ module: this.module!, memory: this.memory!, memoryId: this.memoryId, args: this.kernelArgs(start, end, scoreFunction) }));
    }
    const mine = Math.min(this.count, share);
    for (let start = 0; start < mine; start += BLOCK_ROWS) {
      const end = Math.min(mine, start + BLOCK_ROWS);
      this.scoreRows(start, end, scoreFunction);
      select(start, end);
    }
    await Promise.all(others);
    if (mine < this.count) select(mine, this.count);
    return selection.finish();
  }

  private kernelArgs(start: number, end: number, scoreFunction: ScoreFunction): [number, number, number, number, number, number] {
    const weights = scoreFunction === 'cosine' ? this.cosineWeights : this.scales;
    return [
      this.querySlot.byteOffset,
      this.codesByte + start * this.rowBytes,
      end - start,
      this.rowBytes,
      weights.byteOffset + start * BYTES_F32,
      this.approximations.byteOffset + start * BYTES_F32,
    ];
  }

  private scoreRows(start: number, end: number, scoreFunction: ScoreFunction): void {
    if (this.dots) {
      this.dots(...this.kernelArgs(start, end, scoreFunction));
    } else {
      const weights = scoreFunction === 'cosine' ? this.cosineWeights : this.scales;
      int8DotsInJavaScript(this.querySlot, this.codes, start, end - start, this.rowBytes, weights, this.approximations.subarray(start, end));
    }
  }

  /**
   * Writes the int16 query into the scan slot and returns the constants of the per-row bound, or null for a zero
   * query. With y = t·p + f (p integers) and a row x = s·c + e: x·y = s·t·(c·p) + x·f + e·(t·p), so the integer
   * dot misses the true one by at most ||x||·||f|| + ||e||·||t·p||.
   */
  private quantiseQuery(y: Float32Array, scoreFunction: ScoreFunction, queryInverseNorm: number): ScanBound | null {
    let maxAbs = 0;
    for (let k = 0; k < y.length; k++) maxAbs = Math.max(maxAbs, Math.abs(y[k]));
    if (maxAbs === 0) return null;
    // Every partial sum of the kernel stays below dim * 127 * limit < 2^31.
    const limit = Math.min(32767, Math.floor(2147483647 / (127 * this.dim)));
    const t = maxAbs / limit;
    this.querySlot.fill(0);
    let fSq = 0;
    let tpSq = 0;
    let ySq = 0;
    for (let k = 0; k < y.length; k++) {
      const p = Math.max(-limit, Math.min(limit, Math.round(y[k] / t)));
      this.querySlot[k] = p;
      const tp = t * p;
      fSq += (y[k] - tp) ** 2;
      tpSq += tp * tp;
      ySq += y[k] * y[k];
    }
    // Relative slack for every float rounding: the float32 score's own (sums of dim products, inverse norms, the
    // final product: under (dim + 8) float32 units), the float32 storage of the per-row numbers, and float64
    // arithmetic here. Twice what is needed, and still ~1% of the quantisation bound.
    const eps = (this.dim + 64) * 2 ** -23;
    const queryError = Math.sqrt(fSq) * (1 + eps);
    const queryQuantised = Math.sqrt(tpSq) * (1 + eps);
    const queryNorm = Math.sqrt(ySq);
    if (scoreFunction === 'cosine') {
      const qInv = queryInverseNorm;
      const constant = qInv * (queryError * this.maxUnitNorm + eps * queryNorm * this.maxUnitNorm);
      return { weight: t * qInv, perRowError: queryQuantised * qInv, constant, eps, maxRowBound: constant + queryQuantised * qInv * this.maxRelativeError };
    }
    const constant = queryError * this.maxNorm + eps * queryNorm * this.maxNorm;
    return { weight: t, perRowError: queryQuantised, constant, eps, maxRowBound: constant + queryQuantised * this.maxErrorNorm };
  }

  /**
   * For rows [start, end): approximate score c = approximation · weight, bound β = constant + perRowError ·
   * error_row + eps·|c|; keeps rows whose c + β reaches the k-th best c − β seen so far. Most rows fail a first
   * test on the approximation alone against a threshold derived from the largest β, which is all the work they cost.
   */
  private selectRows(
    selection: CandidateSelection,
    bound: ScanBound,
    scoreFunction: ScoreFunction,
    start: number,
    end: number,
    skip: Uint8Array | undefined,
  ): void {
    const approximations = this.approximations;
    const rowErrors = scoreFunction === 'cosine' ? this.relativeErrors : this.errorNorms;
    const { weight, perRowError, constant, eps } = bound;
    let floor = selection.floor;
    let skipBelow = prefilterThreshold(floor, bound);
    for (let i = start; i < end; i++) {
      const a = approximations[i];
      if (a < skipBelow || (skip !== undefined && skip[i] !== 0)) continue;
      const c = a * weight;
      const beta = constant + perRowError * rowErrors[i] + eps * (c < 0 ? -c : c);
      const high = c + beta;
      if (high < floor) continue;
      const next = selection.add(i, high, c - beta);
      if (next !== floor) {
        floor = next;
        skipBelow = prefilterThreshold(floor, bound);
      }
    }
  }

  private async rescore(flatQuery: FlatCorpus, ids: number[], topK: number, scoreFunction: ScoreFunction, rescore: RescoreRows): Promise<SearchHit[]> {
    const rows = await rescore(ids);
    if (!Array.isArray(rows) || rows.length !== ids.length) {
      throw new RangeError(`The rescore callback returned ${Array.isArray(rows) ? rows.length : 'no array of'} rows for ${ids.length} ids.`);
    }
    const candidates = flattenCorpus(rows, { dim: this.dim, simd: this.fp32Simd });
    for (let j = 0; j < ids.length; j++) this.checkSameRow(ids[j], candidates, j);
    const [hits] = semanticSearch(flatQuery, candidates, { topK, scoreFunction, corpusChunkSize: Math.max(1, ids.length) });
    return hits.map((hit) => ({ corpus_id: ids[hit.corpus_id], score: hit.score }));
  }

  /** The bound holds only for the vectors that were quantised: a stale float32 store must not pass silently. */
  private checkSameRow(id: number, rows: FlatCorpus, j: number): void {
    const row = rows.data.subarray(j * this.dim, (j + 1) * this.dim);
    let maxAbs = 0;
    for (let k = 0; k < row.length; k++) maxAbs = Math.max(maxAbs, Math.abs(row[k]));
    const scale = this.scales[id];
    let same = Math.fround(maxAbs / 127) === scale && rows.inverseNorms[j] === this.inverseNorms[id];
    if (same) {
      const codes = new Int8Array(this.dim);
      quantise(row, scale, codes);
      const offset = id * this.rowBytes;
      for (let k = 0; same && k < row.length; k++) same = codes[k] === this.codes[offset + k];
    }
    if (!same)
      throw new Error(
        `Row ${id} from the rescore callback is not the vector this int8 corpus was built from: rebuild the int8 corpus from the current vectors.`,
      );
  }
}

interface ScanBound {
  /** Multiplies dot · rowWeight into the approximate score. */
  readonly weight: number;
  /** Multiplies the row's (relative) error norm into its bound. */
  readonly perRowError: number;
  /** The part of the bound shared by all rows. */
  readonly constant: number;
  readonly eps: number;
  /** constant + perRowError · the largest row error: β of every row, but for its eps·|c| part. */
  readonly maxRowBound: number;
}

/**
 * A value τ such that every row with approximation a < τ has c + β < floor, so it can be skipped unseen: the
 * upper bound a·w + maxRowBound + eps·|a·w| grows with a, τ is where it meets the floor, less a margin for the
 * float64 rounding of this very computation.
 */
function prefilterThreshold(floor: number, bound: ScanBound): number {
  if (floor === -Infinity) return -Infinity;
  const { weight, eps, maxRowBound } = bound;
  const rest = floor - maxRowBound;
  const tau = rest >= 0 ? rest / (weight * (1 + eps)) : rest / (weight * (1 - eps));
  return tau - 1e-9 * (Math.abs(tau) + maxRowBound / weight);
}

/**
 * Writes the codes of `row` at `scale` (rounded half up, clamped to ±127; all 0 for scale 0) and returns the
 * squared norm of the error row − scale · codes: one rule for building and for checking rescored rows. Math.floor
 * (x + 0.5) rather than Math.round: V8's Math.round branches on the sign, which random data mispredicts, and it
 * took 5× as long (any rounding rule is sound here, the error is measured, not assumed).
 */
function quantise(row: Float32Array, scale: number, codes: Int8Array): number {
  let errorSq = 0;
  if (scale === 0) {
    codes.fill(0);
    for (let k = 0; k < row.length; k++) errorSq += row[k] * row[k];
    return errorSq;
  }
  const inverse = 1 / scale;
  for (let k = 0; k < row.length; k++) {
    const rounded = Math.floor(row[k] * inverse + 0.5);
    const code = rounded > 127 ? 127 : rounded < -127 ? -127 : rounded;
    codes[k] = code;
    const e = row[k] - scale * code;
    errorSq += e * e;
  }
  return errorSq;
}

interface RowSource {
  readonly count: number;
  readonly dim: number;
  /** Copies row r into `out` as float32 values (what flattenCorpus would store). */
  read(r: number, out: Float32Array): void;
}

function rowSource(rows: FlatCorpus | readonly Vector[] | Float32Array, dim: number | undefined): RowSource {
  if (rows instanceof FlatCorpus) {
    if (dim !== undefined && dim !== rows.dim) throw new RangeError(`Expected dimension ${dim}, got ${rows.dim}.`);
    return { count: rows.count, dim: rows.dim, read: (r, out) => out.set(rows.data.subarray(r * rows.dim, (r + 1) * rows.dim)) };
  }
  if (rows instanceof Float32Array) {
    if (!dim || !Number.isInteger(dim) || rows.length % dim !== 0) throw new RangeError('A flat Float32Array corpus needs a dimension dividing its length.');
    return { count: rows.length / dim, dim, read: (r, out) => out.set(rows.subarray(r * dim, (r + 1) * dim)) };
  }
  const d = rows.length > 0 ? rows[0].length : (dim ?? 0);
  if (dim !== undefined && rows.length > 0 && dim !== d) throw new RangeError(`Expected dimension ${dim}, got ${d}.`);
  return {
    count: rows.length,
    dim: d,
    read: (r, out) => {
      const v = rows[r];
      if (!v || v.length !== d) throw new RangeError(`Vector ${r} has dimension ${v ? v.length : 'none'}, expected ${d}.`);
      out.set(v);
    },
  };
}

/**
 * Quantises float32 rows (a FlatCorpus, vectors, or a flat Float32Array with `dim`) into an {@link Int8Corpus}.
 * The float32 rows are not kept: searches fetch the few they rescore through a callback.
 */
export function buildInt8Corpus(rows: FlatCorpus | readonly Vector[] | Float32Array, dim?: number, options: Int8CorpusOptions = {}): Int8Corpus {
  return Int8Corpus.build(rows, dim, options);
}

/**
 * Builds an {@link Int8Corpus} of a known row count from blocks of float32 rows given in order, so that a caller
 * reading rows from disk never holds more than one block of float32 values (the index store's segments).
 */
export class Int8CorpusBuilder {
  private readonly corpus: Int8Corpus;
  private readonly scratch: Int8Array;
  private filled = 0;

  /** `options.simd`: as for {@link buildInt8Corpus}, the flattenCorpus choice that rescoring must reproduce. */
  constructor(
    readonly count: number,
    readonly dim: number,
    options: Int8CorpusOptions = {},
  ) {
    if (!Number.isInteger(count) || count < 0 || !Number.isInteger(dim) || dim < 1)
      throw new RangeError(`An int8 corpus needs a row count and a positive dimension, got ${count} × ${dim}.`);
    this.corpus = Int8Corpus.empty(count, dim, plansSimd(count, dim, options.simd), options);
    this.scratch = new Int8Array(dim);
  }

  /** Rows added so far. */
  get rows(): number {
    return this.filled;
  }

  /** Quantises the next `rows.length / dim` rows. */
  add(rows: Float32Array): void {
    const n = rows.length / this.dim;
    if (!Number.isInteger(n) || this.filled + n > this.count)
      throw new RangeError(`A block of ${rows.length} values does not fit: ${this.filled} of ${this.count} rows of ${this.dim} filled.`);
    for (let r = 0; r < n; r++) this.corpus.addRow(this.filled + r, rows.subarray(r * this.dim, (r + 1) * this.dim), this.scratch);
    this.filled += n;
  }

  finish(): Int8Corpus {
    if (this.filled !== this.count) throw new RangeError(`Only ${this.filled} of ${this.count} rows were added.`);
    return this.corpus;
  }
}
