import { FlatCorpus, flattenCorpus, type ScoreFunction } from './flatCorpus';
import { topKIndices } from './topK';
import type { Vector } from './vector';

/** One result, with the field names of `sentence_transformers.util.semantic_search`. */
export interface SearchHit {
  readonly corpus_id: number;
  readonly score: number;
}

export interface SemanticSearchOptions {
  /** Results per query (default 10). More than the corpus holds returns the whole corpus, ranked. */
  readonly topK?: number;
  /**
   * Accepted for parity with sentence-transformers (default 100). Queries are scored one at a time here, so it has
   * no effect on results or memory.
   */
  readonly queryChunkSize?: number;
  /**
   * The corpus is ranked in chunks of this many rows (default 500,000) and the per-chunk winners merged, as in
   * sentence-transformers; it only matters for which of several equal scores survive.
   */
  readonly corpusChunkSize?: number;
  readonly scoreFunction?: ScoreFunction;
}

/**
 * Top-k semantic search with the semantics of `sentence_transformers.util.semantic_search`: for every query, the
 * `topK` corpus entries with the highest cosine (or dot) score, best first. Pass the corpus through
 * {@link flattenCorpus} once when searching it repeatedly.
 *
 * Ties: within a corpus chunk equal scores prefer the lower corpus id; across chunks the merge keeps the greater
 * `(score, corpus_id)` tuple, as Python's heap does; results with equal scores are listed by ascending corpus id.
 */
export function semanticSearch(
  queries: Vector | readonly Vector[] | FlatCorpus,
  corpus: readonly Vector[] | FlatCorpus,
  options: SemanticSearchOptions = {},
): SearchHit[][] {
  const topK = options.topK ?? 10;
  const corpusChunkSize = options.corpusChunkSize ?? 500_000;
  const scoreFunction = options.scoreFunction ?? 'cosine';
  checkPositiveInteger('queryChunkSize', options.queryChunkSize ?? 100);
  checkPositiveInteger('corpusChunkSize', corpusChunkSize);
  if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be a non-negative integer, got ${topK}.`);

  const flatCorpus = flattenCorpus(corpus);
  const flatQueries = queries instanceof FlatCorpus ? queries : flattenCorpus(isSingleVector(queries) ? [queries] : queries, { simd: false });
  if (flatQueries.count > 0 && flatCorpus.count > 0 && flatQueries.dim !== flatCorpus.dim) {
    throw new RangeError(`Queries have dimension ${flatQueries.dim}, corpus has ${flatCorpus.dim}.`);
  }

  const chunkLength = Math.min(corpusChunkSize, flatCorpus.count);
  const scores = new Float32Array(chunkLength);
  const results: SearchHit[][] = [];
  for (let q = 0; q < flatQueries.count; q++) {
    results.push(searchOne(flatQueries, q, flatCorpus, topK, corpusChunkSize, scoreFunction, scores));
  }
  return results;
}

function searchOne(
  queries: FlatCorpus,
  q: number,
  corpus: FlatCorpus,
  topK: number,
  chunkSize: number,
  scoreFunction: ScoreFunction,
  scores: Float32Array,
): SearchHit[] {
  if (topK === 0 || corpus.count === 0) return [];
  if (chunkSize >= corpus.count) {
    queries.scoreRowInto(q, scores, scoreFunction, corpus, 0, corpus.count);
    const ids = topKIndices(scores, topK, corpus.count);
    return Array.from(ids, (id) => ({ corpus_id: id, score: scores[id] }));
  }
  // Several chunks: merge each chunk's winners keeping the top-k (score, corpus_id) tuples, like heapq.heappushpop.
  let kept: SearchHit[] = [];
  for (let start = 0; start < corpus.count; start += chunkSize) {
    const end = Math.min(start + chunkSize, corpus.count);
    queries.scoreRowInto(q, scores, scoreFunction, corpus, start, end);
    for (const local of topKIndices(scores, topK, end - start)) kept.push({ corpus_id: start + local, score: scores[local] });
    kept.sort((a, b) => b.score - a.score || b.corpus_id - a.corpus_id);
    kept = kept.slice(0, topK);
  }
  return kept.sort((a, b) => b.score - a.score || a.corpus_id - b.corpus_id);
}

function isSingleVector(value: Vector | readonly Vector[]): value is Vector {
  return value instanceof Float32Array || (value.length > 0 && typeof value[0] === 'number');
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
}
