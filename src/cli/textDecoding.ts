import { inputError } from './cliError';
import { firstInvalidUtf8 } from '../core/utf8';

/** What to do with input bytes that are not valid UTF-8, as Python's `errors=` argument names it. */
export type EncodingErrors = 'strict' | 'replace';

export const ENCODING_ERRORS: readonly EncodingErrors[] = ['strict', 'replace'];

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * The text of an input file (or stdin) named `name` in messages. Invalid UTF-8 is an error naming the line and
 * column of the first bad byte, unless `errors` is `replace`: then each bad sequence reads as U+FFFD (as Python's
 * `errors="replace"` and the WHATWG decoder do) and `note` is told where the first one was. A UTF-8 byte order mark
 * is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, name: string, errors: EncodingErrors = 'strict', note: (message: string) => void = () => undefined): string {
  try {
    return strict.decode(bytes);
  } catch {
    // located below
  }
  const at = firstInvalidUtf8(bytes);
  const { line, column } = positionOf(bytes, at);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const where = `byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} at column ${column}${utf16 ? '; the file starts with a UTF-16 byte order mark' : ''}`;
  if (errors === 'replace') {
    note(`${name}:${line}: not valid UTF-8 (${where}); invalid bytes read as U+FFFD (--encoding-errors replace)`);
    return lenient.decode(bytes);
  }
  const fix = name === '<stdin>' ? 'send UTF-8 on stdin' : 'save the file as UTF-8';
  throw inputError(name, line, `not valid UTF-8 (${where}); ${fix}, or pass --encoding-errors replace to accept it with U+FFFD`);
}

/** 1-based line, and column in characters (what editors show), of byte `offset`; everything before it is valid UTF-8. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // A byte order mark is not a character anyone sees.
  if (lineStart === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) lineStart = 3;
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}
