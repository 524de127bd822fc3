// Which texts "Compare Selection" compares, worked out from plain data so that it is tested without VS Code.

/** A selection as character offsets into the document text (`start === end` for a bare cursor). */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export type SelectionTexts =
  /** Nothing usable is selected. */
  | { readonly kind: 'none' }
  /** Exactly one text: the command asks for the second one. */
  | { readonly kind: 'single'; readonly text: string }
  /** Two or more texts, from several selections or from the lines of one selection. */
  | { readonly kind: 'texts'; readonly texts: string[]; readonly from: 'selections' | 'lines' };

/**
 * The texts to compare:
 * - several selections (multi-cursor): each selection is one text, trimmed; a bare cursor among them stands for its
 *   whole line, as copy does in VS Code; empty results are dropped;
 * - one selection spanning several lines: each non-empty line of it is a text (trimmed);
 * - one selection within a line, or a bare cursor on a non-empty line (that line, as the context menu offers the
 *   command without a selection): a single text (the command asks for the other one);
 * - a bare cursor on a blank line, or only whitespace: none.
 */
export function selectionTexts(documentText: string, selections: readonly OffsetRange[]): SelectionTexts {
  const ordered = selections.map(normalise);
  if (ordered.length > 1) {
    const texts = ordered
      .map((range) => (range.start === range.end ? lineAt(documentText, range.start) : documentText.slice(range.start, range.end)))
      .map((text) => text.trim())
      .filter((text) => text.length > 0);
    return fromTexts(texts, 'selections');
  }
  const only = ordered[0];
  if (!only) return { kind: 'none' };
  if (only.start === only.end)
    return fromTexts(
      [lineAt(documentText, only.start).trim()].filter((line) => line.length > 0),
      'lines',
    );
  const lines = splitLines(documentText.slice(only.start, only.end))
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return fromTexts(lines, 'lines');
}

function fromTexts(texts: string[], from: 'selections' | 'lines'): SelectionTexts {
  if (texts.length === 0) return { kind: 'none' };
  if (texts.length === 1) return { kind: 'single', text: texts[0]! };
  return { kind: 'texts', texts, from };
}

function normalise(range: OffsetRange): OffsetRange {
  return range.start <= range.end ? range : { start: range.end, end: range.start };
}

/** Splits on \n, \r\n and \r, as VS Code counts lines. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The line holding `offset`, without its line break. */
export function lineAt(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const start = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  const rest = text.slice(start);
  const end = rest.search(/\r|\n/);
  return end === -1 ? rest : rest.slice(0, end);
}

export interface NumberedLine {
  /** Zero-based line number in the source. */
  readonly line: number;
  readonly text: string;
}

/** The non-empty lines of a text (trimmed), with their line numbers, leaving out the lines in `exclude`. */
export function nonEmptyLines(text: string, exclude: ReadonlySet<number> = new Set()): NumberedLine[] {
  const result: NumberedLine[] = [];
  splitLines(text).forEach((raw, line) => {
    const trimmed = raw.trim();
    if (trimmed.length > 0 && !exclude.has(line)) result.push({ line, text: trimmed });
  });
  return result;
}
