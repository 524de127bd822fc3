// Bytes of a file → text, or why not. Strict on purpose: an index built from guessed encodings would hold
// mojibake that embeds as noise and can never be matched by a query typed in the editor.
import { firstInvalidUtf8 } from './utf8';

export type DecodedText =
  | { readonly kind: 'text'; readonly text: string; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  | { readonly kind: 'binary'; readonly note: string }
  | { readonly kind: 'undecodable'; readonly note: string };

/** git's FIRST_FEW_BYTES (xdiff-interface.c `buffer_is_binary`): a NUL byte in this prefix marks a file binary. */
export const BINARY_SNIFF_BYTES = 8000;

/**
 * Decodes UTF-8 strictly (a BOM is dropped) and UTF-16 only when it starts with its BOM; anything else is
 * `binary` (a NUL byte in the first {@link BINARY_SNIFF_BYTES}) or `undecodable` with a note naming the byte.
 */
export function decodeTextBytes(bytes: Uint8Array): DecodedText {
  // UTF-32 BOMs first: FF FE 00 00 would otherwise read as a UTF-16LE BOM followed by U+0000.
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    return { kind: 'undecodable', note: 'UTF-32 text (byte-order mark at offset 0) is not supported' };
  }
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16(bytes.subarray(2), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16(bytes.subarray(2), 'utf-16be');

  const bomLength = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul >= 0) return { kind: 'binary', note: `NUL byte at offset ${nul}` };

  const body = bytes.subarray(bomLength);
  const invalid = firstInvalidUtf8(body);
  if (invalid >= 0) {
    const offset = invalid + bomLength;
    return {
      kind: 'undecodable',
      note: `not UTF-8: byte 0x${hex(bytes[offset])} at offset ${offset} (line ${lineOf(bytes, offset)})`,
    };
  }
  return { kind: 'text', text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8' };
}

function decodeUtf16(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  if (body.length % 2 !== 0) {
    return { kind: 'undecodable', note: `${encoding.toUpperCase()} text with an odd number of bytes (${body.length + 2})` };
  }
  const units = new Array<number>(body.length / 2);
  for (let i = 0; i < units.length; i++) {
    const a = body[2 * i];
    const b = body[2 * i + 1];
    units[i] = encoding === 'utf-16le' ? a | (b << 8) : (a << 8) | b;
  }
  const unpaired = firstUnpairedSurrogate(units);
  if (unpaired >= 0) {
    const offset = 2 + 2 * unpaired;
    return { kind: 'undecodable', note: `${encoding.toUpperCase()}: unpaired surrogate at offset ${offset}` };
  }
  let text = '';
  // In slices: String.fromCharCode(...all) overflows the call stack on large files.
  for (let i = 0; i < units.length; i += 8192) text += String.fromCharCode(...units.slice(i, i + 8192));
  return { kind: 'text', text, encoding };
}

function firstUnpairedSurrogate(units: readonly number[]): number {
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = units[i + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff) return i;
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
  }
  return -1;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
