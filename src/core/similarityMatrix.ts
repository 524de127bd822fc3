import { FlatCorpus, flattenCorpus, type ScoreFunction } from './flatCorpus';
import { euclideanDistance, manhattanDistance, type Vector } from './vector';

/** A dense row-major matrix of float32 scores. */
export interface ScoreMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `rows * cols` values; entry (r, c) is `data[r * cols + c]`. */
  readonly data: Float32Array;
}

export interface SimilarityMatrixOptions {
  /** Default cosine. Cosine is computed with each vector's own norm, so inputs need not be unit length. */
  readonly scoreFunction?: ScoreFunction;
}

/**
 * Cosine (or dot) similarity of every vector in `a` with every vector in `b` (N x M). Without `b`, the N x N matrix
 * of `a` with itself; it is exactly symmetric. Cosine values are clamped to [-1, 1] (float32 rounding can exceed 1
 * by about 1e-7 on the diagonal); a zero vector scores 0 against everything.
 */
export function similarityMatrix(a: readonly Vector[] | FlatCorpus, b?: readonly Vector[] | FlatCorpus, options: SimilarityMatrixOptions = {}): ScoreMatrix {
  const scoreFunction = options.scoreFunction ?? 'cosine';
  // Only the column side is scanned by the SIMD kernel; the row side just supplies queries.
  const right = flattenCorpus(b ?? a);
  const left = b === undefined ? right : a instanceof FlatCorpus ? a : flattenCorpus(a, { simd: false });
  if (left.count > 0 && right.count > 0 && left.dim !== right.dim) {
    throw new RangeError(`Rows have dimension ${left.dim}, columns ${right.dim}.`);
  }
  const rows = left.count;
  const cols = right.count;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const out = data.subarray(r * cols, (r + 1) * cols);
    left.scoreRowInto(r, out, scoreFunction, right);
    if (scoreFunction === 'cosine') {
      for (let c = 0; c < cols; c++) {
        if (out[c] > 1) out[c] = 1;
        else if (out[c] < -1) out[c] = -1;
      }
    }
  }
  return { rows, cols, data };
}

/** sentence-transformers' `similarity_fn_name`: how a model's vectors are meant to be compared. */
export type SimilarityFunction = 'cosine' | 'dot' | 'euclidean' | 'manhattan';

/**
 * `SentenceTransformer.similarity(a, b)` for the model's similarity function: cosine (`cos_sim`), dot product
 * (`dot_score`), or the negative Euclidean / Manhattan distance (`euclidean_sim`, `manhattan_sim`: higher is more
 * similar whichever the function). Without `b`, every vector of `a` against every other.
 */
export function modelSimilarity(a: readonly Vector[], b: readonly Vector[] | undefined, similarityFunction: SimilarityFunction): ScoreMatrix {
  if (similarityFunction === 'cosine' || similarityFunction === 'dot') return similarityMatrix(a, b, { scoreFunction: similarityFunction });
  const distance = similarityFunction === 'euclidean' ? euclideanDistance : manhattanDistance;
  const right = b ?? a;
  const data = new Float32Array(a.length * right.length);
  a.forEach((row, r) => right.forEach((col, c) => (data[r * right.length + c] = -distance(row, col))));
  return { rows: a.length, cols: right.length, data };
}

/** The matrix as nested arrays (for JSON documents and the webview). */
export function matrixToRows(matrix: ScoreMatrix): number[][] {
  const result: number[][] = [];
  for (let r = 0; r < matrix.rows; r++) result.push(Array.from(matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols)));
  return result;
}

/** Entry (r, c). */
export function matrixAt(matrix: ScoreMatrix, r: number, c: number): number {
  return matrix.data[r * matrix.cols + c];
}
