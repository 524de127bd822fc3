/**
 * The on-disk store of the workspace semantic-search index: embedded (plain files in one folder, no server),
 * crash-safe, size-capped and versioned. See {@link IndexStore}.
 *
 * Folder layout:
 * - `minilm-index.json`: the manifest (format version, identity, live segments, one entry per indexed file);
 * - `seg-<generation>-<random>.vectors` + `.chunks.jsonl`: immutable segments (float32 rows; one ChunkRecord a line);
 * - `minilm-index.lock`: present while a writer has the index open.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/atomicWrite';
import { FlatCorpus, type ScoreFunction } from '../../core/flatCorpus';
import { semanticSearch, type SearchHit } from '../../core/semanticSearch';
import { IndexFullError } from './indexErrors';
import {
  emptyManifest,
  isManifestTemp,
  manifestPath,
  manifestStamp,
  readManifest,
  sameIdentity,
  serializeManifest,
  type FileEntry,
  type IndexIdentity,
  type Manifest,
  type SegmentRecord,
  type StoredFile,
} from './indexManifest';
import {
  BufferedFileWriter,
  CHUNKS_SUFFIX,
  chunkLines,
  chunksFile,
  newSegmentName,
  parseChunkLines,
  readFully,
  readVectorRows,
  segmentOfFile,
  syncDirectory,
  vectorBytes,
  vectorFile,
} from './segmentFiles';
import type { ChunkRecord } from './types';
import { WriterLock } from './writerLock';

export { INDEX_FORMAT_VERSION, type FileEntry, type IndexIdentity } from './indexManifest';
export { IndexFormatError, IndexFullError, IndexLockedError, type LockHolder } from './indexErrors';

/** A file's new content: its chunks and their vectors, in the same order. */
export interface FileUpdate {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly chunks: readonly ChunkRecord[];
  readonly vectors: readonly Float32Array[];
}

export interface StoreHit extends ChunkRecord {
  readonly score: number;
}

export interface IndexStoreOptions {
  /** Cap on the index's size on disk (segments + manifest), in bytes. A commit that would grow the index past it throws {@link IndexFullError}. */
  readonly maxBytes?: number;
  /** Open without the writer lock; commit() is refused. A missing index reads as empty and is not created. */
  readonly readOnly?: boolean;
  /**
   * Ignore the index on disk, whatever its format (also a newer one): the store opens empty and the next commit
   * replaces everything. For `--rebuild`.
   */
  readonly rebuild?: boolean;
}

/**
 * Where a commit is. `segment`: new rows being written (reported after every MiB); `manifest`: the new segment is
 * complete on disk and the manifest is about to be swapped; `cleanup`: the swap is done, unreferenced files are
 * about to be deleted.
 */
export interface CommitProgress {
  readonly stage: 'segment' | 'manifest' | 'cleanup';
  readonly bytesWritten: number;
  readonly totalBytes: number;
}

export interface IndexChange {
  /**
   * What the vectors were computed with. If it differs from {@link IndexStore.identity} (or the index is new or
   * being rebuilt), the commit replaces the whole index: `updated` must then list every file and `removed` is moot.
   */
  readonly identity: IndexIdentity;
  /** Paths to drop (deleted files, the old name of a renamed file). Unknown paths are ignored. */
  readonly removed: readonly string[];
  /** Files to add or replace; each path at most once. */
  readonly updated: readonly FileUpdate[];
  /** Aborting before the manifest swap leaves the index as it was and no new files. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CommitProgress) => void;
}

/** Compaction also runs when this many segments would be live, so that loads open few files. */
const MAX_SEGMENTS = 16;
/** Rows copied per read during compaction (bounded memory whatever the index size). */
const COPY_BLOCK_BYTES = 4 << 20;

interface CorpusView {
  /** Null when nothing is indexed. */
  readonly corpus: FlatCorpus | null;
  /** Files with chunks, in corpus row order. */
  readonly files: readonly StoredFile[];
  /** Corpus row of each file's first chunk (ascending). */
  readonly rowStarts: Int32Array;
}

/**
 * The workspace index in one folder. Writers hold a lock file from open() to close(); readers (`readOnly`) need
 * none: they read the manifest and the immutable segments it names, and notice another process's commit by the
 * manifest's changed stamp (checked before every search).
 *
 * Each indexed file's chunks are contiguous rows of one segment. Replacing or removing a file leaves its old rows
 * dead in their segment (never searched: only rows the manifest assigns to a file are loaded); a segment without
 * live rows is deleted, and the live rows are rewritten into one segment when dead rows outnumber live ones.
 *
 * Vectors are loaded on the first search (not by open(): the indexer only needs {@link files}) into one
 * {@link FlatCorpus} holding live rows only; chunk texts stay on disk and are read for the hits.
 */
export class IndexStore {
  private manifest: Manifest;
  private stamp: string | undefined;
  private fileMap: Map<string, FileEntry> | undefined;
  private corpusView: Promise<CorpusView> | undefined;
  private commits: Promise<unknown> = Promise.resolve();
  private closed = false;
  private reason: string | undefined;

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number | undefined,
    private readonly lock: WriterLock | undefined,
  ) {
    this.manifest = emptyManifest();
  }

