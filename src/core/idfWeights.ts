/** Inverse document frequencies of token ids, in the form `explainAlignment`'s `idf` option takes. */
export interface IdfWeights {
  /** idf of every id seen in the corpus. */
  idf: Map<number, number>;
  /** idf of an id the corpus never holds: log(M + 1). */
  defaultWeight: number;
}

/**
 * BERTScore's `get_idf_dict`: over M documents (each a text's token ids), idf(w) = log((M + 1) / (df(w) + 1)), where
 * df(w) counts the documents holding w at least once; an id no document holds weighs log(M + 1). Ids in every
 * document (the special tokens, a shared prompt) weigh 0.
 */
export function idfWeights(documents: readonly (readonly number[])[]): IdfWeights {
  if (documents.length === 0) throw new RangeError('idf weights need at least one document');
  const df = new Map<number, number>();
  for (const ids of documents) for (const id of new Set(ids)) df.set(id, (df.get(id) ?? 0) + 1);
  const m = documents.length;
  const idf = new Map<number, number>();
  for (const [id, count] of df) idf.set(id, Math.log((m + 1) / (count + 1)));
  return { idf, defaultWeight: Math.log(m + 1) };
}
