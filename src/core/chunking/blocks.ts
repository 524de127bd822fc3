/**
 * Structural blocks: the first cut of a document, before windowing. A prose block is read as sentences, a lines
 * block (code, tables, front matter) as lines.
 */

/** A line's content as offsets into the document: markup before and after it (comment markers, list markers, `>`) left out. */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
}

/** Consecutive lines of running text (a paragraph, a list item, a heading, a comment run). */
export interface ProseBlock {
  readonly kind: 'prose';
  /** One range per line, in order; the text between ranges (markup, line breaks) is not part of any sentence. */
  readonly lines: readonly ContentRange[];
}

/** Consecutive lines kept as lines: code, a table, front matter. 1-based, inclusive. */
export interface LinesBlock {
  readonly kind: 'lines';
  readonly firstLine: number;
  readonly lastLine: number;
}

export type StructuralBlock = ProseBlock | LinesBlock;

/** Collects lines into blocks; a block is emitted when another kind starts or `flush` is called. */
export class BlockCollector {
  readonly blocks: StructuralBlock[] = [];
  private prose: ContentRange[] = [];
  private linesFrom = 0;
  private linesTo = 0;

  addProse(range: ContentRange): void {
    this.flushLines();
    this.prose.push(range);
  }

  addLine(line: number): void {
    this.flushProse();
    if (this.linesFrom === 0) this.linesFrom = line;
    this.linesTo = line;
  }

  flush(): void {
    this.flushProse();
    this.flushLines();
  }

  private flushProse(): void {
    if (this.prose.length > 0) this.blocks.push({ kind: 'prose', lines: this.prose });
    this.prose = [];
  }

  private flushLines(): void {
    if (this.linesFrom > 0) this.blocks.push({ kind: 'lines', firstLine: this.linesFrom, lastLine: this.linesTo });
    this.linesFrom = 0;
  }
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}
