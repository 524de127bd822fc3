import { chunkOf, type TextChunk } from './chunker';
import { sentenceSpans } from './sentences';
import { SourceLines } from './sourceLines';
import { trimSpan, type Span } from './spans';

/**
 * Splits a chunk the model would truncate into two or more smaller chunks covering the same text (by sentences,
 * then lines, then characters), each with its own line range. Returns the chunk alone when it cannot be split
 * (a single character), so a caller looping until every chunk fits must stop on a one-element answer.
 */
export function splitChunk(chunk: TextChunk): TextChunk[] {
  const text = chunk.text;
  const whole = trimSpan(text, { start: 0, end: text.length });
  if (!whole) return [];
  const lines = new SourceLines(text);
  const cut = sentenceCut(text, whole, lines) ?? lineCut(lines, whole) ?? characterCut(text, whole);
  const halves = cut === undefined ? [whole] : [trimSpan(text, { start: whole.start, end: cut }), trimSpan(text, { start: cut, end: whole.end })];
  return halves
    .filter((s): s is Span => s !== undefined)
    .map((span) => {
      const piece = chunkOf(lines, span);
      return { text: piece.text, startLine: chunk.startLine + piece.startLine - 1, endLine: chunk.startLine + piece.endLine - 1 };
    });
}

/** The sentence boundary nearest the middle, if the chunk holds two sentences or more. */
function sentenceCut(text: string, whole: Span, lines: SourceLines): number | undefined {
  const ranges = Array.from({ length: lines.count }, (_, i) => ({ start: lines.start(i + 1), end: lines.end(i + 1) }));
  const boundaries = sentenceSpans(text, ranges)
    .slice(1)
    .map((s) => s.start);
  return nearest(boundaries, whole);
}

/** The line start nearest the middle, if the chunk spans two lines or more. */
function lineCut(lines: SourceLines, whole: Span): number | undefined {
  const starts = Array.from({ length: lines.count - 1 }, (_, i) => lines.start(i + 2));
  return nearest(
    starts.filter((s) => s > whole.start && s < whole.end),
    whole,
  );
}

/** Whitespace nearest the middle, else the middle itself (never inside a surrogate pair); undefined for one character. */
function characterCut(text: string, whole: Span): number | undefined {
  const middle = (whole.start + whole.end) >> 1;
  for (let d = 0; d < (whole.end - whole.start) / 2; d++) {
    for (const i of [middle - d, middle + d]) if (i > whole.start && i < whole.end && /\s/.test(text[i]!)) return i;
  }
  const low = text.charCodeAt(middle);
  const cut = low >= 0xdc00 && low <= 0xdfff ? middle - 1 : middle;
  return cut > whole.start && cut < whole.end ? cut : undefined;
}

function nearest(candidates: readonly number[], whole: Span): number | undefined {
  const middle = (whole.start + whole.end) / 2;
  let best: number | undefined;
  for (const c of candidates) if (c > whole.start && c < whole.end && (best === undefined || Math.abs(c - middle) < Math.abs(best - middle))) best = c;
  return best;
}
