import type { LinesBlock } from './blocks';
import type { SourceLines } from './sourceLines';
import { capSpan, trimSpan, type Span } from './spans';

/** How structural blocks are cut into the chunks the index embeds. */
export interface WindowStrategy {
  /** Sentences per chunk inside a prose block; 0 keeps the whole block as one chunk (then only `maxChars` cuts it). */
  readonly sentences: number;
  /** Sentences from one window's start to the next's: equal to `sentences` for no overlap, 1 for a sliding window. */
  readonly stride: number;
  /**
   * A sentence shorter than this ("Yes.", "See below.") is joined to the next one, or to the previous if last. A
   * Han, kana or Hangul character counts as 3: it carries about as much as a short English word, so that
   * "今天天气很好。" (7 characters) is a sentence of its own and "好的" is not.
   */
  readonly minSentenceChars: number;
  /** Lines per chunk inside a lines block (code, tables). */
  readonly codeLines: number;
  /** No chunk is longer than this; longer spans are cut (see capSpan). */
  readonly maxChars: number;
}

const DENSE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Characters of a span, Han, kana and Hangul counted three times (see WindowStrategy.minSentenceChars). */
export function weightedLength(text: string, span: Span): number {
  const slice = text.slice(span.start, span.end);
  return slice.length + 2 * (slice.match(DENSE_SCRIPT)?.length ?? 0);
}

/** Joins spans shorter than `minChars` (weightedLength) to a neighbour: the next one, or the previous one for the last span. */
export function mergeShortSpans(text: string, spans: readonly Span[], minChars: number): Span[] {
  if (minChars <= 0) return [...spans];
  const merged: Span[] = [];
  let pending: Span | undefined;
  for (const span of spans) {
    const current: Span = pending ? { start: pending.start, end: span.end } : span;
    pending = weightedLength(text, current) < minChars ? current : undefined;
    if (!pending) merged.push(current);
  }
  if (pending) {
    const last = merged.pop();
    merged.push(last ? { start: last.start, end: pending.end } : pending);
  }
  return merged;
}

/** Windows of `size` consecutive spans every `stride` spans; the last window always reaches the last span. */
export function spanWindows(spans: readonly Span[], size: number, stride: number): Span[] {
  if (size <= 0 || spans.length <= size) return spans.length === 0 ? [] : [{ start: spans[0]!.start, end: spans[spans.length - 1]!.end }];
  const windows: Span[] = [];
  for (let i = 0; ; i += stride) {
    const last = Math.min(i + size, spans.length) - 1;
    windows.push({ start: spans[i]!.start, end: spans[last]!.end });
    if (last === spans.length - 1) break;
  }
  return windows;
}

/** Prose sentences → chunk spans under the strategy, each at most maxChars long. */
export function proseSpans(text: string, sentences: readonly Span[], strategy: WindowStrategy): Span[] {
  const units = mergeShortSpans(text, sentences, strategy.minSentenceChars);
  return spanWindows(units, strategy.sentences, strategy.stride).flatMap((w) => capSpan(text, w, strategy.maxChars));
}

/** A lines block → runs of up to `codeLines` lines and `maxChars` characters; a longer single line is cut. */
export function lineSpans(lines: SourceLines, block: LinesBlock, strategy: WindowStrategy): Span[] {
  const text = lines.text;
  const spans: Span[] = [];
  let first = block.firstLine;
  while (first <= block.lastLine) {
    let last = first;
    while (last < block.lastLine && last - first + 1 < strategy.codeLines && lines.end(last + 1) - lines.start(first) <= strategy.maxChars) last++;
    const span = trimSpan(text, { start: lines.start(first), end: lines.end(last) });
    if (span) spans.push(...capSpan(text, span, strategy.maxChars));
    first = last + 1;
  }
  return spans;
}
