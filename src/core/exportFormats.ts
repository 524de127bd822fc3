import type { Vector } from './vector';

/**
 * A short decimal that reads back as the same float32, e.g. 0.1f -> "0.1" rather than "0.10000000149011612":
 * the fewest of 7, 8 or 9 significant digits that round-trips, trailing zeros dropped. Embeddings are float32, so
 * this loses nothing. (toPrecision strings are used as they are: re-printing through Number is 5x slower.)
 */
export function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return '0';
  for (let precision = 7; precision < 9; precision++) {
    const candidate = f.toPrecision(precision);
    if (Math.fround(Number(candidate)) === f) return withoutTrailingZeros(candidate);
  }
  return withoutTrailingZeros(f.toPrecision(9));
}

function withoutTrailingZeros(text: string): string {
  const e = text.indexOf('e');
  if ((e < 0 ? text.charCodeAt(text.length - 1) : text.charCodeAt(e - 1)) !== 48 /* 0 */ || !text.includes('.')) return text;
  const mantissa = e < 0 ? text : text.slice(0, e);
  const trimmed = mantissa.replace(/0+$/, '').replace(/\.$/, '');
  return e < 0 ? trimmed : trimmed + text.slice(e);
}

function dimensionOf(vectors: readonly Vector[]): number {
  const dim = vectors.length > 0 ? vectors[0].length : 0;
  vectors.forEach((v, i) => {
    if (v.length !== dim) throw new RangeError(`Vector ${i} has dimension ${v.length}, expected ${dim}.`);
  });
  return dim;
}

function checkTexts(texts: readonly string[] | undefined, count: number): void {
  if (texts && texts.length !== count) throw new RangeError(`${texts.length} texts for ${count} vectors.`);
}

/** JSON: an array of vectors, or `[{ "text", "embedding" }]` when texts are given. */
export function vectorsToJson(vectors: readonly Vector[], texts?: readonly string[]): string {
  dimensionOf(vectors);
  checkTexts(texts, vectors.length);
  const encoded = vectors.map((v) => `[${Array.from(v, formatFloat32).join(',')}]`);
  if (!texts) return `[${encoded.join(',\n')}]\n`;
  return `[${encoded.map((e, i) => `{"text":${JSON.stringify(texts[i])},"embedding":${e}}`).join(',\n')}]\n`;
}

/** One CSV field per RFC 4180: quoted (with doubled quotes) only when it holds a quote, comma, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * CSV per RFC 4180 (CRLF line ends): header `text,dim_0,...,dim_{d-1}` (the text column only when texts are
 * given), one row per vector.
 */
export function vectorsToCsv(vectors: readonly Vector[], texts?: readonly string[]): string {
  const dim = dimensionOf(vectors);
  checkTexts(texts, vectors.length);
  const header = Array.from({ length: dim }, (_, k) => `dim_${k}`);
  if (texts) header.unshift('text');
  const lines = [header.join(',')];
  vectors.forEach((v, i) => {
    const values = Array.from(v, formatFloat32).join(',');
    lines.push(texts ? `${csvField(texts[i])}${dim > 0 ? ',' : ''}${values}` : values);
  });
  return `${lines.join('\r\n')}\r\n`;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const NPY_ALIGNMENT = 64;

/**
 * NumPy `.npy` (format version 1.0): float32 little endian (`<f4`), C order, shape `(n, dim)`. The header is
 * space-padded and ends in a newline so that the data starts at a multiple of 64 bytes, as numpy writes it.
 */
export function vectorsToNpy(vectors: readonly Vector[], dim?: number): Uint8Array {
  const d = vectors.length > 0 ? dimensionOf(vectors) : (dim ?? 0);
  if (dim !== undefined && d !== dim) throw new RangeError(`Expected dimension ${dim}, got ${d}.`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${vectors.length}, ${d}), }`;
  const unpadded = NPY_MAGIC.length + 2 + 2 + dict.length + 1;
  const padding = (NPY_ALIGNMENT - (unpadded % NPY_ALIGNMENT)) % NPY_ALIGNMENT;
  const header = `${dict}${' '.repeat(padding)}\n`;
  const dataOffset = NPY_MAGIC.length + 4 + header.length;
  const bytes = new Uint8Array(dataOffset + vectors.length * d * 4);
  bytes.set(NPY_MAGIC, 0);
  bytes[6] = 1; // major version
  bytes[7] = 0; // minor version
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  let offset = dataOffset;
  for (const v of vectors) {
    for (let k = 0; k < d; k++, offset += 4) view.setFloat32(offset, v[k], true);
  }
  return bytes;
}

export interface NpyHeader {
  readonly version: [number, number];
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** Byte offset of the first value. */
  readonly dataOffset: number;
}

/** Reads the header of a `.npy` file (versions 1.0 to 3.0). */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('Not a .npy file (bad magic).');
  const major = bytes[6];
  const minor = bytes[7];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const long = major >= 2;
  const headerLength = long ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = long ? 12 : 10;
  const text = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) throw new Error(`Malformed .npy header: ${text}`);
  return {
    version: [major, minor],
    descr,
    fortranOrder: fortran === 'True',
    shape: shape
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map(Number),
    dataOffset: start + headerLength,
  };
}

/** Reads a `<f4` C-order `.npy` matrix written by {@link vectorsToNpy} (or numpy) back into rows. */
export function npyToVectors(bytes: Uint8Array): Float32Array[] {
  const header = parseNpyHeader(bytes);
  if (header.descr !== '<f4' || header.fortranOrder || header.shape.length !== 2) {
    throw new Error(`Only C-order <f4 matrices are supported, got ${header.descr} shape (${header.shape.join(', ')}).`);
  }
  const [n, d] = header.shape;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (header.dataOffset + n * d * 4 > bytes.length) throw new Error('Truncated .npy data.');
  const rows: Float32Array[] = [];
  for (let r = 0, offset = header.dataOffset; r < n; r++) {
    const row = new Float32Array(d);
    for (let k = 0; k < d; k++, offset += 4) row[k] = view.getFloat32(offset, true);
    rows.push(row);
  }
  return rows;
}

/**
 * The Embedding Projector reads one record per line and one field per tab, with no quoting, so tabs and line
 * breaks inside a text become spaces; an empty label would look like a missing line, so it is shown as "(empty)".
 */
export function projectorField(value: string): string {
  const flat = value.replace(/\r\n|[\t\r\n]/g, ' ');
  return flat.length === 0 ? '(empty)' : flat;
}

/** `tensors.tsv`: one vector per line, values separated by tabs, no header. */
export function vectorsToProjectorTensors(vectors: readonly Vector[]): string {
  dimensionOf(vectors);
  return vectors.map((v) => Array.from(v, formatFloat32).join('\t')).join('\n') + (vectors.length > 0 ? '\n' : '');
}

/**
 * `metadata.tsv`. One column: just the labels, no header (the projector's single-column format). Several
 * columns: a header row with the column names, then one row per vector.
 */
export function projectorMetadata(columns: Readonly<Record<string, readonly string[]>>): string {
  const names = Object.keys(columns);
  if (names.length === 0) throw new RangeError('Projector metadata needs at least one column.');
  const count = columns[names[0]].length;
  for (const name of names) {
    if (columns[name].length !== count) throw new RangeError(`Column "${name}" has ${columns[name].length} values, expected ${count}.`);
  }
  const lines: string[] = [];
  if (names.length > 1) lines.push(names.map(projectorField).join('\t'));
  for (let i = 0; i < count; i++) lines.push(names.map((name) => projectorField(columns[name][i])).join('\t'));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
