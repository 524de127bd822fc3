import { MAX_SEQ_LENGTH } from './types';

/** Turns text into word-piece ids with [CLS] … [SEP]; provided by the tokenizer. */
export type EncodeIds = (text: string) => number[];

export interface TruncatedIds {
  ids: number[];
  truncated: boolean;
}

/**
 * sentence-transformers truncates the content and then adds the special tokens, so a long text still ends in the
 * post-processor's final token ([SEP], </s>) at position max - 1. transformers.js cuts after the special tokens are
 * added and would drop it, so the ids are cut here instead: keep the first max - 1 ids, then put `endId` back.
 * `endId` undefined: the tokenizer adds no final token, and the ids are simply cut.
 */
export function truncateIds(ids: number[], endId: number | undefined, maxLength = MAX_SEQ_LENGTH): TruncatedIds {
  if (ids.length <= maxLength) return { ids, truncated: false };
  if (endId === undefined) return { ids: ids.slice(0, maxLength), truncated: true };
  const cut = ids.slice(0, maxLength - 1);
  cut.push(endId);
  return { ids: cut, truncated: true };
}

/**
 * truncation_side "left": HF tokenizers cut the content's start, so a long text keeps the leading special tokens
 * (`headLength` of them: [CLS], <s>), then the end of its content and the final special token.
 */
export function truncateIdsLeft(ids: number[], headLength: number, maxLength = MAX_SEQ_LENGTH): TruncatedIds {
  if (ids.length <= maxLength) return { ids, truncated: false };
  const head = Math.min(headLength, maxLength);
  return { ids: [...ids.slice(0, head), ...ids.slice(ids.length - (maxLength - head))], truncated: true };
}

/*
 * Why a prefix gives exactly the leading word pieces of the whole text (BERT's tokenizer as transformers.js runs
 * it: special tokens split off the raw text; then clean-up (controls, format characters, U+FFFD and lone
 * surrogates deleted, whitespace made a space), a space around each BMP CJK ideograph, lowercase, NFD, combining
 * marks (Mn) deleted; then words split at whitespace and punctuation; WordPiece per word, and a word longer than
 * `max_input_chars_per_word` (100) becomes one [UNK]). Two rewrites keep the pieces, and a cut keeps a prefix of them:
 *
 * Cut before a separator (a kept whitespace character, punctuation other than `]`, a BMP CJK ideograph): every step
 * above is per character except (1) special tokens, which start with `[` and hold only A–Z and `]` after it, so none
 * spans the cut; (2) NFD reordering, which never crosses a separator (it is a starter); (3) Greek final sigma, the
 * only context rule of lowercasing: a Σ followed only by case-ignorable or deleted characters up to the cut would be
 * final in the prefix; when the first other character after the cut is cased it is written σ here, as in the whole
 * text. So the prefix's words are the whole text's words before the cut.
 *
 * Shortening a long word run (letters, marks, digits, symbols, format and other characters that never split a
 * word): (a) its middle is dropped when at least `KEEP` solid characters (letters, digits, symbols that are not
 * case-ignorable and each leave at least one character after normalising) come before the cut, keeping everything
 * from the run's last solid character on: the word keeps more than 100 characters, so it stays one [UNK]; the
 * context of any Σ outside the run ends at a kept solid character, and no special token starts inside a run;
 * (b) otherwise every stretch of vanishing characters (Mn, controls, format characters, …, deleted by the
 * normaliser and case-ignorable) is shortened to its first character, which still separates what was on its sides.
 *
 * The character classes below are checked one by one against the real tokenizer in the unit tests.
 */

const CJK_BMP = '\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF';
/** BERT counts all ASCII symbols as punctuation, besides Unicode's \p{P}. */
const ASCII_PUNCT = '\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E';
/** Whitespace the normaliser turns into a space (\v, \f and U+FEFF are deleted as control or format characters). */
const KEPT_SPACE = '[\\s--[\\v\\f\\uFEFF]]';
/** Symbols whose NFD holds ASCII punctuation (` = < >), so they split words after normalising. */
const SPLITTING_SYMBOLS = '\\u1FEF\\u2260\\u226E\\u226F';

/**
 * One character class as the three regular expressions used here: a test of one character, a search for the next
 * one in the class and a search for the next one outside it. Stretches are found with the two searches, never with
 * `+` or `*`, whose backtracking overflows V8's regexp stack on a run of millions of characters.
 */
function characterClass(expression: string) {
  return { is: new RegExp(`^[${expression}]$`, 'v'), next: new RegExp(`[${expression}]`, 'gv'), nextOutside: new RegExp(`[^${expression}]`, 'gv') };
}

/** Index of the next character at or after `from` that `search` finds, or `text.length`. */
function nextIndex(search: RegExp, text: string, from: number): number {
  search.lastIndex = from;
  return search.exec(text)?.index ?? text.length;
}

