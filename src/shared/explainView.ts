// "Explain a score": the word-piece alignment of two texts as the Studio panel and the notebook renderer draw it.
// The host builds an ExplainView from the engine's token embeddings; the webview and the renderer draw it with the
// same module (media/src/explain). No vscode or DOM import.
import { explainAlignment, type AlignmentOptions, type AlignmentSide } from '../core/explainAlignment';
import { pieceWords } from '../core/pieceWords';
import type { Vector } from '../core/vector';

/** One text as the engine's `tokenEmbeddings` gives it (the fields the view needs). */
export interface ExplainSide {
  readonly tokens: readonly string[];
  readonly special: readonly boolean[];
  readonly embeddings: readonly Vector[];
  readonly truncated: boolean;
}

/** Two texts' word pieces aligned: rows are A's pieces, columns B's, special tokens left out. */
export interface ExplainView {
  readonly tokensA: readonly string[];
  readonly tokensB: readonly string[];
  /** The whole word each piece belongs to (`##ing` → "playing", `▁wor` `ld` → "world"). */
  readonly wordsA: readonly string[];
  readonly wordsB: readonly string[];
  /** matrix[r][c]: cosine of A's piece r and B's piece c (contextual token embeddings). */
  readonly matrix: readonly (readonly number[])[];
  /** Per row, the column of its best match (-1 when B has no pieces). */
  readonly bestInB: readonly number[];
  /** Per column, the row of its best match (-1 when A has no pieces). */
  readonly bestInA: readonly number[];
  /** Mean best cosine of A's pieces in B (BERTScore precision), of B's in A (recall), their harmonic mean. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Cosine of the two sentence embeddings. */
  readonly cosine: number;
  /** The text had more word pieces than the model takes; only its first ones are aligned. */
  readonly truncatedA: boolean;
  readonly truncatedB: boolean;
  readonly maxTokens: number;
}

/**
 * What `minilm explain --format json` prints and a notebook's explain output saves: the matrix rows are tokens_a, its
 * columns tokens_b.
 */
export interface ExplainJson {
  tokens_a: string[];
  tokens_b: string[];
  matrix: number[][];
  precision: number;
  recall: number;
  f1: number;
  cosine: number;
  /** Present (true) only when precision and recall are idf-weighted means. */
  idf?: true;
}

/** The alignment of A's and B's pieces (special tokens left out), named by their pieces; `options` weight it by idf. */
export function alignPieces(
  a: AlignmentSide & { readonly tokens: readonly string[] },
  b: AlignmentSide & { readonly tokens: readonly string[] },
  options: AlignmentOptions = {},
) {
  const alignment = explainAlignment(a, b, options);
  return {
    tokensA: alignment.rowsA.map((i) => a.tokens[i]!),
    tokensB: alignment.colsB.map((j) => b.tokens[j]!),
    matrix: alignment.matrix,
    precision: alignment.precision,
    recall: alignment.recall,
    f1: alignment.f1,
  };
}

export function buildExplainView(a: ExplainSide, b: ExplainSide, cosine: number, maxTokens: number): ExplainView {
  return explainViewOf({ ...alignPieces(a, b), cosine, truncatedA: a.truncated, truncatedB: b.truncated, maxTokens });
}

/** The view of a saved alignment (a notebook's JSON): whole words and best matches derived from pieces and matrix. */
export function explainViewOf(saved: Omit<ExplainView, 'wordsA' | 'wordsB' | 'bestInB' | 'bestInA'>): ExplainView {
  const { matrix } = saved;
  const argmax = (values: readonly number[]) => values.reduce((best, v, i) => (best < 0 || v > values[best]! ? i : best), -1);
  return {
    ...saved,
    wordsA: pieceWords(saved.tokensA),
    wordsB: pieceWords(saved.tokensB),
    bestInB: matrix.map((row) => argmax(row)),
    bestInA: saved.tokensB.map((_, c) => (matrix.length === 0 ? -1 : argmax(matrix.map((row) => row[c]!)))),
  };
}

/** A piece with its best match on the other side. */
export interface PieceMatch {
  readonly side: 'A' | 'B';
  /** Row (side A) or column (side B) of the piece. */
  readonly index: number;
  readonly piece: string;
  readonly word: string;
  readonly partner: string;
  readonly partnerWord: string;
  readonly score: number;
}

/**
 * The pieces that pull precision and recall up (highest best match) and down (lowest), `count` of each, from both
 * texts. A piece is in at most one of the two lists.
 */
export function pullingPieces(view: ExplainView, count: number): { up: PieceMatch[]; down: PieceMatch[] } {
  const all: PieceMatch[] = [];
  view.bestInB.forEach((c, r) => {
    if (c >= 0)
      all.push({
        side: 'A',
        index: r,
        piece: view.tokensA[r]!,
        word: view.wordsA[r]!,
        partner: view.tokensB[c]!,
        partnerWord: view.wordsB[c]!,
        score: view.matrix[r]![c]!,
      });
  });
  view.bestInA.forEach((r, c) => {
    if (r >= 0)
      all.push({
        side: 'B',
        index: c,
        piece: view.tokensB[c]!,
        word: view.wordsB[c]!,
        partner: view.tokensA[r]!,
        partnerWord: view.wordsA[r]!,
        score: view.matrix[r]![c]!,
      });
  });
  all.sort((p, q) => q.score - p.score || (p.side < q.side ? -1 : p.side > q.side ? 1 : p.index - q.index));
  const n = Math.min(count, Math.floor(all.length / 2));
  return { up: all.slice(0, n), down: all.slice(all.length - n).reverse() };
}

/** The explain view's own words; the panel and the notebook translate them (keys are the English text's ids). */
export const EXPLAIN_STRINGS = {
  'explain.title': 'Which word pieces make the score',
  'explain.precision': 'Precision (A → B)',
  'explain.recall': 'Recall (B → A)',
  'explain.f1': 'F1',
  'explain.cosine': 'Sentence cosine',
  'explain.heatmap': 'Cosine of every word piece of A (rows) with every word piece of B (columns); each row’s best match is outlined.',
  'explain.up': 'Pull the score up',
  'explain.down': 'Pull the score down',
  'explain.hover': 'Hover a cell or a piece to see its whole word.',
  'explain.cell': 'A “{0}” ({1}) ↔ B “{2}” ({3}): {4}',
  'explain.piece': '{0} “{1}” in “{2}”',
  'explain.match': 'best match “{0}” ({1})',
  'explain.empty': 'A text has no word pieces to align.',
  'explain.truncated': 'A text is longer than {0} word pieces: only its first {0} are aligned.',
} as const;
export type ExplainStringKey = keyof typeof EXPLAIN_STRINGS;
export type ExplainTranslate = (key: ExplainStringKey, ...args: Array<string | number>) => string;
