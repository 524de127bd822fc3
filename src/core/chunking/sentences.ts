import type { ContentRange } from './blocks';
import { trimSpan, type Span } from './spans';

// One segmenter for the process; the sentence rules (UAX #29) do not depend on the locale, which is fixed so that
// chunk boundaries never depend on the machine.
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Sentences of a prose block as trimmed spans of the document. Line breaks and markup between the content ranges
 * are read as spaces: UAX #29 ends a sentence at every line break, which would cut hard-wrapped text at each line.
 */
export function sentenceSpans(text: string, lines: readonly ContentRange[]): Span[] {
  if (lines.length === 0) return [];
  const from = lines[0]!.start;
  const masked = maskedText(text, lines);
  const spans: Span[] = [];
  for (const { index, segment } of segmenter.segment(masked)) {
    const span = trimSpan(masked, { start: index, end: index + segment.length });
    if (span) spans.push({ start: from + span.start, end: from + span.end });
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
