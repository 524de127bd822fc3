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
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFailureReason, writeFileAtomic } from '../atomicWrite';
import { plansSimd, type ScoreFunction } from '../../core/flatCorpus';
import { Int8ScanWorkers } from '../int8ScanWorkers';
import { MIN_ROWS_PER_THREAD } from '../../core/int8Corpus';
import { checkIdentity, checkUpdates, planCommit, segmentBytes, type CommitPlan, type FileUpdate } from './commitPlan';
import { IndexFormatError, IndexFullError, IndexLockedError } from './indexErrors';
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
} from './indexManifest';
import { loadInt8Segments, quantiseSegment, SegmentCodes } from './int8Segments';
import { CODES_FILE_MIN_ROWS, codesFileBytes, writeCodesFile } from './segmentCodesFile';
import { loadLiveRows } from './liveRows';
import type { SearchView, ViewHit } from './searchView';
import {
  BufferedFileWriter,
  chunksFile,
  codesFile,
  copyRun,
  isCodesTemp,
  readFileChunks,
  removeSegment,
  segmentOfFile,
  syncDirectory,
  vectorBytes,
  vectorFile,
} from './segmentFiles';
import type { ChunkRecord } from './types';
import { WriterLock } from './writerLock';

export type { FileUpdate } from './commitPlan';
export { INDEX_FORMAT_VERSION, type FileEntry, type IndexIdentity } from './indexManifest';
export { IndexFormatError, IndexFullError, IndexLockedError, type LockHolder } from './indexErrors';

export interface StoreHit extends ChunkRecord {
  readonly score: number;
}

export interface IndexStoreOptions {
  /** Cap on the index's size on disk (segments, the codes files of large ones, manifest), in bytes. A commit that would grow the index past it throws {@link IndexFullError}. */
  readonly maxBytes?: number;
  /** Open without the writer lock; commit() is refused. A missing index reads as empty and is not created. */
  readonly readOnly?: boolean;
  /**
   * Ignore the index on disk, whatever its format (also a newer one): the store opens empty and the next commit
   * replaces everything. For `--rebuild`.
   */
  readonly rebuild?: boolean;
  /**
   * How searches hold the vectors. `fp32`: every live row in memory, reloaded whole after a commit. `int8`: int8
   * codes per segment in memory (a quarter of the bytes), the few rows each search rescores read from disk, and
   * only new segments loaded after a commit; answers are identical. `auto` (default): int8 from
   * {@link INT8_MIN_ROWS} live rows on.
   */
  readonly scan?: 'auto' | 'fp32' | 'int8';
  /**
   * Worker threads (besides the caller's) that split the int8 scan of segments of at least 262,144 rows
   * (default 0, at most 16). The store starts them only once a live segment is that large (smaller ones would not
   * use them) and stops them on close(). {@link defaultScanThreads} suits a reader.
   */
  readonly scanThreads?: number;
}

/** The smallest segment whose int8 scan is split between two threads (Int8Corpus's rule). */
const SPLIT_SEGMENT_ROWS = 2 * MIN_ROWS_PER_THREAD;

/**
 * Scan threads for a store that answers queries: one besides the caller's on a machine with two or more cores. The
 * int8 scan is bound by memory bandwidth, which one core does not reach: at 1M rows two threads cut the median
 * query from ~80 to ~44 ms on the 2-core test machine (docs/benchmarks.md).
 */
export function defaultScanThreads(): number {
  return os.availableParallelism() > 1 ? 1 : 0;
}

/**
 * Live rows from which `scan: 'auto'` searches through int8 codes. Below, the float32 rows take little memory
 * (15 MB at 384-d) and reloading them all after a commit is fast. See docs/benchmarks.md (index store, int8).
 */
export const INT8_MIN_ROWS = 20_000;

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

/**
 * The workspace index in one folder. Writers hold a lock file from open() to close(); readers (`readOnly`) need
 * none: they read the manifest and the immutable segments it names, and notice another process's commit by the
 * manifest's changed stamp (checked before every search).
 *
 * Each indexed file's chunks are contiguous rows of one segment. Replacing or removing a file leaves its old rows
 * dead in their segment (never searched: only rows the manifest assigns to a file are loaded); a segment without
 * live rows is deleted, and the live rows are rewritten into one segment when dead rows outnumber live ones.
 *
 * Vectors are loaded on the first search (not by open(): the indexer only needs {@link files}): small indexes as
 * one float32 corpus of the live rows, large ones as int8 codes per segment with exact float32 rescoring from disk
 * (see {@link IndexStoreOptions.scan}); chunk texts stay on disk and are read for the hits.
 */
