// Where UTF-8 goes wrong, so that the CLI and the notebook can name the line and byte of a file that is not UTF-8.

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or -1 when all of `bytes` is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let trailing: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) trailing = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= trailing; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < low || next > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += trailing + 1;
  }
  return -1;
}

/**
 * `\uD800`-style name of the first unpaired surrogate in `text`, or undefined. JSON and JavaScript strings can hold
 * half a UTF-16 pair; UTF-8 cannot, so no tokenizer input can (sentence-transformers raises a TypeError on it).
 */
export function unpairedSurrogate(text: string): string | undefined {
  const match = /\p{Cs}/u.exec(text);
  return match ? `\\u${match[0].charCodeAt(0).toString(16).toUpperCase()}` : undefined;
}
