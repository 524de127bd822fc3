/**
 * The searchable view of an index: its live rows in one FlatCorpus (dead rows are never loaded), and which file
 * each row belongs to.
 */
import { promises as fsp } from 'node:fs';
import { FlatCorpus } from '../../core/flatCorpus';
import { inRowOrder } from './commitPlan';
import type { Manifest, StoredFile } from './indexManifest';
import { readVectorRows, vectorFile } from './segmentFiles';

export interface CorpusView {
  /** Null when nothing is indexed. */
  readonly corpus: FlatCorpus | null;
  /** Files with chunks, in corpus row order. */
  readonly files: readonly StoredFile[];
  /** Corpus row of each file's first chunk (ascending). */
  readonly rowStarts: Int32Array;
}

/** Reads every live row of `manifest` into one corpus, segment by segment, runs of adjacent rows at a time. */
export async function loadLiveRows(dir: string, manifest: Manifest): Promise<CorpusView> {
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

/** Which file (index into `view.files`) holds corpus row `row`. */
export function fileOfRow(view: CorpusView, row: number): number {
  return upperBound(view.rowStarts, row) - 1;
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
