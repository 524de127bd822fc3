/**
 * `<segment>.int8`: the int8 codes of a large segment, written by the commit that creates the segment (after the
 * manifest swap: a cache, not part of the index) so that a fresh process loads them instead of quantising every
 * float32 row (~0.7 s per 100k rows on the test machine, against a quarter of the bytes to read). A missing, short
 * or foreign file is ignored and the segment quantised from its vectors, as for an index written before these
 * files existed.
 *
 * Layout (little-endian): a 64-byte header [magic 16 bytes][version u32][rows u32][dim u32][rowBytes u32]
 * [maxima 4 × f64], then the codes (rows × rowBytes), then the per-row float32 numbers, one array after another.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { writeFileAtomic } from '../atomicWrite';
import { Int8Corpus } from '../../core/int8Corpus';
import { paddedRowBytes } from '../../core/int8DotKernel';
import { readFully } from './segmentFiles';

/** Segments from this many rows get a codes file; smaller ones quantise in milliseconds. */
export const CODES_FILE_MIN_ROWS = 16_384;
const MAGIC = Buffer.from('minilm-int8-code', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 64;
const BYTES_F32 = 4;
/** Float32 numbers stored per row (Int8Corpus.parts().rowNumbers). */
const ROW_NUMBERS = 5;

/** Bytes of the codes file a segment of `rows` rows of `dim` has (0 below {@link CODES_FILE_MIN_ROWS}): what the size cap counts. */
export function codesFileBytes(rows: number, dim: number): number {
  return rows < CODES_FILE_MIN_ROWS ? 0 : HEADER_BYTES + rows * (paddedRowBytes(dim) + ROW_NUMBERS * BYTES_F32);
}

/** Writes the codes file of `corpus` atomically (temp file, fsync, rename). */
export async function writeCodesFile(file: string, corpus: Int8Corpus, signal?: AbortSignal): Promise<void> {
  const { codes, rowNumbers, maxima } = corpus.parts();
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(VERSION, 16);
  header.writeUInt32LE(corpus.count, 20);
  header.writeUInt32LE(corpus.dim, 24);
  header.writeUInt32LE(corpus.rowBytes, 28);
  maxima.forEach((m, i) => header.writeDoubleLE(m, 32 + 8 * i));
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFileAtomic(
    file,
    async (write) => {
      await write(header);
      await write(bytes(codes));
      for (const numbers of rowNumbers) await write(bytes(numbers));
    },
    { signal },
  );
}

/**
 * The corpus stored in `file` if it holds `rows` rows of `dim` (undefined when the file is missing, from another
 * version, or does not match). `fp32Simd`: as for the corpus when it was quantised (rescoring reproduces it).
 */
export async function readCodesFile(file: string, rows: number, dim: number, fp32Simd: boolean): Promise<Int8Corpus | undefined> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const corpus = Int8Corpus.empty(rows, dim, fp32Simd, {});
    const { codes, rowNumbers } = corpus.parts();
    const expected = HEADER_BYTES + codes.byteLength + rowNumbers.length * rows * BYTES_F32;
    const header = Buffer.alloc(HEADER_BYTES);
    const { size } = await handle.stat();
    if (size !== expected) return undefined;
    await readFully(handle, header, 0);
    const matches =
      header.subarray(0, 16).equals(MAGIC) &&
      header.readUInt32LE(16) === VERSION &&
      header.readUInt32LE(20) === rows &&
      header.readUInt32LE(24) === dim &&
      header.readUInt32LE(28) === corpus.rowBytes;
    if (!matches) return undefined;
    let at = HEADER_BYTES;
    for (const target of [codes, ...rowNumbers]) {
      await readFully(handle, new Uint8Array(target.buffer, target.byteOffset, target.byteLength), at);
      at += target.byteLength;
    }
    corpus.setMaxima(Float64Array.from({ length: 4 }, (_, i) => header.readDoubleLE(32 + 8 * i)));
    return corpus;
  } catch {
    return undefined; // unreadable: the caller quantises the vectors instead
  } finally {
    await handle.close();
  }
}
