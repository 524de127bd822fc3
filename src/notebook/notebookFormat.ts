// The `.minilm` file format as lines: one marker line (`%% …`) per cell and per output, cell text verbatim in between.
// Bytes, line endings and the exact layout of a file are notebookFile.ts's; the VS Code serializer
// (notebookSerializer.ts) only converts between these Raw* shapes and vscode.NotebookData. vscode-free so that round
// trips are property-tested in plain Node. Specification: docs/notebook-format.md.

export const FORMAT_HEADER = '%% minilm-notebook';
export const FORMAT_VERSION = 1;

export type JsonObject = { [key: string]: unknown };

export interface RawNotebook {
  readonly metadata: JsonObject;
  readonly cells: readonly RawCell[];
  /** How the file the notebook was read from is laid out; absent for a notebook that has no file yet. */
  readonly layout?: FileLayout;
}

/**
 * What the bytes of a file hold beyond its notebook: enough to write the notebook back byte for byte while it is
 * unedited (notebookFile.ts). JSON-safe, so it can travel in VS Code's notebook metadata.
 */
export interface FileLayout {
  /** The file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
  /** The file's most common line ending: every line's when `exact` is absent, and an edited notebook's. */
  readonly eol: '\n' | '\r\n' | '\r';
  /** Present only for a file that this version would write differently (mixed endings, hand-written spacing, …). */
  readonly exact?: ExactLayout;
}

export interface ExactLayout {
  /** Each line's ending, run-length encoded: `L` LF, `C` CRLF, `R` CR, `N` none (a last line without one); "C1L40". */
  readonly endings: string;
  /** Blocks (0 = the header, then one per marker) whose lines in the file differ from how they are written: block
   *  index → the lines as in the file (JSON spacing, base64 line length, `%% code minilm`, …). */
  readonly verbatim: { readonly [block: string]: readonly string[] };
  /** SHA-256 of the notebook's own text (LF, no BOM): the exact layout applies only to a notebook with this text. */
  readonly fingerprint: string;
}

export interface RawCell {
  readonly kind: 'markdown' | 'code';
  /** `markdown` for markdown cells; the language id for code cells (normally `minilm`). */
  readonly language: string;
  readonly source: string;
  readonly metadata: JsonObject;
  readonly execution?: RawExecution;
  readonly outputs: readonly RawOutput[];
}

export interface RawExecution {
  readonly order?: number;
  readonly success?: boolean;
}

export interface RawOutput {
  readonly metadata: JsonObject;
  readonly items: readonly RawOutputItem[];
}

export interface RawOutputItem {
  readonly mime: string;
  readonly data: Uint8Array;
}

