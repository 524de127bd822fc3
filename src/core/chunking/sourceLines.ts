/**
 * Line positions of a document. Line breaks are `\r\n`, `\n` and a lone `\r`, as VS Code counts them, so that a
 * chunk's line range is the range the editor shows.
 */
export class SourceLines {
  /** Offset of the first character of each line; line n (1-based) starts at starts[n - 1]. */
  private readonly starts: number[];
  /** Offset just past the last character of each line, before its line break. */
  private readonly ends: number[];

  constructor(readonly text: string) {
    this.starts = [0];
    this.ends = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.ends.push(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.starts.push(i + 1);
    }
    this.ends.push(text.length);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Offset where 1-based line `line` starts. */
  start(line: number): number {
    return this.starts[line - 1]!;
  }

  /** Offset just past 1-based line `line`'s last character (its line break excluded). */
  end(line: number): number {
    return this.ends[line - 1]!;
  }

  /** The text of 1-based line `line`, without its line break. */
  line(line: number): string {
    return this.text.slice(this.start(line), this.end(line));
  }

  /** 1-based line holding the character at `offset` (a line break belongs to the line it ends). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
