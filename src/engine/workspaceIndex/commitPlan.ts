/**
 * What a commit will write, worked out in memory before anything touches the disk (so that the size cap can be
 * checked first): the next manifest, the new segment's rows, and, for a compaction, which old rows it copies.
 */
import type { IndexIdentity, Manifest, SegmentRecord, StoredFile } from './indexManifest';
import { chunkLines, newSegmentName, type CopyRun } from './segmentFiles';
import type { ChunkRecord } from './types';

/** A file's new content: its chunks and their vectors, in the same order. */
export interface FileUpdate {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly chunks: readonly ChunkRecord[];
  readonly vectors: readonly Float32Array[];
}

/** Compaction also runs when this many segments would be live, so that loads open few files. */
const MAX_SEGMENTS = 16;

export interface CommitPlan {
  readonly manifest: Manifest;
  /** The new segment, if the commit writes rows. */
  readonly segment: SegmentRecord | undefined;
  readonly segmentBytes: number;
  /** Old rows the new segment starts with (a compaction), before the updated files' rows. */
  readonly copied: readonly CopyRun[];
  /** Each updated file's JSONL lines. */
  readonly lines: ReadonlyMap<string, Buffer>;
}

/** Works out the next manifest (and what its new segment holds) without touching the disk. */
export function planCommit(
  current: Manifest,
  identity: IndexIdentity,
  kept: readonly StoredFile[],
  updates: readonly FileUpdate[],
  replaceAll: boolean,
): CommitPlan {
  const dim = identity.dimension;
  const generation = current.generation + 1;
  const name = newSegmentName(generation);
  const keptNames = new Set(kept.map((f) => f.segment));
  const keptSegments = replaceAll ? [] : current.segments.filter((s) => keptNames.has(s.name));
  const keptLive = kept.reduce((n, f) => n + f.chunks, 0);
  const newRows = updates.reduce((n, u) => n + u.chunks.length, 0);
  const dead = keptSegments.reduce((n, s) => n + s.rows, 0) - keptLive;
  const compact = dead > keptLive + newRows || keptSegments.length + (newRows > 0 ? 1 : 0) > MAX_SEGMENTS;

  let row = 0;
  let offset = 0;
  const files: StoredFile[] = [];
  const copied: CopyRun[] = [];
  if (compact) {
    for (const f of inRowOrder(kept, keptSegments)) {
      if (f.segment === null) {
        files.push(f);
        continue;
      }
      files.push({ ...f, segment: name, row, chunkOffset: offset });
      const last = copied[copied.length - 1];
      if (last && last.segment === f.segment && last.row + last.rows === f.row && last.chunkOffset + last.chunkBytes === f.chunkOffset) {
        copied[copied.length - 1] = { ...last, rows: last.rows + f.chunks, chunkBytes: last.chunkBytes + f.chunkBytes };
      } else {
        copied.push({ segment: f.segment, row: f.row, rows: f.chunks, chunkOffset: f.chunkOffset, chunkBytes: f.chunkBytes });
      }
      row += f.chunks;
      offset += f.chunkBytes;
    }
  } else {
    files.push(...kept);
  }
  const lines = new Map<string, Buffer>();
  for (const u of updates) {
    const bytes = chunkLines(u.chunks);
    lines.set(u.path, bytes);
    const stored = { path: u.path, hash: u.hash, size: u.size, mtimeMs: u.mtimeMs, chunks: u.chunks.length };
    files.push(
      u.chunks.length === 0
        ? { ...stored, segment: null, row: 0, chunkOffset: 0, chunkBytes: 0 }
        : { ...stored, segment: name, row, chunkOffset: offset, chunkBytes: bytes.byteLength },
    );
    row += u.chunks.length;
    offset += bytes.byteLength;
  }
  const segment: SegmentRecord | undefined =
    row > 0 ? { name, rows: row, vectorBytes: row * dim * Float32Array.BYTES_PER_ELEMENT, chunkBytes: offset } : undefined;
  const segments = [...(compact ? [] : keptSegments), ...(segment ? [segment] : [])];
  const manifest: Manifest = { ...current, generation, writtenAt: new Date().toISOString(), identity: { ...identity }, segments, files };
  return { manifest, segment, segmentBytes: segment ? segment.vectorBytes + segment.chunkBytes : 0, copied, lines };
}

/** Files in search-row order: by segment (manifest order), then row; files without chunks first. */
export function inRowOrder(files: readonly StoredFile[], segments: readonly SegmentRecord[]): StoredFile[] {
  const order = new Map(segments.map((s, i) => [s.name, i]));
  const rank = (f: StoredFile) => (f.segment === null ? -1 : order.get(f.segment)!);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.row - b.row);
}

export function segmentBytes(segments: readonly SegmentRecord[]): number {
  return segments.reduce((n, s) => n + s.vectorBytes + s.chunkBytes, 0);
}

export function checkIdentity(identity: IndexIdentity): void {
  if (!Number.isInteger(identity.dimension) || identity.dimension < 1)
    throw new RangeError(`The index identity needs a positive integer dimension, got ${identity.dimension}.`);
  for (const key of ['model', 'dtype', 'chunker', 'fingerprint'] as const) {
    if (typeof identity[key] !== 'string') throw new TypeError(`The index identity needs a string ${key}.`);
  }
}

/** Rejects what would make the index wrong, naming the file: ragged or non-finite vectors, mismatched chunks, repeats. */
export function checkUpdates(updates: readonly FileUpdate[], dim: number): void {
  const seen = new Set<string>();
  for (const u of updates) {
    if (typeof u.path !== 'string' || u.path === '') throw new TypeError('Every updated file needs a non-empty path.');
    if (seen.has(u.path)) throw new RangeError(`${u.path} is updated twice in one commit.`);
    seen.add(u.path);
    if (u.chunks.length !== u.vectors.length) throw new RangeError(`${u.path}: ${u.chunks.length} chunks but ${u.vectors.length} vectors.`);
    u.chunks.forEach((c, i) => {
      if (c.path !== u.path) throw new RangeError(`${u.path}: chunk ${i} belongs to ${c.path}.`);
    });
    u.vectors.forEach((v, i) => {
      if (!(v instanceof Float32Array)) throw new TypeError(`${u.path}: vector ${i} is not a Float32Array.`);
      if (v.length !== dim) throw new RangeError(`${u.path}: vector ${i} has dimension ${v.length}, the index has ${dim}.`);
      for (let k = 0; k < dim; k++) {
        if (!Number.isFinite(v[k])) throw new RangeError(`${u.path}: vector ${i} holds a non-finite value (${v[k]}).`);
      }
    });
  }
}