/** A file that is not a valid `.minilm` notebook. `line` is 1-based within the file. */
export class NotebookFormatError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`Not a valid MiniLM notebook (line ${line}): ${detail}`);
    this.name = 'NotebookFormatError';
  }
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Reserved key of a cell marker's JSON: the execution summary. Every other key is cell metadata. */
const EXECUTION_KEY = 'execution';
const MARKER = /^%%(?!%)/;
/** A line break in a file and in cell text: CRLF, LF or a lone CR. */
export const LINE_BREAK = /\r\n|\r|\n/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MIME = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;
const LANGUAGE = /^[A-Za-z0-9_.+#-]+$/;

// ---------------------------------------------------------------------------------------------------------- write

/**
 * The lines of a notebook as this version writes them, in blocks: the header, then one block per marker line with
 * the lines below it. Throws a RangeError for what cannot be written without a loss.
 */
export function notebookBlocks(notebook: RawNotebook): string[][] {
  const blocks: string[][] = [[FORMAT_HEADER + ` v${FORMAT_VERSION}` + jsonSuffix(notebook.metadata)]];
  notebook.cells.forEach((cell, cellIndex) => {
    if (UNPAIRED_SURROGATE.test(cell.source)) {
      throw new RangeError(`Cell ${cellIndex + 1} holds a character that is not valid Unicode (an unpaired surrogate), which UTF-8 cannot store.`);
    }
    blocks.push([cellMarker(cell), ...textLines(cell.source)]);
    if (cell.kind !== 'code') return;
    for (const output of cell.outputs) {
      output.items.forEach((item, index) => {
        const text = textOf(item.data);
        const encoding = text === undefined ? ' base64' : '';
        if (!MIME.test(item.mime)) throw new RangeError(`Output mime type "${item.mime}" cannot be written.`);
        const marker = index === 0 ? `%% output ${item.mime}${encoding}${jsonSuffix(output.metadata)}` : `%% item ${item.mime}${encoding}`;
        blocks.push([marker, ...(text === undefined ? base64Lines(item.data) : textLines(text))]);
      });
      if (output.items.length === 0) blocks.push([`%% output${jsonSuffix(output.metadata)}`]);
    }
  });
  return blocks;
}

function cellMarker(cell: RawCell): string {
  const fields: JsonObject = { ...cell.metadata };
  if (cell.kind === 'code' && cell.execution && (cell.execution.order !== undefined || cell.execution.success !== undefined)) {
    fields[EXECUTION_KEY] = { ...cell.execution };
  }
  if (cell.kind === 'markdown') {
    if (cell.language !== 'markdown') throw new RangeError(`A markdown cell has language "${cell.language}".`);
    return `%% markdown${jsonSuffix(fields)}`;
  }
  if (!LANGUAGE.test(cell.language)) throw new RangeError(`Cell language "${cell.language}" cannot be written.`);
  return (cell.language === 'minilm' ? '%% minilm' : `%% code ${cell.language}`) + jsonSuffix(fields);
}

function jsonSuffix(value: JsonObject): string {
  return Object.keys(value).length === 0 ? '' : ' ' + JSON.stringify(value);
}

/**
 * Text as lines, escaping lines that look like markers. LF, CRLF and a lone CR all end a line, as in the file (and
 * in VS Code's cell editor, which turns a lone CR into a line break anyway).
 */
function textLines(text: string): string[] {
  if (text === '') return [];
  return text.split(LINE_BREAK).map((line) => (line.startsWith('%%') ? '%' + line : line));
}

function base64Lines(data: Uint8Array): string[] {
  const encoded = Buffer.from(data).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines;
}

/** The data as text when the file can hold it verbatim: UTF-8, and no CR (which would read back as a line break). */
function textOf(data: Uint8Array): string | undefined {
  try {
    // ignoreBOM keeps a leading U+FEFF in the text: item bodies never start the file, so it reads back intact.
    const text = strictUtf8.decode(data);
    return text.includes('\r') ? undefined : text;
  } catch {
    return undefined;
  }
}

// ----------------------------------------------------------------------------------------------------------- read

interface Block {
  readonly marker: string;
  readonly line: number;
  readonly body: string[];
}

export interface ParsedLines {
  readonly notebook: RawNotebook;
  /** Index of the first line of each block, in the order of notebookBlocks (0: the header). */
  readonly blockStarts: readonly number[];
}

/**
 * Parses the lines of a `.minilm` file (without their line breaks). A file of blank lines is an empty notebook (one
 * block); anything else that does not parse throws NotebookFormatError.
 */
export function parseLines(lines: readonly string[]): ParsedLines {
  if (lines.every((line) => line.trim() === '')) return { notebook: { metadata: {}, cells: [] }, blockStarts: [0] };
  const header = lines[0];
  const headerMatch = /^%% minilm-notebook v(\d+)(?: (\{.*\}))?$/.exec(header);
  if (!headerMatch) {
    throw new NotebookFormatError(1, `expected the first line to be "${FORMAT_HEADER} v${FORMAT_VERSION}", found "${clip(header)}".`);
  }
  if (Number(headerMatch[1]) !== FORMAT_VERSION) {
    throw new NotebookFormatError(
      1,
      `this file is format version ${headerMatch[1]}; this version of MiniLM Studio reads version ${FORMAT_VERSION}. Update the extension.`,
    );
  }
  const metadata = headerMatch[2] ? parseJsonObject(headerMatch[2], 1) : {};

  const blocks: Block[] = [];
  const blockStarts = [0];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (MARKER.test(line)) {
      blocks.push({ marker: line, line: i + 1, body: [] });
      blockStarts.push(i);
    } else if (blocks.length === 0) {
      throw new NotebookFormatError(i + 1, `expected a cell marker such as "%% markdown" or "%% minilm", found "${clip(line)}".`);
    } else {
      blocks[blocks.length - 1].body.push(line.startsWith('%%%') ? line.slice(1) : line);
    }
  }

  const cells: MutableCell[] = [];
  let output: { metadata: JsonObject; items: RawOutputItem[] } | undefined;
  for (const block of blocks) {
    const m = /^%% (\S+)(?: (.*))?$/.exec(block.marker);
    if (!m) throw new NotebookFormatError(block.line, `expected a marker such as "%% minilm", found "${clip(block.marker)}".`);
    const [, word, rest = ''] = m;
    switch (word) {
      case 'markdown':
      case 'minilm':
      case 'code': {
        output = undefined;
        cells.push(parseCellBlock(word, rest, block));
        break;
      }
      case 'output': {
        const cell = cells[cells.length - 1];
        if (!cell || cell.kind !== 'code') {
          throw new NotebookFormatError(block.line, 'an output must follow a code cell ("%% minilm" or "%% code <language>").');
        }
        const { mime, base64, json } = parseItemHeader(rest, block.line, true);
        output = { metadata: json ?? {}, items: [] };
        cell.outputs.push(output);
        if (mime) output.items.push({ mime, data: itemData(block, base64) });
        else if (block.body.length > 0) throw new NotebookFormatError(block.line + 1, 'an output without a mime type holds no data.');
        break;
      }
      case 'item': {
        if (!output || output.items.length === 0) {
          throw new NotebookFormatError(block.line, 'an "%% item" must follow an "%% output <mime>" block.');
        }
        const { mime, base64, json } = parseItemHeader(rest, block.line, false);
        if (!mime || json) throw new NotebookFormatError(block.line, 'expected "%% item <mime>" or "%% item <mime> base64".');
        output.items.push({ mime, data: itemData(block, base64) });
        break;
      }
      default:
        throw new NotebookFormatError(
          block.line,
          `unknown marker "%% ${clip(word)}"; expected markdown, minilm, code, output or item (write "%%%…" for a text line starting with %%).`,
        );
    }
  }
  return { notebook: { metadata, cells }, blockStarts };
}

