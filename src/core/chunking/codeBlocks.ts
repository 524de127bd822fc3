import { BlockCollector, isBlank, type StructuralBlock } from './blocks';
import type { SourceLines } from './sourceLines';

// Comment syntax of the common languages, recognised without knowing the language: `//` and `/* */` (C family,
// CSS), `#` followed by a space (Python, shell, Ruby, YAML; `#include` and `#!` stay code), `--` followed by a
// space (SQL, Lua, Haskell), `<!-- -->` (HTML, XML), and docstrings opened by `"""` or `'''` at the start of a line.
const LINE_COMMENT = /^\s*(?:\/\/[/!]?|#+(?=[ \t]|$)|--(?=[ \t]))[ \t]?/;
const BLOCK_OPENERS: readonly { open: RegExp; close: string }[] = [
  { open: /^\s*\/\*+!?/, close: '*/' },
  { open: /^\s*<!--/, close: '-->' },
  { open: /^\s*(?:[rRuUbB]{0,2})"""/, close: '"""' },
  { open: /^\s*(?:[rRuUbB]{0,2})'''/, close: "'''" },
];
/** The leading ` * ` of a line inside a block comment. */
const BLOCK_CONTINUATION = /^\s*\*(?!\/)[ \t]?/;

/**
 * Source code: runs of comment lines become prose blocks (a comment line with no text splits the run into
 * paragraphs), runs of code lines become lines blocks; blank lines end either.
 */
export function codeBlocks(lines: SourceLines): StructuralBlock[] {
  const out = new BlockCollector();
  let closeMarker: string | undefined;
  for (let n = 1; n <= lines.count; n++) {
    const text = lines.line(n);
    const start = lines.start(n);
    if (closeMarker !== undefined) {
      const continuation = BLOCK_CONTINUATION.exec(text);
      closeMarker = addCommentText(out, start, text, continuation ? continuation[0].length : 0, closeMarker);
      continue;
    }
    if (isBlank(text)) {
      out.flush();
      continue;
    }
    const opener = BLOCK_OPENERS.map((b) => ({ match: b.open.exec(text), close: b.close })).find((b) => b.match);
    if (opener?.match) {
      closeMarker = addCommentText(out, start, text, opener.match[0].length, opener.close);
      continue;
    }
    const comment = LINE_COMMENT.exec(text);
    if (comment) {
      if (isBlank(text.slice(comment[0].length))) out.flush();
      else out.addProse({ start: start + comment[0].length, end: start + text.length });
      continue;
    }
    out.addLine(n);
  }
  out.flush();
  return out.blocks;
}

/** Adds a block comment's text on this line from `from`; returns the marker still awaited, undefined once closed. */
function addCommentText(out: BlockCollector, lineStart: number, text: string, from: number, close: string): string | undefined {
  const closeAt = text.indexOf(close, from);
  const end = closeAt >= 0 ? closeAt : text.length;
  if (isBlank(text.slice(from, end))) out.flush();
  else out.addProse({ start: lineStart + from, end: lineStart + end });
  if (closeAt < 0) return close;
  // Code after the closing marker on the same line (`*/ int x;`) is rare enough to leave out of the index.
  out.flush();
  return undefined;
}
