import type { ContentRange } from './blocks';
import { trimSpan, type Span } from './spans';

// One segmenter for the process; the sentence rules (UAX #29) do not depend on the locale, which is fixed so that
// chunk boundaries never depend on the machine.
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * V8's segmenter costs time in proportion to the whole string for every segment it yields (a 187 kB paragraph took
 * seconds), so long text is read through a window of this many characters, restarted at the last sentence start
 * seen. A sentence longer than the window is cut at the window's end, which capSpan would cut anyway.
 */
const SEGMENT_WINDOW = 4096;

/**
 * Sentences of a prose block as trimmed spans of the document. Line breaks and markup between the content ranges
 * are read as spaces: UAX #29 ends a sentence at every line break, which would cut hard-wrapped text at each line.
 */
export function sentenceSpans(text: string, lines: readonly ContentRange[]): Span[] {
  if (lines.length === 0) return [];
  const from = lines[0]!.start;
  const masked = maskedText(text, lines);
  const spans: Span[] = [];
  for (const span of segmentSentences(masked)) {
    const trimmed = trimSpan(masked, span);
    if (!trimmed) continue;
    const sentence = { start: from + trimmed.start, end: from + trimmed.end };
    spans.push(...(runsOnAcrossLines(text, sentence) ? lineSpans(text, masked, from, sentence) : [sentence]));
  }
  return spans;
}

/**
 * A "sentence" this long over this many lines is text without punctuation written one item per line (notes, lists,
 * logs): read as one sentence it would become one chunk capped at 1000 characters, in which no single line can be
 * found. Hard-wrapped prose rarely has a sentence of 4+ lines and 400+ characters; such a sentence is then read line by
 * line, which keeps each line findable (short lines are joined to a neighbour later, as short sentences are).
 */
const RUN_ON_CHARS = 400;
const RUN_ON_LINES = 4;

function runsOnAcrossLines(text: string, span: Span): boolean {
  if (span.end - span.start < RUN_ON_CHARS) return false;
  let breaks = 0;
  for (let i = span.start; i < span.end && breaks < RUN_ON_LINES - 1; i++) if (text.charCodeAt(i) === 10) breaks++;
  return breaks >= RUN_ON_LINES - 1;
}

/** The lines of `span` (line breaks from `text`), each trimmed in `masked` (which starts at `from`), blank ones left out. */
function lineSpans(text: string, masked: string, from: number, span: Span): Span[] {
  const spans: Span[] = [];
  let start = span.start;
  while (start < span.end) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > span.end ? span.end : newline;
    const line = trimSpan(masked, { start: start - from, end: end - from });
    if (line) spans.push({ start: from + line.start, end: from + line.end });
    start = end + 1;
  }
  return spans;
}

/** Sentence spans of `text`, read through windows of SEGMENT_WINDOW characters. */
function segmentSentences(text: string): Span[] {
  const spans: Span[] = [];
  let at = 0;
  while (at < text.length) {
    const end = Math.min(at + SEGMENT_WINDOW, text.length);
    const window: Span[] = [];
    for (const { index, segment } of segmenter.segment(text.slice(at, end))) window.push({ start: at + index, end: at + index + segment.length });
    // The last sentence of a window may go on past it: read it again at the start of the next window.
    const keep = end < text.length && window.length > 1 ? window.length - 1 : window.length;
    spans.push(...window.slice(0, keep));
    at = spans[spans.length - 1]!.end;
  }
  return spans;
}

/** The document from the first range's start to the last range's end, with everything outside the ranges blanked. */
function maskedText(text: string, lines: readonly ContentRange[]): string {
  const from = lines[0]!.start;
  let masked = '';
  let at = from;
  for (const range of lines) {
    masked += ' '.repeat(range.start - at) + text.slice(range.start, range.end).replace(/[\r\n]/g, ' ');
    at = range.end;
  }
  return masked;
}
