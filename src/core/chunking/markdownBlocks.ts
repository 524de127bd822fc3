import { BlockCollector, isBlank, type StructuralBlock } from './blocks';
import type { SourceLines } from './sourceLines';

// A light reading of CommonMark: enough to find where one idea ends and the next begins, not to render.
const FENCE = /^\s*(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;
const ATX_CLOSING = /[ \t]+#+[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)/;
const BLOCKQUOTE = /^(?:\s*>[ \t]?)+/;
const TABLE_ROW = /^\s*\|/;

/**
 * Markdown: each heading, paragraph and list item is a prose block (markers left out of the sentences); fenced
 * code, tables and front matter are lines blocks (fence lines left out).
 */
export function markdownBlocks(lines: SourceLines): StructuralBlock[] {
  const out = new BlockCollector();
  let n = 1;
  if (lines.count > 1 && /^---[ \t]*$/.test(lines.line(1))) {
    const close = findLine(lines, 2, (l) => /^(?:---|\.\.\.)[ \t]*$/.test(l));
    if (close > 0) {
      addLines(out, lines, 2, close - 1);
      out.flush();
      n = close + 1;
    }
  }
  let inParagraph = false;
  for (; n <= lines.count; n++) {
    const text = lines.line(n);
    const start = lines.start(n);
    const fence = FENCE.exec(text);
    if (fence) {
      const marker = fence[1]!;
      const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      const close = findLine(lines, n + 1, (l) => closing.test(l));
      const last = close > 0 ? close : lines.count + 1;
      out.flush();
      addLines(out, lines, n + 1, last - 1);
      out.flush();
      n = last;
      inParagraph = false;
      continue;
    }
    if (isBlank(text)) {
      out.flush();
      inParagraph = false;
      continue;
    }
    const heading = ATX_HEADING.exec(text);
    if (heading) {
      out.flush();
      const closing = ATX_CLOSING.exec(text);
      out.addProse({ start: start + heading[0].length, end: start + (closing ? closing.index : text.length) });
      out.flush();
      inParagraph = false;
      continue;
    }
    // A setext underline turns the paragraph above into a heading; either way the underline is markup.
    if ((inParagraph && SETEXT_UNDERLINE.test(text)) || THEMATIC_BREAK.test(text)) {
      out.flush();
      inParagraph = false;
      continue;
    }
    if (TABLE_ROW.test(text)) {
      out.addLine(n);
      inParagraph = false;
      continue;
    }
    const item = LIST_ITEM.exec(text);
    if (item) {
      out.flush();
      out.addProse({ start: start + item[0].length, end: lines.end(n) });
      inParagraph = true;
      continue;
    }
    const quote = BLOCKQUOTE.exec(text);
    out.addProse({ start: start + (quote ? quote[0].length : 0), end: lines.end(n) });
    inParagraph = true;
  }
  out.flush();
  return out.blocks;
}

function findLine(lines: SourceLines, from: number, test: (line: string) => boolean): number {
  for (let n = from; n <= lines.count; n++) if (test(lines.line(n))) return n;
  return 0;
}

function addLines(out: BlockCollector, lines: SourceLines, from: number, to: number): void {
  // Blank lines split code into blocks as they do in a source file.
  for (let n = from; n <= to; n++) {
    if (isBlank(lines.line(n))) out.flush();
    else out.addLine(n);
  }
}
