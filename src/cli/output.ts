/** Everything a command may print: a table for people, or a machine format. */
export type OutputFormat = 'table' | 'json' | 'csv' | 'npy' | 'tsv';

/** A JSON array written one element per line, so that huge results stream. */
export function* jsonArrayLines<T>(items: Iterable<T>, encode: (item: T) => string = (item) => JSON.stringify(item)): Iterable<string> {
  let first = true;
  yield '[';
  for (const item of items) {
    yield first ? `\n${encode(item)}` : `,\n${encode(item)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/** Float32 values at full precision (their exact double), as `json.dumps(tensor.tolist())` prints them. */
export function vectorJson(vector: ArrayLike<number>): string {
  return JSON.stringify(Array.from(vector));
}

/** RFC 4180 CSV with CRLF line ends. */
export function csvLines(header: readonly string[], rows: Iterable<readonly (string | number)[]>): Iterable<string> {
  return (function* () {
    yield `${header.map(csvCell).join(',')}\r\n`;
    for (const row of rows) yield `${row.map(csvCell).join(',')}\r\n`;
  })();
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A text as it appears in a one-line table cell: line breaks and tabs made visible, long texts shortened. */
export function cellText(text: string, max = 60): string {
  const shown = text.length === 0 ? '(empty)' : text.replace(/\r?\n/g, '⏎').replace(/\t/g, '→');
  const chars = Array.from(shown);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : shown;
}

/** Column width of a string in a terminal: CJK and most emoji take two cells. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

export type Align = 'left' | 'right';

/** A plain-text table with a header rule; numbers are usually right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = header.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => {
        const fill = ' '.repeat(widths[c] - displayWidth(cell));
        return align[c] === 'right' ? fill + cell : c === cells.length - 1 ? cell : cell + fill;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** A score for people: four decimals. */
export function score4(value: number): string {
  return value.toFixed(4);
}
