// The bytes of a `.minilm` file ↔ RawNotebook, losslessly or not at all:
// - bytes are decoded strictly: a file that is not UTF-8 is refused (NotebookFormatError naming the line and byte),
//   never read with U+FFFD in place of what it held;
// - LF, CRLF and a lone CR all end a line, and every line keeps its own ending;
// - a notebook written back unedited gives the file's bytes exactly. Its FileLayout holds the file's byte order mark
//   and most common line ending; for a file this version would write differently (mixed endings, hand-written
//   spacing, …) also each line's ending and the blocks as written, tied to a fingerprint of the notebook's text. An
//   edited notebook is written in this version's layout with the file's main line ending and byte order mark.
// vscode-free: the VS Code serializer carries the layout in the notebook's metadata while the notebook is open.
import { createHash } from 'node:crypto';
import { LINE_BREAK, NotebookFormatError, notebookBlocks, parseLines, type ExactLayout, type FileLayout, type RawNotebook } from './notebookFormat';
import { firstInvalidUtf8 } from '../core/utf8';

type Eol = FileLayout['eol'];
type Ending = Eol | '';

const ENDING_CODES: Record<string, Ending> = { L: '\n', C: '\r\n', R: '\r', N: '' };
const CODE_OF = new Map<Ending, string>(Object.entries(ENDING_CODES).map(([code, ending]) => [ending, code]));
const ENDINGS_RLE = /^(?:[LCRN][1-9]\d*)*$/;
const BOM = '\uFEFF';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/** Reads a `.minilm` file. Throws NotebookFormatError for a file that is not UTF-8 or not a notebook. */
export function readNotebook(bytes: Uint8Array): RawNotebook {
  let text = decodeUtf8(bytes);
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(1);
  const { lines, endings } = splitLines(text);
  const { notebook, blockStarts } = parseLines(lines);

  const written = notebookBlocks(notebook);
  if (written.length !== blockStarts.length) throw new Error(`internal: ${blockStarts.length} blocks read, ${written.length} written`);
  const verbatim: { [block: string]: string[] } = {};
  blockStarts.forEach((start, index) => {
    const original = lines.slice(start, blockStarts[index + 1] ?? lines.length);
    if (!sameLines(original, written[index])) verbatim[index] = original;
  });
  const eol = mainEnding(endings);
  const plain = Object.keys(verbatim).length === 0 && endings.every((ending) => ending === eol);
  const exact: ExactLayout | undefined = plain ? undefined : { endings: encodeEndings(endings), verbatim, fingerprint: fingerprintOf(written) };
  return { ...notebook, layout: { bom, eol, ...(exact ? { exact } : {}) } };
}

/**
 * The bytes of the notebook's file: the file it was read from, byte for byte, while its text is unchanged; else this
 * version's layout with the file's main line ending. Throws a RangeError for a notebook that cannot be written
 * without a loss (it names the cell).
 */
export function writeNotebook(notebook: RawNotebook): Uint8Array {
  const blocks = notebookBlocks(notebook);
  const bom = notebook.layout?.bom ? BOM : '';
  const exact = notebook.layout?.exact;
  if (exact && exact.fingerprint === fingerprintOf(blocks)) {
    const lines = blocks.flatMap((block, index) => exact.verbatim[index] ?? block);
    const endings = decodeEndings(exact.endings);
    if (lines.length === endings.length) return utf8.encode(bom + lines.map((line, i) => line + endings[i]).join(''));
  }
  const eol = notebook.layout?.eol ?? '\n';
  return utf8.encode(
    bom +
      blocks
        .flat()
        .map((line) => line + eol)
        .join(''),
  );
}

/** Whether the layout says nothing beyond a new notebook's default (LF, no byte order mark): no need to keep it. */
export function isPlainLayout(layout: FileLayout): boolean {
  return !layout.bom && layout.eol === '\n' && !layout.exact;
}

/** Whether a value (from notebook metadata, say) is a FileLayout. */
export function isFileLayout(value: unknown): value is FileLayout {
  if (typeof value !== 'object' || value === null) return false;
  const { bom, eol, exact } = value as Partial<FileLayout>;
  return typeof bom === 'boolean' && (eol === '\n' || eol === '\r\n' || eol === '\r') && (exact === undefined || isExactLayout(exact));
}

function isExactLayout(value: unknown): value is ExactLayout {
  if (typeof value !== 'object' || value === null) return false;
  const { endings, verbatim, fingerprint } = value as Partial<ExactLayout>;
  return (
    typeof endings === 'string' &&
    ENDINGS_RLE.test(endings) &&
    typeof fingerprint === 'string' &&
    typeof verbatim === 'object' &&
    verbatim !== null &&
    Object.values(verbatim).every((lines) => Array.isArray(lines) && lines.every((line) => typeof line === 'string'))
  );
}

// ------------------------------------------------------------------------------------------------------- decoding

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) {
        line++;
        lineStart = i + 1;
      }
    }
    const byte = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '?';
    throw new NotebookFormatError(
      line,
      `the file is not valid UTF-8 (byte 0x${byte} at byte ${offset - lineStart + 1} of the line). MiniLM notebooks are ` +
        'UTF-8 text: convert the file (for example from Latin-1 or Windows-1252) and open it again.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------- lines

function splitLines(text: string): { lines: string[]; endings: Ending[] } {
  const lines: string[] = [];
  const endings: Ending[] = [];
  const breaks = new RegExp(LINE_BREAK.source, 'g');
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push(text.slice(start, m.index));
    endings.push(m[0] as Ending);
    start = m.index + m[0].length;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
    endings.push('');
  }
  return { lines, endings };
}

function encodeEndings(endings: readonly Ending[]): string {
  let out = '';
  for (let i = 0; i < endings.length;) {
    let run = 1;
    while (endings[i + run] === endings[i]) run++;
    out += CODE_OF.get(endings[i])! + run;
    i += run;
  }
  return out;
}

function decodeEndings(encoded: string): Ending[] {
  const endings: Ending[] = [];
  for (const [, code, count] of encoded.matchAll(/([LCRN])(\d+)/g)) {
    for (let i = 0; i < Number(count); i++) endings.push(ENDING_CODES[code]);
  }
  return endings;
}

/** The most common line ending (the earliest of equally common ones); LF for a file without any. */
function mainEnding(endings: readonly Ending[]): Eol {
  const counts = new Map<Eol, number>();
  for (const ending of endings) if (ending !== '') counts.set(ending, (counts.get(ending) ?? 0) + 1);
  let best: Eol = '\n';
  let bestCount = 0;
  for (const [ending, count] of counts) {
    if (count > bestCount) [best, bestCount] = [ending, count];
  }
  return best;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

function fingerprintOf(blocks: readonly (readonly string[])[]): string {
  const hash = createHash('sha256');
  for (const block of blocks) for (const line of block) hash.update(line + '\n', 'utf8');
  return hash.digest('hex');
}
