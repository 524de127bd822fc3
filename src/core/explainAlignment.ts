import { cosineSimilarity, type Vector } from './vector';

/** One text's word pieces as the engine's `tokenEmbeddings` gives them. */
export interface AlignmentSide {
  /** One contextual embedding per token. */
  embeddings: readonly Vector[];
  /** Tokens left out of the alignment ([CLS], [SEP], <s>, </s>). */
  special: readonly boolean[];
  /** Token ids, needed only for idf weights. */
  ids?: readonly number[];
}

export interface AlignmentOptions {
  /**
   * Weights per token id for weighted precision and recall, as BERTScore's idf weighting: precision is
   * Σ w(a)·best(a) / Σ w(a) over A's pieces, recall the same over B's. Without it every piece weighs 1.
   */
  idf?: ReadonlyMap<number, number>;
  /** Weight of an id missing from `idf` (default 1). */
  defaultWeight?: number;
}

export interface Alignment {
  /** Positions in A's tokens of the matrix rows (its non-special tokens, in order). */
  rowsA: number[];
  /** Positions in B's tokens of the matrix columns. */
  colsB: number[];
  /** matrix[i][j]: cosine of A's row-i piece and B's column-j piece. */
  matrix: number[][];
  /** For each row, the column of its best match in B (-1 when B has no pieces). */
  bestInB: number[];
  /** For each column, the row of its best match in A (-1 when A has no pieces). */
  bestInA: number[];
  /** Mean over A's pieces of their best cosine in B (weighted with `idf`); 0 when either side has no pieces. */
  precision: number;
  /** Mean over B's pieces of their best cosine in A (weighted with `idf`); 0 when either side has no pieces. */
  recall: number;
  /** Harmonic mean of precision and recall (0 when they sum to 0). */
  f1: number;
}

/**
 * Greedy token alignment between two texts, as BERTScore computes it: the cosine of every word piece of A with
 * every word piece of B (special tokens left out), each piece matched to its most similar piece on the other side,
 * precision = A's pieces' mean best cosine, recall = B's, F1 their harmonic mean. Cosines in float64.
 */
export function explainAlignment(a: AlignmentSide, b: AlignmentSide, options: AlignmentOptions = {}): Alignment {
  const rowsA = contentPositions(a);
  const colsB = contentPositions(b);
  const matrix = rowsA.map((i) => colsB.map((j) => cosineSimilarity(a.embeddings[i]!, b.embeddings[j]!)));
  const bestInB = matrix.map((row) => argmax(row));
  const bestInA = colsB.map((_, c) => argmax(matrix.map((row) => row[c]!)));
  const weightsA = weightsOf(a, rowsA, options);
  const weightsB = weightsOf(b, colsB, options);
  const empty = rowsA.length === 0 || colsB.length === 0;
  const precision = empty
    ? 0
    : weightedMean(
        bestInB.map((c, r) => matrix[r]![c]!),
        weightsA,
      );
  const recall = empty
    ? 0
    : weightedMean(
        bestInA.map((r, c) => matrix[r]![c]!),
        weightsB,
      );
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { rowsA, colsB, matrix, bestInB, bestInA, precision, recall, f1 };
}

function contentPositions(side: AlignmentSide): number[] {
  if (side.special.length !== side.embeddings.length) {
    throw new RangeError(`special has ${side.special.length} flags for ${side.embeddings.length} token embeddings`);
  }
  if (side.ids && side.ids.length !== side.embeddings.length) {
    throw new RangeError(`ids has ${side.ids.length} entries for ${side.embeddings.length} token embeddings`);
  }
  const positions: number[] = [];
  side.special.forEach((special, i) => {
    if (!special) positions.push(i);
  });
  return positions;
}

/** Index of the largest value (the first on ties), -1 for an empty list. */
function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i]! > values[best]!) best = i;
  return best;
}

function weightsOf(side: AlignmentSide, positions: readonly number[], options: AlignmentOptions): number[] | undefined {
  const idf = options.idf;
  if (!idf) return undefined;
  if (!side.ids) throw new RangeError('idf weights need the token ids of both texts');
  const fallback = options.defaultWeight ?? 1;
  return positions.map((p) => idf.get(side.ids![p]!) ?? fallback);
}

/** Mean of `values` weighted by `weights` (plain mean without); 0 when the weights sum to 0. */
function weightedMean(values: readonly number[], weights: readonly number[] | undefined): number {
  let sum = 0;
  let total = 0;
  values.forEach((v, i) => {
    const w = weights ? weights[i]! : 1;
    sum += w * v;
    total += w;
  });
  return total === 0 ? 0 : sum / total;
}