/** A code unit a prefix may end before. */
const SEPARATOR = characterClass(`[${KEPT_SPACE}\\p{P}${ASCII_PUNCT}${CJK_BMP}]--[\\]]`);
/** Characters that never split a word. */
const WORD = characterClass(`[\\p{L}\\p{M}\\p{N}\\p{S}\\p{C}]--[${KEPT_SPACE}${ASCII_PUNCT}${CJK_BMP}${SPLITTING_SYMBOLS}]`);
/** Word characters that are not case-ignorable and leave at least one character after normalising. */
const SOLID = characterClass(`[\\p{L}\\p{N}\\p{S}]--[\\p{Case_Ignorable}${ASCII_PUNCT}${CJK_BMP}${SPLITTING_SYMBOLS}\\uFFFD]`);
/** Characters the normaliser deletes (Mn after NFD): nothing of them reaches the words. */
const VANISHING = characterClass('[\\p{Mn}\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\uFFFD]--[\\t\\n\\r]');
/** What lowercasing skips when it looks for a Σ's neighbours (deleted characters are gone by then). */
const SIGMA_TRANSPARENT = characterClass('[\\p{Case_Ignorable}\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\uFFFD]--[\\t\\n\\r]');
const CASED = /^\p{Cased}$/u;

/** The classes above, one character each, for the tests that check them against the real tokenizer. */
export const cutCharacterClasses = { separator: SEPARATOR.is, word: WORD.is, solid: SOLID.is, vanishing: VANISHING.is, sigmaTransparent: SIGMA_TRANSPARENT.is };

/** Solid characters kept at the head of a shortened run: more than BERT's 100 characters per word. */
export const KEEP_SOLID = 128;
/** Runs shorter than this are left as they are. */
const SHORTEN_MIN = 1024;
/** How far from a run's start its first `KEEP_SOLID` solid characters are looked for. */
const HEAD_SEARCH = 65_536;
/** How far from a run's end its last solid character is looked for. */
const LAST_SOLID_SEARCH = 4096;
/** Characters tokenised in the first attempt on a long text; grows ×4 until enough word pieces are found. */
const FIRST_PREFIX_CHARS = 4096;

/** A run with the same [UNK] decision and the same neighbours, or the run itself. */
export function shortenRun(run: string): string {
  if (run.length < SHORTEN_MIN) return run;
  // Looked for near the start only: a run with few solid characters there is left to (b).
  const start = run.slice(0, HEAD_SEARCH);
  SOLID.next.lastIndex = 0;
  let headEnd = -1;
  for (let n = 0; n < KEEP_SOLID; n++) {
    if (!SOLID.next.exec(start)) break;
    if (n === KEEP_SOLID - 1) headEnd = SOLID.next.lastIndex;
  }
  if (headEnd > 0) {
    const last = lastSolidStart(run);
    if (last >= headEnd) return run.slice(0, headEnd) + run.slice(last);
  }
  return withoutVanishingStretches(run);
}

/** Every stretch of vanishing characters shortened to its first character. */
function withoutVanishingStretches(run: string): string {
  const parts: string[] = [];
  let i = 0;
  for (let start = nextIndex(VANISHING.next, run, 0); start < run.length; start = nextIndex(VANISHING.next, run, i)) {
    const second = start + (run.codePointAt(start)! > 0xffff ? 2 : 1);
    parts.push(run.slice(i, second));
    i = nextIndex(VANISHING.nextOutside, run, second);
  }
  parts.push(run.slice(i));
  return parts.join('');
}

function lastSolidStart(run: string): number {
  const stop = Math.max(0, run.length - LAST_SOLID_SEARCH);
  for (let i = run.length; i > stop;) {
    const start = codePointStartBefore(run, i);
    if (SOLID.is.test(String.fromCodePoint(run.codePointAt(start)!))) return start;
    i = start;
  }
  return -1;
}

function codePointStartBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1);
  if (index >= 2 && low >= 0xdc00 && low <= 0xdfff) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return index - 2;
  }
  return index - 1;
}

interface Piece {
  text: string;
  /** Offset of the piece in the output. */
  at: number;
  /** Offset in the input when the piece is copied verbatim (not a shortened run). */
  source?: number;
}

export interface ModelPrefix {
  /** Tokenises to the text's first word pieces (all of them when `complete`). */
  text: string;
  complete: boolean;
}

/**
 * A string of about `budget` characters whose word pieces are the leading word pieces of `text` (all of them when
 * `complete`), or undefined when no cut is possible within the budget. Reads `text` only as far as needed.
 */
