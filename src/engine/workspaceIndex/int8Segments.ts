/**
 * The int8 search view of an index: one {@link Int8Corpus} per live segment, over all its rows (segments are
 * immutable, so a corpus is built once per segment and kept across commits; rows that no live file owns are
 * skipped per search). Only the int8 codes stay in memory (about a quarter of the float32 rows); the few rows each
 * search rescores are read from the segment's `.vectors` file with positioned reads.
 */
import { promises as fsp } from 'node:fs';
import { plansSimd, type ScoreFunction } from '../../core/flatCorpus';
import { Int8CorpusBuilder, type Int8Corpus, type Int8ScanThreads } from '../../core/int8Corpus';
import { inRowOrder } from './commitPlan';
import type { Manifest, SegmentRecord, StoredFile } from './indexManifest';
import { upperBound, type SearchView, type ViewHit } from './searchView';
import { CODES_FILE_MIN_ROWS, readCodesFile } from './segmentCodesFile';
import { codesFile, readVectorRows, vectorFile } from './segmentFiles';

/** Rows read per block while a segment is quantised: 6 MiB of float32 at 384-d, whatever the segment's size. */
const LOAD_BLOCK_ROWS = 4096;

/**
 * Int8 corpora of segments by name, shared by the successive views of one store: after a commit only the new
 * segment is read. Keyed also by the float32 kernel choice that rescoring reproduces (it follows the live row
 * count, see {@link loadInt8Segments}).
 */
export class SegmentCodes {
  private readonly loaded = new Map<string, Promise<Int8Corpus>>();
  /** Segments quantised from their float32 rows so far (what a commit should add one to, not the index's count). */
  quantised = 0;
  /** Segments loaded from their codes file so far. */
  restored = 0;

  get(dir: string, segment: SegmentRecord, dim: number, simd: boolean): Promise<Int8Corpus> {
    const key = codesKey(segment.name, simd);
    let corpus = this.loaded.get(key);
    if (!corpus) {
      const loading = this.load(dir, segment, dim, simd);
      corpus = loading;
      this.loaded.set(key, loading);
      loading.catch(() => {
        if (this.loaded.get(key) === loading) this.loaded.delete(key);
      });
    }
    return corpus;
  }

  /** Takes a corpus the caller quantised (a commit that wrote the segment's codes file). */
  adopt(segment: string, simd: boolean, corpus: Int8Corpus): void {
    this.loaded.set(codesKey(segment, simd), Promise.resolve(corpus));
  }

  private async load(dir: string, segment: SegmentRecord, dim: number, simd: boolean): Promise<Int8Corpus> {
    if (segment.rows >= CODES_FILE_MIN_ROWS) {
      const stored = await readCodesFile(codesFile(dir, segment.name), segment.rows, dim, plansSimd(segment.rows, dim, simd));
      if (stored) {
        this.restored++;
        return stored;
      }
    }
    this.quantised++;
    return quantiseSegment(dir, segment, dim, simd);
  }

  /** Drops every corpus but those of `keep` (segment names). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.loaded.keys()) if (!keep.has(key.slice(0, key.lastIndexOf(':')))) this.loaded.delete(key);
  }

  clear(): void {
    this.loaded.clear();
  }
}

function codesKey(segment: string, simd: boolean): string {
  return `${segment}:${simd ? 'simd' : 'js'}`;
}

/** Reads a segment's float32 rows block by block into an int8 corpus. */
export async function quantiseSegment(dir: string, segment: SegmentRecord, dim: number, simd: boolean): Promise<Int8Corpus> {
  const builder = new Int8CorpusBuilder(segment.rows, dim, { simd });
  const block = new Float32Array(Math.min(LOAD_BLOCK_ROWS, segment.rows) * dim);
  const handle = await fsp.open(vectorFile(dir, segment.name), 'r');
  try {
    for (let row = 0; row < segment.rows; row += LOAD_BLOCK_ROWS) {
      const n = Math.min(LOAD_BLOCK_ROWS, segment.rows - row);
      await readVectorRows(handle, row, n, dim, block, 0);
      builder.add(block.subarray(0, n * dim));
    }
  } finally {
    await handle.close();
  }
  return builder.finish();
}

interface LiveSegment {
  readonly name: string;
  readonly corpus: Int8Corpus;
  /** 1 for rows no live file owns. */
  readonly dead: Uint8Array;
  /** First row of each live file of the segment (ascending), and its index in the view's files. */
  readonly fileRows: Int32Array;
  readonly fileIds: Int32Array;
}

interface SegmentHit {
  readonly segment: number;
  readonly row: number;
  readonly score: number;
}

class Int8SegmentsView implements SearchView {
  constructor(
    private readonly dir: string,
    private readonly dim: number,
    readonly files: readonly StoredFile[],
    readonly rows: number,
    private readonly segments: readonly LiveSegment[],
    private readonly threads: Int8ScanThreads | undefined,
  ) {}

