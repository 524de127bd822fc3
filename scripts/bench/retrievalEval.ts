/**
 * Scores a chunking on a retrieval set: every chunk of every document is embedded, each query ranks the FILES by
 * their best chunk (as the workspace search shows them), and the rank of the query's file gives hit@1, hit@5 and
 * the mean reciprocal rank.
 */
import { flattenCorpus, semanticSearch } from '../../src/core';
import type { RetrievalDocument, RetrievalSet } from './retrievalSet';

export interface RetrievalScore {
  readonly hitAt1: number;
  readonly hitAt5: number;
  readonly mrr: number;
  /** Chunks embedded for all documents: the index size this chunking costs. */
  readonly chunks: number;
  readonly queries: number;
}

/** The texts a chunking embeds for one document. */
export type ChunkTexts = (document: RetrievalDocument) => string[];

/** Embeds each distinct text once, so that variants sharing chunks (the same sentence) share the work. */
export class MemoEncoder {
  private readonly memo = new Map<string, Float32Array>();
  constructor(private readonly encode: (texts: string[]) => Promise<Float32Array[]>) {}

  get size(): number {
    return this.memo.size;
  }

  async vectors(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.memo.has(t)))];
    if (missing.length > 0) {
      const vectors = await this.encode(missing);
      missing.forEach((t, i) => this.memo.set(t, vectors[i]!));
    }
    return texts.map((t) => this.memo.get(t)!);
  }
}

export async function scoreChunking(set: RetrievalSet, chunkTexts: ChunkTexts, encoder: MemoEncoder): Promise<RetrievalScore> {
  const texts: string[] = [];
  const fileOf: number[] = [];
  const fileIndex = new Map<string, number>();
  set.documents.forEach((document, f) => {
    fileIndex.set(document.path, f);
    for (const text of chunkTexts(document)) {
      texts.push(text);
      fileOf.push(f);
    }
  });
  const corpus = flattenCorpus(await encoder.vectors(texts));
  const queryVectors = await encoder.vectors(set.queries.map((q) => q.text));
  let hitAt1 = 0;
  let hitAt5 = 0;
  let reciprocal = 0;
  set.queries.forEach((query, q) => {
    const target = fileIndex.get(query.path);
    if (target === undefined) throw new Error(`query ${q} names ${query.path}, which is not in the set`);
    const rank = fileRank(semanticSearch(queryVectors[q]!, corpus, { topK: texts.length })[0]!, fileOf, target);
    if (rank === 1) hitAt1++;
    if (rank <= 5) hitAt5++;
    reciprocal += 1 / rank;
  });
  const n = set.queries.length;
  return { hitAt1: hitAt1 / n, hitAt5: hitAt5 / n, mrr: reciprocal / n, chunks: texts.length, queries: n };
}

/** 1-based rank of the target file when files are ordered by their best chunk's score. */
function fileRank(hits: readonly { corpus_id: number }[], fileOf: readonly number[], target: number): number {
  const ahead = new Set<number>();
  for (const hit of hits) {
    const file = fileOf[hit.corpus_id]!;
    if (file === target) return ahead.size + 1;
    ahead.add(file);
  }
  // A file with no chunk at all ranks after every file that has one.
  return ahead.size + 1;
}