interface MutableCell extends RawCell {
  outputs: RawOutput[];
}

function parseCellBlock(word: string, rest: string, block: Block): MutableCell {
  let language = word === 'markdown' ? 'markdown' : 'minilm';
  let jsonText = rest;
  if (word === 'code') {
    const m = /^(\S+)(?: (.*))?$/.exec(rest);
    if (!m || !LANGUAGE.test(m[1])) throw new NotebookFormatError(block.line, 'expected "%% code <language>", e.g. "%% code plaintext".');
    language = m[1];
    jsonText = m[2] ?? '';
  }
  const fields = jsonText === '' ? {} : parseJsonObject(jsonText, block.line);
  if (word === 'markdown') return { kind: 'markdown', language, source: block.body.join('\n'), metadata: fields, outputs: [] };
  const { [EXECUTION_KEY]: executionField, ...metadata } = fields;
  const execution = executionField === undefined ? undefined : parseExecution(executionField, block.line);
  return {
    kind: 'code',
    language,
    source: block.body.join('\n'),
    metadata,
    ...(execution ? { execution } : {}),
    outputs: [],
  };
}

function parseExecution(value: unknown, line: number): RawExecution {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotebookFormatError(line, '"execution" must be an object such as {"order":1,"success":true}.');
  }
  const { order, success, ...unknown } = value as JsonObject;
  if (Object.keys(unknown).length > 0) throw new NotebookFormatError(line, `unknown execution field "${Object.keys(unknown)[0]}".`);
  if (order !== undefined && !(Number.isSafeInteger(order) && (order as number) >= 0)) {
    throw new NotebookFormatError(line, '"execution.order" must be a whole number.');
  }
  if (success !== undefined && typeof success !== 'boolean') throw new NotebookFormatError(line, '"execution.success" must be true or false.');
  return { ...(order !== undefined ? { order: order as number } : {}), ...(success !== undefined ? { success } : {}) };
}

function parseItemHeader(rest: string, line: number, allowJson: boolean): { mime?: string; base64: boolean; json?: JsonObject } {
  let text = rest;
  let json: JsonObject | undefined;
  const brace = text.indexOf('{');
  if (brace >= 0) {
    if (!allowJson) throw new NotebookFormatError(line, 'an "%% item" marker takes no metadata.');
    json = parseJsonObject(text.slice(brace), line);
    text = text.slice(0, brace).trimEnd();
  }
  const words = text === '' ? [] : text.split(' ');
  if (words.length > 2 || (words.length === 2 && words[1] !== 'base64') || (words.length > 0 && !MIME.test(words[0]))) {
    throw new NotebookFormatError(line, `expected "<mime type> [base64] [{metadata}]" after the marker, found "${clip(rest)}".`);
  }
  return { mime: words[0], base64: words.length === 2, json };
}

function itemData(block: Block, base64: boolean): Uint8Array {
  if (!base64) return utf8.encode(block.body.join('\n'));
  const joined = block.body.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(joined) || joined.length % 4 !== 0) {
    throw new NotebookFormatError(block.line + 1, 'the base64 data of this output is damaged.');
  }
  return new Uint8Array(Buffer.from(joined, 'base64'));
}

function parseJsonObject(text: string, line: number): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(line, `the metadata is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotebookFormatError(line, 'the metadata must be a JSON object ({…}).');
  }
  return value as JsonObject;
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