  /**
   * Opens (a writer creates) the index in `dir`. Throws IndexLockedError when another writer holds it, and
   * IndexFormatError when a newer release wrote it. An older or damaged index opens empty with
   * {@link rebuildReason} set, so the next commit rebuilds it.
   */
  static async open(dir: string, options: IndexStoreOptions = {}): Promise<IndexStore> {
    if (os.endianness() !== 'LE') throw new Error('The workspace index stores little-endian float32 rows and does not run on big-endian hosts.');
    const { maxBytes, readOnly = false, rebuild = false } = options;
    if (maxBytes !== undefined && !(Number.isFinite(maxBytes) && maxBytes > 0)) throw new RangeError(`maxBytes must be a positive number, got ${maxBytes}.`);
    if (readOnly && rebuild) throw new RangeError('A read-only index cannot be rebuilt: open it for writing.');
    const resolved = path.resolve(dir);
    let lock: WriterLock | undefined;
    if (!readOnly) {
      await fsp.mkdir(resolved, { recursive: true });
      lock = await WriterLock.acquire(resolved);
    }
    const store = new IndexStore(resolved, maxBytes, lock);
    try {
      if (rebuild) store.reason = 'a rebuild was requested';
      else await store.reload();
      if (lock && !rebuild && store.stamp === undefined && store.reason === undefined) {
        await writeFileAtomic(manifestPath(resolved), serializeManifest(store.manifest));
        await store.reload();
      }
    } catch (error) {
      await lock?.release();
      throw error;
    }
    return store;
  }

  /** Why the index on disk was not usable (older format, damaged, rebuild requested); undefined when it was. */
  get rebuildReason(): string | undefined {
    return this.reason;
  }

  /** What the stored vectors were computed with; undefined for a new, empty or unusable index. */
  identity(): IndexIdentity | undefined {
    return this.manifest.identity ?? undefined;
  }

  /** Commit counter of the manifest this store has read. */
  generation(): number {
    return this.manifest.generation;
  }

  files(): ReadonlyMap<string, FileEntry> {
    this.fileMap ??= new Map(this.manifest.files.map((f) => [f.path, { path: f.path, hash: f.hash, size: f.size, mtimeMs: f.mtimeMs, chunks: f.chunks }]));
    return this.fileMap;
  }

  chunkCount(): number {
    let n = 0;
    for (const f of this.manifest.files) n += f.chunks;
    return n;
  }

  /** Segments plus manifest, as the manifest records them (what the size cap counts). */
  bytesOnDisk(): number {
    return segmentBytes(this.manifest.segments) + Buffer.byteLength(serializeManifest(this.manifest));
  }

  /**
   * Applies one change atomically: new segment files are written and flushed first, then the manifest is
   * replaced (temp file, fsync, rename), then files no manifest names are deleted (also those a killed writer
   * left). A process killed at any point leaves the previous or the new index, both complete.
   * Commits of one store run one after another.
   */
  commit(change: IndexChange): Promise<void> {
    const run = this.commits.then(() => this.commitNow(change));
    this.commits = run.catch(() => undefined);
    return run;
  }

