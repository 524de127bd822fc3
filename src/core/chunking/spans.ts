/** A half-open range [start, end) of offsets into a document. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const WHITESPACE = /\s/;

/** The span without whitespace at either end of `text` (the document, or a masked copy of it); undefined if nothing is left. */
export function trimSpan(text: string, span: Span): Span | undefined {
  let { start, end } = span;
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : undefined;
}

const LINE_BREAK = /[\r\n]/;
const BREAK_AFTER = /[,;:)\]}>|]/;

/**
 * Cuts a span longer than `maxChars` into pieces of at most `maxChars`, each cut at the last line break, else the
 * last whitespace, else the last punctuation in the final third of the piece, else hard (never inside a surrogate
 * pair). Minified code and one-line JSON become several chunks instead of one the model would truncate.
 */
export function capSpan(text: string, span: Span, maxChars: number): Span[] {
  const pieces: Span[] = [];
  let rest: Span | undefined = trimSpan(text, span);
  while (rest && rest.end - rest.start > maxChars) {
    const cut = cutPoint(text, rest.start, rest.start + maxChars);
    const piece = trimSpan(text, { start: rest.start, end: cut });
    if (piece) pieces.push(piece);
    rest = trimSpan(text, { start: cut, end: rest.end });
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Where to end a piece that starts at `start` and may not reach past `limit`. */
function cutPoint(text: string, start: number, limit: number): number {
  const earliest = start + Math.ceil(((limit - start) * 2) / 3);
  for (const wanted of [LINE_BREAK, WHITESPACE, BREAK_AFTER]) {
    for (let i = limit - 1; i >= earliest; i--) {
      if (wanted.test(text[i]!)) return wanted === BREAK_AFTER ? i + 1 : i;
    }
  }
  const low = text.charCodeAt(limit);
  return low >= 0xdc00 && low <= 0xdfff ? limit - 1 : limit;
}
