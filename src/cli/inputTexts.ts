import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { CliError, excerpt, inputError } from './cliError';
import { decodeUtf8, type EncodingErrors } from './textDecoding';
import { unpairedSurrogate } from '../core/utf8';

/** How a file of texts is read. */
export type InputFormat = 'txt' | 'jsonl' | 'json' | 'csv' | 'tsv';

export const INPUT_FORMATS: readonly InputFormat[] = ['txt', 'jsonl', 'json', 'csv', 'tsv'];

export interface ParseOptions {
  /** Shown in error messages as `name:line: ...`. */
  readonly name: string;
  readonly format: InputFormat;
  /** CSV/TSV: the header name of the column holding the texts (or its 1-based number). */
  readonly column?: string;
}

/** The format implied by a file name; anything unknown (and stdin) is plain text, one per line. */
export function formatOfFile(file: string): InputFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'tsv';
  return 'txt';
}

/** Texts held in `content`, in order. Throws a {@link CliError} naming the file and line of the first bad entry. */
export function parseTexts(content: string, options: ParseOptions): string[] {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  switch (options.format) {
    case 'txt':
      return parsePlainLines(text);
    case 'jsonl':
      return parseJsonLines(text, options.name);
    case 'json':
      return parseJsonArray(text, options.name);
    case 'csv':
    case 'tsv':
      return parseDelimitedColumn(text, options);
  }
}

/**
 * One text per line. Blank lines inside the file are kept as empty texts so that an index in the output is always
 * the line number minus one; only the line break at the very end of the file does not start another text.
 */
export function parsePlainLines(content: string): string[] {
  if (content === '') return [];
  const lines = content.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * JSON Lines: each line a JSON string or an object with a string `text` field, so texts can hold newlines and tabs.
 * Lines holding only white space are skipped (a trailing newline is common); line numbers in errors count them.
 */
export function parseJsonLines(content: string, name: string): string[] {
  const texts: string[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw inputError(
        name,
        i + 1,
        `not valid JSON (${excerpt((error as Error).message, 80)}); each line must be a JSON string or an object with a "text" field`,
      );
    }
    const text = textOf(value, name, i + 1);
    const surrogate = unpairedSurrogate(text);
    if (surrogate) throw inputError(name, i + 1, surrogateProblem(surrogate));
    texts.push(text);
  }
  return texts;
}

/** JSON can escape half a UTF-16 pair; no tokenizer input can hold it (sentence-transformers raises a TypeError). */
function surrogateProblem(surrogate: string): string {
  return `the text holds an unpaired surrogate (${surrogate}), which is not Unicode text; write the character whole or drop it`;
}

/** A JSON array of strings or of objects with a `text` field. */
export function parseJsonArray(content: string, name: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new CliError(`${name}: not valid JSON (${excerpt((error as Error).message, 80)}); expected an array of strings`);
  }
  if (!Array.isArray(value)) throw new CliError(`${name}: expected a JSON array of strings (or of objects with a "text" field), got ${kindOf(value)}`);
  return value.map((item, i) => {
    let text: string;
    try {
      text = textOf(item, name, 0);
    } catch {
      throw new CliError(`${name}: item ${i} is ${kindOf(item)}; expected a string or an object with a string "text" field`);
    }
    const surrogate = unpairedSurrogate(text);
    if (surrogate) throw new CliError(`${name}: item ${i}: ${surrogateProblem(surrogate)}`);
    return text;
  });
}

function textOf(value: unknown, name: string, line: number): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const text = (value as Record<string, unknown>).text;
    if (typeof text === 'string') return text;
    throw inputError(name, line, text === undefined ? 'object has no "text" field' : `"text" is ${kindOf(text)}, not a string`);
  }
  throw inputError(name, line, `expected a JSON string or an object with a "text" field, got ${kindOf(value)}`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One column of a CSV (or TSV) file with a header row. A file with a single column needs no `--column`. */
export function parseDelimitedColumn(content: string, options: ParseOptions): string[] {
  const delimiter = options.format === 'tsv' ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parseCsv(content, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw inputError(options.name, line, `not valid ${options.format.toUpperCase()} (${excerpt(error.message, 100)})`);
    }
    throw error;
  }
  if (rows.length === 0) return [];
  const header = rows[0];
  const index = columnIndex(header, options);
  const texts: string[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cell = rows[r][index];
    // csv-parse counts records, not physical lines; quoted cells may span lines, so name the record.
    if (cell === undefined) throw new CliError(`${options.name}: record ${r + 1} has no column "${header[index]}" (only ${rows[r].length} cells)`);
    texts.push(cell);
  }
  return texts;
}

function columnIndex(header: string[], options: ParseOptions): number {
  const list = header.map((h) => JSON.stringify(h)).join(', ');
  if (options.column === undefined) {
    if (header.length === 1) return 0;
    throw new CliError(`${options.name}: has ${header.length} columns (${list}); choose one with --column NAME`);
  }
  const byName = header.indexOf(options.column);
  if (byName >= 0) return byName;
  const number = Number(options.column);
  if (Number.isInteger(number) && number >= 1 && number <= header.length) return number - 1;
  throw new CliError(`${options.name}: no column "${options.column}"; the header has ${list}`);
}

export interface TextRequest {
  /** Texts given on the command line; a single `-` means stdin. */
  readonly args?: readonly string[];
  /** A file path, or `-` for stdin. */
  readonly input?: string;
  readonly inputFormat?: InputFormat;
  readonly column?: string;
  /** What to call this input in messages (e.g. `--corpus`). */
  readonly optionName?: string;
  /** Invalid UTF-8: an error (`strict`, the default) or read as U+FFFD with a note on stderr (`replace`). */
  readonly encodingErrors?: EncodingErrors;
}

/** Texts from arguments, a file, or stdin, with the format taken from `inputFormat` or the file's extension. */
export async function readTexts(request: TextRequest, stdin: NodeJS.ReadableStream = process.stdin): Promise<string[]> {
  const args = request.args ?? [];
  const option = request.optionName ?? '--input';
  if (request.input !== undefined && args.length > 0) {
    throw new CliError(`give texts either as arguments or with ${option}, not both`);
  }
  const source = request.input ?? (args.length === 1 && args[0] === '-' ? '-' : undefined);
  if (source === undefined) return [...args];
  if (source === '-') {
    const content = decodeInput(await readStream(stdin), '<stdin>', request.encodingErrors);
    return parseTexts(content, { name: '<stdin>', format: request.inputFormat ?? 'txt', column: request.column });
  }
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
    throw new CliError(`cannot read ${option} ${path.resolve(source)}: ${why}`);
  }
  const content = decodeInput(bytes, source, request.encodingErrors);
  return parseTexts(content, { name: source, format: request.inputFormat ?? formatOfFile(source), column: request.column });
}

/** Input bytes as text: invalid UTF-8 fails naming file and line, or (replace) becomes U+FFFD with a note on stderr. */
export function decodeInput(bytes: Uint8Array, name: string, errors: EncodingErrors = 'strict'): string {
  return decodeUtf8(bytes, name, errors, (message) => process.stderr.write(`minilm: note: ${message}\n`));
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