export function modelPrefix(text: string, budget: number): ModelPrefix | undefined {
  const pieces: Piece[] = [];
  let length = 0;
  let i = 0;
  let shortened = false;
  while (i < text.length && length <= budget) {
    // Looked for within what the budget can still take, so that a long stretch of separators is not read to its end.
    const window = budget - length + 1;
    const gapEnd = Math.min(text.length, i + nextIndex(WORD.next, text.slice(i, i + window), 0), i + window);
    if (gapEnd > i) {
      // Separators and splitting symbols, copied.
      pieces.push({ text: text.slice(i, gapEnd), at: length, source: i });
      length += gapEnd - i;
      i = gapEnd;
      if (length > budget) break;
    }
    if (gapEnd >= text.length) break;
    const runEnd = nextIndex(WORD.nextOutside, text, gapEnd);
    const original = text.slice(gapEnd, runEnd);
    const run = shortenRun(original);
    shortened ||= run.length !== original.length;
    pieces.push({ text: run, at: length, source: run.length === original.length ? gapEnd : undefined });
    length += run.length;
    i = runEnd;
  }
  if (i >= text.length) return { text: shortened ? pieces.map((p) => p.text).join('') : text, complete: true };

  // The last separator within the budget, in a piece copied verbatim (runs hold none).
  for (let k = pieces.length - 1; k >= 0; k--) {
    const piece = pieces[k]!;
    if (piece.source === undefined || piece.at >= budget) continue;
    for (let j = Math.min(piece.text.length - 1, budget - piece.at); j >= 0; j--) {
      if (piece.at + j === 0 || !SEPARATOR.is.test(piece.text[j]!)) continue;
      const head =
        pieces
          .slice(0, k)
          .map((p) => p.text)
          .join('') + piece.text.slice(0, j);
      return { text: withFinalSigmaOf(head, text, piece.source + j), complete: false };
    }
  }
  return undefined;
}

/**
 * `head` (ending before `text[rest]`) with its last Σ written σ when the whole text continues with a cased
 * character: lowercasing makes a Σ final (ς) only when no cased letter follows past case-ignorable characters.
 */
function withFinalSigmaOf(head: string, text: string, rest: number): string {
  let j = head.length;
  while (j > 0) {
    const start = codePointStartBefore(head, j);
    if (!SIGMA_TRANSPARENT.is.test(String.fromCodePoint(head.codePointAt(start)!))) {
      if (head[start] !== 'Σ') return head;
      const next = text.codePointAt(nextIndex(SIGMA_TRANSPARENT.nextOutside, text, rest));
      return next !== undefined && CASED.test(String.fromCodePoint(next)) ? `${head.slice(0, start)}σ${head.slice(start + 1)}` : head;
    }
    j = start;
  }
  return head;
}

/**
 * Tokenises only as much of a very long text as the model can see: the first 4 K characters, then 16 K, … until the
 * prefix holds more than `maxLength` ids (the rest cannot change the result) or is the whole (shortened) text. A
 * 10 MB text costs about what a 4 KB one does, whitespace or not. Without `exact` (a tokenizer other than the one
 * the cut was proven for) the whole text is tokenised.
 */
export function encodeTruncated(text: string, encode: EncodeIds, endId: number | undefined, maxLength = MAX_SEQ_LENGTH, exact = true): TruncatedIds {
  if (!exact || text.length <= FIRST_PREFIX_CHARS) return truncateIds(encode(text), endId, maxLength);
  for (let budget = FIRST_PREFIX_CHARS; ; budget *= 4) {
    const prefix = modelPrefix(text, budget);
    if (!prefix) continue;
    const ids = encode(prefix.text);
    if (prefix.complete || ids.length > maxLength) return truncateIds(ids, endId, maxLength);
  }
}

/** The parts of tokenizer.json and tokenizer_config.json the cut depends on. */
export interface TokenizerFiles {
  tokenizer: unknown;
  config: unknown;
}

/**
 * Whether the prefix cut is proven for this tokenizer: BERT's normaliser (clean-up, CJK spacing, lowercase, accents
 * stripped), BERT's pre-tokeniser, WordPiece with words of at most `KEEP_SOLID - 1` characters, and special tokens
 * of the `[NAME]` form matched in the raw text.
 */
export function prefixCutIsExact({ tokenizer, config }: TokenizerFiles): boolean {
  const t = tokenizer as {
    normalizer?: { type?: string; clean_text?: boolean; handle_chinese_chars?: boolean; lowercase?: boolean; strip_accents?: boolean | null };
    pre_tokenizer?: { type?: string };
    model?: { type?: string; max_input_chars_per_word?: number };
    added_tokens?: { content?: string; lstrip?: boolean; rstrip?: boolean; single_word?: boolean; normalized?: boolean }[];
  } | null;
  const c = (config ?? {}) as { remove_space?: boolean; do_lowercase_and_remove_accent?: boolean };
  const n = t?.normalizer;
  const maxChars = t?.model?.max_input_chars_per_word ?? 100;
  return (
    n?.type === 'BertNormalizer' &&
    n.clean_text === true &&
    n.handle_chinese_chars === true &&
    n.lowercase === true &&
    (n.strip_accents === null || n.strip_accents === undefined || n.strip_accents === true) &&
    t?.pre_tokenizer?.type === 'BertPreTokenizer' &&
    t.model?.type === 'WordPiece' &&
    maxChars < KEEP_SOLID &&
    Array.isArray(t.added_tokens) &&
    t.added_tokens.every((a) => /^\[[A-Z]+\]$/.test(a.content ?? '') && !a.lstrip && !a.rstrip && !a.single_word && !a.normalized) &&
    !c.remove_space &&
    !c.do_lowercase_and_remove_accent
  );
}
