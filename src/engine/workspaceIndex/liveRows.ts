/**
 * The float32 search view of an index: its live rows in one FlatCorpus (dead rows are never loaded), and which
 * file each row belongs to. Simple and without disk reads per search; every commit reloads it whole.
 */
import { promises as fsp } from 'node:fs';
import { FlatCorpus, type ScoreFunction } from '../../core/flatCorpus';
import { semanticSearch } from '../../core/semanticSearch';
import { inRowOrder } from './commitPlan';
import type { Manifest, StoredFile } from './indexManifest';
import { upperBound, type SearchView, type ViewHit } from './searchView';
import { readVectorRows, vectorFile } from './segmentFiles';

class LiveRowsView implements SearchView {
  constructor(
    /** Null when nothing is indexed. */
    private readonly corpus: FlatCorpus | null,
    readonly files: readonly StoredFile[],
    /** Corpus row of each file's first chunk (ascending). */
    private readonly rowStarts: Int32Array,
  ) {}

  get rows(): number {
    return this.corpus?.count ?? 0;
  }

  get vectorBytes(): number {
    return this.corpus ? this.corpus.data.byteLength + this.corpus.inverseNorms.byteLength : 0;
  }

  async search(queries: readonly Float32Array[], topK: number, score: ScoreFunction): Promise<ViewHit[][]> {
    if (!this.corpus) return queries.map(() => []);
    return semanticSearch(queries, this.corpus, { topK, scoreFunction: score }).map((list) =>
      list.map((h) => {
        const file = upperBound(this.rowStarts, h.corpus_id) - 1;
        return { file, chunk: h.corpus_id - this.rowStarts[file]!, score: h.score };
      }),
    );
  }
}

/** Reads every live row of `manifest` into one corpus, segment by segment, runs of adjacent rows at a time. */
export async function loadLiveRows(dir: string, manifest: Manifest): Promise<SearchView> {
  const files = inRowOrder(manifest.files, manifest.segments).filter((f) => f.chunks > 0);
  const rowStarts = new Int32Array(files.length);
  let rows = 0;
  files.forEach((f, i) => {
    rowStarts[i] = rows;
    rows += f.chunks;
  });
  const dim = manifest.identity?.dimension ?? 0;
  if (rows === 0) return new LiveRowsView(null, files, rowStarts);
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
  return new LiveRowsView(corpus.finish(), files, rowStarts);
}