export class IndexStore {
  private manifest: Manifest;
  private stamp: string | undefined;
  private fileMap: Map<string, FileEntry> | undefined;
  private view: Promise<SearchView> | undefined;
  private readonly codes = new SegmentCodes();
  private workers: Int8ScanWorkers | undefined;
  private commits: Promise<unknown> = Promise.resolve();
  private closed = false;
  private reason: string | undefined;

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number | undefined,
    private readonly lock: WriterLock | undefined,
    private readonly scan: 'auto' | 'fp32' | 'int8',
    private readonly scanThreads: number,
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
    const { maxBytes, readOnly = false, rebuild = false, scan = 'auto', scanThreads = 0 } = options;
    if (!['auto', 'fp32', 'int8'].includes(scan)) throw new RangeError(`scan must be "auto", "fp32" or "int8", got ${String(scan)}.`);
    if (!Number.isInteger(scanThreads) || scanThreads < 0 || scanThreads > 16)
      throw new RangeError(`scanThreads must be an integer from 0 to 16, got ${scanThreads}.`);
    if (maxBytes !== undefined && !(Number.isFinite(maxBytes) && maxBytes > 0)) throw new RangeError(`maxBytes must be a positive number, got ${maxBytes}.`);
    if (readOnly && rebuild) throw new RangeError('A read-only index cannot be rebuilt: open it for writing.');
    const resolved = path.resolve(dir);
    let lock: WriterLock | undefined;
    if (!readOnly) {
      await fsp.mkdir(resolved, { recursive: true }).catch((error: unknown) => {
        throw unusableFolder(resolved, error);
      });
      lock = await WriterLock.acquire(resolved).catch((error: unknown) => {
        throw error instanceof IndexLockedError ? error : unusableFolder(resolved, error);
      });
    }
    const store = new IndexStore(resolved, maxBytes, lock, scan, scanThreads);
    try {
      if (rebuild) store.reason = 'a rebuild was requested';
      else await store.reload();
      if (lock && !rebuild && store.stamp === undefined && store.reason === undefined) {
        await writeFileAtomic(manifestPath(resolved), serializeManifest(store.manifest));
        await store.reload();
      }
    } catch (error) {
      await lock?.release();
      throw error instanceof IndexFormatError ? error : unusableFolder(resolved, error);
    }
    return store;
  }

  /** Why the index on disk was not usable (older format, damaged, rebuild requested); undefined when it was. */
  /** Scan worker threads running now (0 until a segment is large enough to split its scan). */
  get scanWorkers(): number {
    return this.workers?.threads ?? 0;
  }

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

  /**
   * Bytes of RAM the loaded vectors take (0 before the first search loads them): all live float32 rows, or the
   * int8 codes (see {@link IndexStoreOptions.scan}).
   */
  async vectorBytesInMemory(): Promise<number> {
    return this.view ? ((await this.view.catch(() => undefined))?.vectorBytes ?? 0) : 0;
  }

  /** Segments (with the codes files of large ones) plus manifest, as the manifest records them (what the size cap counts). */
  bytesOnDisk(): number {
    return diskBytes(this.manifest, serializeManifest(this.manifest));
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
      const view = await this.loadedView();
      if (queries.length === 0) return [];
      if (view.rows === 0) return queries.map(() => []);
      const dim = this.manifest.identity!.dimension;
      queries.forEach((q, i) => {
        if (q.length !== dim) throw new RangeError(`Query ${i} has dimension ${q.length}, the index has ${dim}.`);
      });
      try {
        return await this.resolveHits(view, await view.search(queries, topK, score));
      } catch (error) {
        // Another process's commit deleted a segment between our manifest read and now: search its new index.
        if (attempt < 3 && isMissingFile(error)) {
          this.view = undefined;
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
    this.view = undefined;
    this.codes.clear();
    await this.workers?.close();
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
    this.view = undefined; // the int8 codes of segments still live are kept (this.codes): only new ones load
  }

  private loadedView(): Promise<SearchView> {
    if (!this.view) {
      const loading = this.loadView();
      this.view = loading;
      loading.catch(() => {
        if (this.view === loading) this.view = undefined;
      });
    }
    return this.view;
  }

  private async loadView(): Promise<SearchView> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.int8Scan()) {
          this.codes.clear();
          return await loadLiveRows(this.dir, this.manifest);
        }
        if (this.scanThreads > 0 && this.manifest.segments.some((s) => s.rows >= SPLIT_SEGMENT_ROWS)) this.workers ??= new Int8ScanWorkers(this.scanThreads);
        return await loadInt8Segments(this.dir, this.manifest, this.codes, this.workers);
      } catch (error) {
        if (attempt >= 3 || !isMissingFile(error)) throw error;
        await this.reload();
      }
    }
  }

  private async resolveHits(view: SearchView, hits: ViewHit[][]): Promise<StoreHit[][]> {
    const wanted = new Set<number>();
    for (const list of hits) for (const h of list) wanted.add(h.file);
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
    return hits.map((list) => list.map((h) => ({ ...chunks.get(h.file)![h.chunk]!, score: h.score })));
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
    const newBytes = diskBytes(plan.manifest, text);
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
    await this.writeMissingCodes(change.signal);
  }

  /**
   * Codes files for the live large segments that lack one: the new segment, or (once) the segments of an index
   * written before codes files existed.
   */
  private async writeMissingCodes(signal: AbortSignal | undefined): Promise<void> {
    for (const segment of this.manifest.segments) {
      if (segment.rows < CODES_FILE_MIN_ROWS) continue;
      const exists = await fsp.stat(codesFile(this.dir, segment.name)).then(
        () => true,
        () => false,
      );
      if (!exists) await this.writeCodes(segment, signal);
    }
  }

  /**
   * Quantises a new large segment and stores its codes (segmentCodesFile.ts), so that the next process to load it
   * reads a quarter of the bytes and quantises nothing. The commit is complete already: a failure here (or an
   * abort) only leaves the segment without codes file, which loads the slower way.
   */
  private async writeCodes(segment: SegmentRecord, signal: AbortSignal | undefined): Promise<void> {
    const dim = this.manifest.identity!.dimension;
    const simd = plansSimd(this.chunkCount(), dim, undefined); // as loadInt8Segments will ask for it
    try {
      signal?.throwIfAborted();
      const corpus = await quantiseSegment(this.dir, segment, dim, simd);
      await writeCodesFile(codesFile(this.dir, segment.name), corpus, signal);
      if (this.int8Scan()) this.codes.adopt(segment.name, simd, corpus);
    } catch {
      // See above: nothing to undo.
    }
  }

  private int8Scan(): boolean {
    return this.scan === 'int8' || (this.scan === 'auto' && this.chunkCount() >= INT8_MIN_ROWS);
  }

  /** Writes and flushes the new segment; on any failure (or abort) removes what was written and rethrows. */
  private async writeSegment(plan: CommitPlan, updates: readonly FileUpdate[], change: IndexChange): Promise<void> {
    const segment = plan.segment!;
    const dim = change.identity.dimension;
    let vectors: BufferedFileWriter | undefined;
    let chunks: BufferedFileWriter | undefined;
    const progress = () =>
      change.onProgress?.({ stage: 'segment', bytesWritten: (vectors?.written ?? 0) + (chunks?.written ?? 0), totalBytes: plan.segmentBytes });
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

  /** Deletes segment files the manifest does not name, and manifest and codes temp files (from this or a killed writer). */
  private async removeUnreferenced(): Promise<void> {
    const live = new Set(this.manifest.segments.map((s) => s.name));
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const segment = segmentOfFile(name);
      if ((segment !== undefined && !live.has(segment)) || isManifestTemp(name) || isCodesTemp(name)) {
        // A reader on Windows may hold the file open; the next commit tries again.
        await fsp.rm(path.join(this.dir, name), { force: true }).catch(() => undefined);
      }
    }
  }
}

/** Segments, their codes files and the manifest text: the index's size on disk, as the size cap counts it. */
function diskBytes(manifest: Manifest, manifestText: string): number {
  const dim = manifest.identity?.dimension ?? 0;
  return segmentBytes(manifest.segments) + manifest.segments.reduce((n, s) => n + codesFileBytes(s.rows, dim), 0) + Buffer.byteLength(manifestText);
}

/** A file-system failure while opening, as one line naming the folder (errors of our own pass through). */
function unusableFolder(dir: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return error as Error;
  // EEXIST comes from mkdir over a file.
  return new Error(`The index folder ${dir} cannot be used: ${code === 'EEXIST' ? 'it is a file, not a folder' : writeFailureReason(error)}.`);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