  get vectorBytes(): number {
    return this.segments.reduce((n, s) => n + s.corpus.bytes + s.dead.byteLength, 0);
  }

  async search(queries: readonly Float32Array[], topK: number, score: ScoreFunction): Promise<ViewHit[][]> {
    const answers: ViewHit[][] = [];
    for (const query of queries) answers.push(await this.searchOne(query, topK, score));
    return answers;
  }

  /** Each segment's exact top k, merged: by score, then index row order (segment order, then row). */
  private async searchOne(query: Float32Array, topK: number, score: ScoreFunction): Promise<ViewHit[]> {
    const perSegment = await Promise.all(
      this.segments.map((s) =>
        s.corpus.search(query, topK, (ids) => this.readRows(s.name, ids), { scoreFunction: score, skipRows: s.dead, threads: this.threads }),
      ),
    );
    const merged: SegmentHit[] = [];
    perSegment.forEach((hits, segment) => {
      for (const h of hits) merged.push({ segment, row: h.corpus_id, score: h.score });
    });
    merged.sort((a, b) => b.score - a.score || a.segment - b.segment || a.row - b.row);
    return merged.slice(0, topK).map((h) => {
      const s = this.segments[h.segment]!;
      const at = upperBound(s.fileRows, h.row) - 1;
      return { file: s.fileIds[at]!, chunk: h.row - s.fileRows[at]!, score: h.score };
    });
  }

  /** The float32 rows `ids` (ascending) of one segment, runs of adjacent rows read at once. */
  private async readRows(segment: string, ids: readonly number[]): Promise<Float32Array[]> {
    const dim = this.dim;
    const rows = new Float32Array(ids.length * dim);
    const handle = await fsp.open(vectorFile(this.dir, segment), 'r');
    try {
      for (let i = 0; i < ids.length;) {
        let j = i + 1;
        while (j < ids.length && ids[j] === ids[j - 1]! + 1) j++;
        await readVectorRows(handle, ids[i]!, j - i, dim, rows, i);
        i = j;
      }
    } finally {
      await handle.close();
    }
    return ids.map((_, i) => rows.subarray(i * dim, (i + 1) * dim));
  }
}

/**
 * The int8 view of `manifest`, reusing the corpora `codes` already holds. The float32 kernel that rescoring uses
 * is the one a FlatCorpus of all live rows would use (SIMD unless the rows pass 2 GiB), so that scores are those of
 * the float32 store to the last bit.
 */
export async function loadInt8Segments(dir: string, manifest: Manifest, codes: SegmentCodes, threads: Int8ScanThreads | undefined): Promise<SearchView> {
  const files = inRowOrder(manifest.files, manifest.segments).filter((f) => f.chunks > 0);
  const dim = manifest.identity?.dimension ?? 0;
  const rows = files.reduce((n, f) => n + f.chunks, 0);
  const simd = plansSimd(rows, dim, undefined);
  const segments: LiveSegment[] = [];
  let next = 0;
  for (const segment of manifest.segments) {
    const first = next;
    while (next < files.length && files[next]!.segment === segment.name) next++;
    if (next === first) continue;
    const corpus = await codes.get(dir, segment, dim, simd);
    const dead = new Uint8Array(segment.rows).fill(1);
    const fileRows = new Int32Array(next - first);
    const fileIds = new Int32Array(next - first);
    for (let i = first; i < next; i++) {
      const f = files[i]!;
      dead.fill(0, f.row, f.row + f.chunks);
      fileRows[i - first] = f.row;
      fileIds[i - first] = i;
    }
    segments.push({ name: segment.name, corpus, dead, fileRows, fileIds });
  }
  codes.retain(new Set(segments.map((s) => s.name)));
  return new Int8SegmentsView(dir, dim, files, rows, segments, threads);
}
