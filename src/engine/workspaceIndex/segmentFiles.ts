/**
 * Segment files of the workspace index. A segment is immutable once written and holds two files:
 * `<name>.vectors` (float32 rows, little-endian, no header) and `<name>.chunks.jsonl` (one ChunkRecord per line,
 * in row order). The manifest says which segments are live; everything else here is plain I/O.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { StoredFile } from './indexManifest';
import type { ChunkRecord } from './types';

export const VECTOR_SUFFIX = '.vectors';
export const CHUNKS_SUFFIX = '.chunks.jsonl';
/** Optional: the int8 codes of a large segment (segmentCodesFile.ts), so that loading it needs no quantising. */
export const CODES_SUFFIX = '.int8';
const SEGMENT_NAME = /^seg-\d{6,}-[0-9a-f]{8}$/;
const FLUSH_BYTES = 1 << 20;
/** Rows copied per read during compaction (bounded memory whatever the index size). */
const COPY_BLOCK_BYTES = 4 << 20;

/** A fresh segment name: the generation that writes it (sortable) and a random part (no clash with a killed writer). */
export function newSegmentName(generation: number): string {
  return `seg-${String(generation).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}

export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name);
}

export function vectorFile(dir: string, segment: string): string {
  return path.join(dir, segment + VECTOR_SUFFIX);
}

export function chunksFile(dir: string, segment: string): string {
  return path.join(dir, segment + CHUNKS_SUFFIX);
}

export function codesFile(dir: string, segment: string): string {
  return path.join(dir, segment + CODES_SUFFIX);
}

/** A codes file's temp name while it is written (`<name>.int8.<digits>`, write-file-atomic's), left by a killed writer. */
export function isCodesTemp(fileName: string): boolean {
  const at = fileName.lastIndexOf(`${CODES_SUFFIX}.`);
  return at > 0 && isSegmentName(fileName.slice(0, at)) && /^\d+$/.test(fileName.slice(at + CODES_SUFFIX.length + 1));
}

/** The segment a directory entry belongs to, if it is one of ours. */
export function segmentOfFile(fileName: string): string | undefined {
  for (const suffix of [VECTOR_SUFFIX, CHUNKS_SUFFIX, CODES_SUFFIX]) {
    if (fileName.endsWith(suffix)) {
      const name = fileName.slice(0, -suffix.length);
      return isSegmentName(name) ? name : undefined;
    }
  }
  return undefined;
}

/** One JSONL line (with its newline) per chunk. */
export function chunkLines(chunks: readonly ChunkRecord[]): Buffer {
  let text = '';
  for (const c of chunks) text += `${JSON.stringify({ path: c.path, startLine: c.startLine, endLine: c.endLine, text: c.text })}\n`;
  return Buffer.from(text, 'utf8');
}

/** The bytes of a float32 row on disk (this module refuses big-endian hosts, so the memory layout is the file's). */
export function vectorBytes(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * Appends to a file through a 1 MiB buffer, so that thousands of 1.5 KB rows become a few large writes, and
 * reports the bytes written so far after every flush.
 */
export class BufferedFileWriter {
  private readonly buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  private used = 0;
  written = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly onFlush: () => void,
  ) {}

  /** Creates the file; fails if it exists (segment names are never reused). */
  static async create(file: string, onFlush: () => void): Promise<BufferedFileWriter> {
    return new BufferedFileWriter(await fsp.open(file, 'wx'), onFlush);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.used + bytes.byteLength > FLUSH_BYTES) await this.flush();
    if (bytes.byteLength >= FLUSH_BYTES) {
      await this.handle.write(bytes);
      this.written += bytes.byteLength;
      this.onFlush();
      return;
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.byteLength;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.handle.write(this.buffer, 0, this.used);
    this.written += this.used;
    this.used = 0;
    this.onFlush();
  }

  /** Flushes, forces the data to disk and closes. */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
  }

  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * Reads `rows` float32 rows starting at row `fromRow` of a vector file into `dest`, starting at row `destRow`.
 * `handle.read` may return fewer bytes than asked (large reads are capped near 2 GiB), hence the loop.
 */
export async function readVectorRows(handle: FileHandle, fromRow: number, rows: number, dim: number, dest: Float32Array, destRow: number): Promise<void> {
  const rowBytes = dim * Float32Array.BYTES_PER_ELEMENT;
  const target = new Uint8Array(dest.buffer, dest.byteOffset + destRow * rowBytes, rows * rowBytes);
  await readFully(handle, target, fromRow * rowBytes);
}

/** Reads exactly `target.byteLength` bytes at `position`; a short file is an error (the manifest promised more). */
export async function readFully(handle: FileHandle, target: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, Math.min(target.byteLength - done, 1 << 30), position + done);
    if (bytesRead === 0) throw Object.assign(new Error(`unexpected end of file at byte ${position + done}`), { code: 'ESHORT' });
    done += bytesRead;
  }
}

/** Parses the JSONL lines of one file's chunks (a byte range of a chunks file). */
export function parseChunkLines(bytes: Uint8Array, expected: number, where: string): ChunkRecord[] {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== expected) throw new Error(`${where}: expected ${expected} chunk lines, found ${lines.length}`);
  return lines.map((line) => {
    const c = JSON.parse(line) as ChunkRecord;
    return { path: c.path, startLine: c.startLine, endLine: c.endLine, text: c.text };
  });
}

/** Forces a directory's entries (new and renamed files) to disk; not possible on Windows, where rename is durable enough. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows, EINVAL on some network file systems: nothing more can be done there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A range of consecutive rows (and their chunk lines) of one old segment, copied as is by a compaction. */
export interface CopyRun {
  readonly segment: string;
  readonly row: number;
  readonly rows: number;
  readonly chunkOffset: number;
  readonly chunkBytes: number;
}

/** Appends a run of an old segment's rows and chunk lines to a new segment, a few MiB at a time. */
export async function copyRun(dir: string, run: CopyRun, dim: number, vectors: BufferedFileWriter, chunks: BufferedFileWriter): Promise<void> {
  const rowsPerBlock = Math.max(1, Math.floor(COPY_BLOCK_BYTES / (dim * Float32Array.BYTES_PER_ELEMENT)));
  const block = new Float32Array(Math.min(rowsPerBlock, run.rows) * dim);
  const vectorHandle = await fsp.open(vectorFile(dir, run.segment), 'r');
  try {
    for (let done = 0; done < run.rows; done += rowsPerBlock) {
      const n = Math.min(rowsPerBlock, run.rows - done);
      await readVectorRows(vectorHandle, run.row + done, n, dim, block, 0);
      await vectors.write(new Uint8Array(block.buffer, 0, n * dim * Float32Array.BYTES_PER_ELEMENT));
    }
  } finally {
    await vectorHandle.close();
  }
  const chunkHandle = await fsp.open(chunksFile(dir, run.segment), 'r');
  try {
    const bytes = new Uint8Array(Math.min(COPY_BLOCK_BYTES, run.chunkBytes));
    for (let done = 0; done < run.chunkBytes; done += bytes.byteLength) {
      const part = bytes.subarray(0, Math.min(bytes.byteLength, run.chunkBytes - done));
      await readFully(chunkHandle, part, run.chunkOffset + done);
      await chunks.write(part);
    }
  } finally {
    await chunkHandle.close();
  }
}

/** The chunks of one file, read from its byte range of an open chunks file. */
export async function readFileChunks(handle: FileHandle, file: StoredFile): Promise<ChunkRecord[]> {
  const bytes = new Uint8Array(file.chunkBytes);
  await readFully(handle, bytes, file.chunkOffset);
  return parseChunkLines(bytes, file.chunks, `${file.segment}${CHUNKS_SUFFIX} (${file.path})`);
}

export async function removeSegment(dir: string, name: string): Promise<void> {
  await fsp.rm(vectorFile(dir, name), { force: true }).catch(() => undefined);
  await fsp.rm(chunksFile(dir, name), { force: true }).catch(() => undefined);
  await fsp.rm(codesFile(dir, name), { force: true }).catch(() => undefined);
}