  /** Top-k live chunks for each query by cosine (or dot) score, best first; equal scores keep index order. */
  async search(queries: readonly Float32Array[], topK: number, score: ScoreFunction = 'cosine'): Promise<StoreHit[][]> {
    this.checkOpen();
    if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}.`);
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const view = await this.loadedCorpus();
      if (queries.length === 0) return [];
      if (!view.corpus) return queries.map(() => []);
      const dim = view.corpus.dim;
      queries.forEach((q, i) => {
        if (q.length !== dim) throw new RangeError(`Query ${i} has dimension ${q.length}, the index has ${dim}.`);
      });
      const hits = semanticSearch(queries, view.corpus, { topK, scoreFunction: score });
      try {
        return await this.resolveHits(view, hits);
      } catch (error) {
        // Another process's commit deleted a segment between our manifest read and now: search its new index.
        if (attempt < 3 && isMissingFile(error)) {
          this.corpusView = undefined;
          continue;
        }
        throw error;
      }
    }
  }

  /** The stored chunks of one file, in order ([] for an unknown path). */
  async readChunks(filePath: string): Promise<ChunkRecord[]> {
    this.checkOpen();
    const file = this.manifest.files.find((f) => f.path === filePath);
    if (!file?.segment) return [];
    const handle = await fsp.open(chunksFile(this.dir, file.segment), 'r');
    try {
      return await readFileChunks(handle, file);
    } finally {
      await handle.close();
    }
  }

  /** Waits for running commits, then releases the writer lock. The store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits;
    this.corpusView = undefined;
    await this.lock?.release();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`The index store for ${this.dir} is closed.`);
  }

  /** Re-reads the manifest when its stamp changed (another process committed, or the folder was removed). */
  private async refresh(): Promise<void> {
    if (this.reason !== undefined && this.lock) return; // a writer rebuilding keeps its empty view until it commits
    const now = await fsp.stat(manifestPath(this.dir)).then(manifestStamp, () => undefined);
    if (now !== this.stamp) await this.reload();
  }

  private async reload(): Promise<void> {
    const read = await readManifest(this.dir);
    if (read.kind === 'ok') this.setManifest(read.manifest, read.stamp, undefined);
    else if (read.kind === 'missing') this.setManifest(emptyManifest(), undefined, undefined);
    else this.setManifest(emptyManifest(read.generation), read.stamp, read.reason);
  }

  private setManifest(manifest: Manifest, stamp: string | undefined, reason: string | undefined): void {
    this.manifest = manifest;
    this.stamp = stamp;
    this.reason = reason;
    this.fileMap = undefined;
    this.corpusView = undefined;
  }

  private loadedCorpus(): Promise<CorpusView> {
    if (!this.corpusView) {
      const loading = this.loadCorpus();
      this.corpusView = loading;
      loading.catch(() => {
        if (this.corpusView === loading) this.corpusView = undefined;
      });
    }
    return this.corpusView;
  }

  private async loadCorpus(): Promise<CorpusView> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await loadLiveRows(this.dir, this.manifest);
      } catch (error) {
        if (attempt >= 3 || !isMissingFile(error)) throw error;
        await this.reload();
      }
    }
  }

  private async resolveHits(view: CorpusView, hits: SearchHit[][]): Promise<StoreHit[][]> {
    const wanted = new Set<number>();
    const fileOf = (row: number) => upperBound(view.rowStarts, row) - 1;
    for (const list of hits) for (const h of list) wanted.add(fileOf(h.corpus_id));
    const chunks = new Map<number, ChunkRecord[]>();
    const bySegment = new Map<string, number[]>();
    for (const i of wanted) {
      const segment = view.files[i]!.segment!;
      bySegment.set(segment, [...(bySegment.get(segment) ?? []), i]);
    }
    for (const [segment, fileIndexes] of bySegment) {
      const handle = await fsp.open(chunksFile(this.dir, segment), 'r');
      try {
        for (const i of fileIndexes) chunks.set(i, await readFileChunks(handle, view.files[i]!));
      } finally {
        await handle.close();
      }
    }
    return hits.map((list) =>
      list.map((h) => {
        const i = fileOf(h.corpus_id);
        const chunk = chunks.get(i)![h.corpus_id - view.rowStarts[i]!]!;
        return { ...chunk, score: h.score };
      }),
    );
  }

  private async commitNow(change: IndexChange): Promise<void> {
    this.checkOpen();
    if (!this.lock) throw new Error(`The index in ${this.dir} was opened read-only; open it for writing to commit.`);
    const { identity, signal } = change;
    signal?.throwIfAborted();
    checkIdentity(identity);
    const updates = change.updated;
    checkUpdates(updates, identity.dimension);
    const current = this.manifest;
    const replaceAll = !sameIdentity(current.identity, identity) || this.reason !== undefined;
    const gone = new Set([...change.removed, ...updates.map((u) => u.path)]);
    const kept = replaceAll ? [] : current.files.filter((f) => !gone.has(f.path));
    if (!replaceAll && updates.length === 0 && kept.length === current.files.length) return;

    const plan = planCommit(current, identity, kept, updates, replaceAll);
    const text = serializeManifest(plan.manifest);
    const newBytes = segmentBytes(plan.manifest.segments) + Buffer.byteLength(text);
    if (this.maxBytes !== undefined && newBytes > this.maxBytes && newBytes > this.bytesOnDisk()) {
      throw new IndexFullError(this.dir, newBytes, this.maxBytes);
    }

    if (plan.segment) await this.writeSegment(plan, updates, change);
    const report = (stage: CommitProgress['stage']) => change.onProgress?.({ stage, bytesWritten: plan.segmentBytes, totalBytes: plan.segmentBytes });
    try {
      signal?.throwIfAborted();
      report('manifest');
      await writeFileAtomic(manifestPath(this.dir), text);
    } catch (error) {
      if (plan.segment) await removeSegment(this.dir, plan.segment.name);
      throw error;
    }
    await syncDirectory(this.dir);
    const stamp = await fsp.stat(manifestPath(this.dir)).then(manifestStamp);
    this.setManifest(plan.manifest, stamp, undefined);
    report('cleanup');
    await this.removeUnreferenced();
  }

  /** Writes and flushes the new segment; on any failure (or abort) removes what was written and rethrows. */
  private async writeSegment(plan: CommitPlan, updates: readonly FileUpdate[], change: IndexChange): Promise<void> {
    const segment = plan.segment!;
    const dim = change.identity.dimension;
    let vectors: BufferedFileWriter | undefined;
    let chunks: BufferedFileWriter | undefined;
    const progress = () => change.onProgress?.({ stage: 'segment', bytesWritten: (vectors?.written ?? 0) + (chunks?.written ?? 0), totalBytes: plan.segmentBytes });
    try {
      vectors = await BufferedFileWriter.create(vectorFile(this.dir, segment.name), progress);
      chunks = await BufferedFileWriter.create(chunksFile(this.dir, segment.name), progress);
      for (const run of plan.copied) {
        change.signal?.throwIfAborted();
        await copyRun(this.dir, run, dim, vectors, chunks);
      }
      for (const u of updates) {
        change.signal?.throwIfAborted();
        for (const v of u.vectors) await vectors.write(vectorBytes(v));
        await chunks.write(plan.lines.get(u.path)!);
      }
      await vectors.finish();
      await chunks.finish();
      await syncDirectory(this.dir);
    } catch (error) {
      await vectors?.abandon();
      await chunks?.abandon();
      await removeSegment(this.dir, segment.name);
      throw error;
    }
  }

  /** Deletes segment files the manifest does not name and manifest temp files (from this or a killed writer). */
  private async removeUnreferenced(): Promise<void> {
    const live = new Set(this.manifest.segments.map((s) => s.name));
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const segment = segmentOfFile(name);
      if ((segment !== undefined && !live.has(segment)) || isManifestTemp(name)) {
        // A reader on Windows may hold the file open; the next commit tries again.
        await fsp.rm(path.join(this.dir, name), { force: true }).catch(() => undefined);
      }
    }
  }
}

/** A range of consecutive rows (and their chunk lines) of one old segment, copied as is by a compaction. */
interface CopyRun {
  readonly segment: string;
  readonly row: number;
  readonly rows: number;
  readonly chunkOffset: number;
  readonly chunkBytes: number;
}

interface CommitPlan {
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
function planCommit(current: Manifest, identity: IndexIdentity, kept: readonly StoredFile[], updates: readonly FileUpdate[], replaceAll: boolean): CommitPlan {
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
    files.push(u.chunks.length === 0 ? { ...stored, segment: null, row: 0, chunkOffset: 0, chunkBytes: 0 } : { ...stored, segment: name, row, chunkOffset: offset, chunkBytes: bytes.byteLength });
    row += u.chunks.length;
    offset += bytes.byteLength;
  }
  const segment: SegmentRecord | undefined = row > 0 ? { name, rows: row, vectorBytes: row * dim * Float32Array.BYTES_PER_ELEMENT, chunkBytes: offset } : undefined;
  const segments = [...(compact ? [] : keptSegments), ...(segment ? [segment] : [])];
  const manifest: Manifest = { ...current, generation, writtenAt: new Date().toISOString(), identity: { ...identity }, segments, files };
  return { manifest, segment, segmentBytes: segment ? segment.vectorBytes + segment.chunkBytes : 0, copied, lines };
}

function inRowOrder(files: readonly StoredFile[], segments: readonly SegmentRecord[]): StoredFile[] {
  const order = new Map(segments.map((s, i) => [s.name, i]));
  const rank = (f: StoredFile) => (f.segment === null ? -1 : order.get(f.segment)!);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.row - b.row);
}

/** Reads every live row of `manifest` into one corpus, segment by segment, runs of adjacent rows at a time. */
async function loadLiveRows(dir: string, manifest: Manifest): Promise<CorpusView> {
  const files = inRowOrder(manifest.files, manifest.segments).filter((f) => f.chunks > 0);
  const rowStarts = new Int32Array(files.length);
  let rows = 0;
  files.forEach((f, i) => {
    rowStarts[i] = rows;
    rows += f.chunks;
  });
  const dim = manifest.identity?.dimension ?? 0;
  if (rows === 0) return { corpus: null, files, rowStarts };
  // Filled in place (no intermediate copy of the whole index); the rows were checked finite when committed.
  const corpus = FlatCorpus.create(rows, dim, undefined);
  let i = 0;
  while (i < files.length) {
    const segment = files[i]!.segment!;
    const handle = await fsp.open(vectorFile(dir, segment), 'r');
    try {
      while (i < files.length && files[i]!.segment === segment) {
        const first = files[i]!;
        let count = first.chunks;
        let j = i + 1;
        while (j < files.length && files[j]!.segment === segment && files[j]!.row === first.row + count) count += files[j++]!.chunks;
        await readVectorRows(handle, first.row, count, dim, corpus.data, rowStarts[i]!);
        i = j;
      }
    } finally {
      await handle.close();
    }
  }
  return { corpus: corpus.finish(), files, rowStarts };
}

async function copyRun(dir: string, run: CopyRun, dim: number, vectors: BufferedFileWriter, chunks: BufferedFileWriter): Promise<void> {
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

async function readFileChunks(handle: FileHandle, file: StoredFile): Promise<ChunkRecord[]> {
  const bytes = new Uint8Array(file.chunkBytes);
  await readFully(handle, bytes, file.chunkOffset);
  return parseChunkLines(bytes, file.chunks, `${file.segment}${CHUNKS_SUFFIX} (${file.path})`);
}

async function removeSegment(dir: string, name: string): Promise<void> {
  await fsp.rm(vectorFile(dir, name), { force: true }).catch(() => undefined);
  await fsp.rm(chunksFile(dir, name), { force: true }).catch(() => undefined);
}

function segmentBytes(segments: readonly SegmentRecord[]): number {
  return segments.reduce((n, s) => n + s.vectorBytes + s.chunkBytes, 0);
}

function checkIdentity(identity: IndexIdentity): void {
  if (!Number.isInteger(identity.dimension) || identity.dimension < 1) throw new RangeError(`The index identity needs a positive integer dimension, got ${identity.dimension}.`);
  for (const key of ['model', 'dtype', 'chunker', 'fingerprint'] as const) {
    if (typeof identity[key] !== 'string') throw new TypeError(`The index identity needs a string ${key}.`);
  }
}

/** Rejects what would make the index wrong, naming the file: ragged or non-finite vectors, mismatched chunks, repeats. */
function checkUpdates(updates: readonly FileUpdate[], dim: number): void {
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

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
