import { MAX_SEQ_LENGTH } from './types';

/** Turns text into word-piece ids with [CLS] … [SEP]; provided by the tokenizer. */
export type EncodeIds = (text: string) => number[];

export interface TruncatedIds {
  ids: number[];
  truncated: boolean;
}

/**
 * sentence-transformers truncates the word pieces and then adds [CLS]/[SEP], so a long text ends in [SEP]
 * (id 102) at position 255. transformers.js cuts after the special tokens are added and would drop [SEP], so the
 * ids are cut here instead: keep [CLS] + the first 254 pieces, then put [SEP] back.
 */
export function truncateIds(ids: number[], sepId: number, maxLength = MAX_SEQ_LENGTH): TruncatedIds {
  if (ids.length <= maxLength) return { ids, truncated: false };
  const cut = ids.slice(0, maxLength - 1);
  cut.push(sepId);
  return { ids: cut, truncated: true };
}

/** Characters tokenised in the first attempt on a long text; grows ×4 until enough word pieces are found. */
const FIRST_PREFIX_CHARS = 4096;

/**
 * Tokenises only as much of a very long text as the model can see. BERT's normaliser and pre-tokeniser work per
 * character and split at whitespace, so a prefix that ends at whitespace yields exactly the leading word pieces of
 * the whole text. Once a prefix gives more than `maxLength` ids the rest cannot change the result, and a 1 MB text
 * costs about as much as a 4 KB one.
 */
export function encodeTruncated(text: string, encode: EncodeIds, sepId: number, maxLength = MAX_SEQ_LENGTH): TruncatedIds {
  for (let chars = FIRST_PREFIX_CHARS; chars < text.length; chars *= 4) {
    const end = lastWhitespaceAtOrBefore(text, chars);
    if (end <= 0) break;
    const ids = encode(text.slice(0, end));
    if (ids.length > maxLength) return truncateIds(ids, sepId, maxLength);
  }
  return truncateIds(encode(text), sepId, maxLength);
}

function lastWhitespaceAtOrBefore(text: string, index: number): number {
  for (let i = Math.min(index, text.length - 1); i > 0; i--) {
    if (/\s/.test(text[i]!)) return i;
  }
  return -1;
}
