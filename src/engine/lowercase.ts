/** An added token of tokenizer.json (the part that decides whether normalisers see it). */
export interface AddedToken {
  content?: string;
  normalized?: boolean;
}

/**
 * What sentence-transformers' `do_lower_case` does to a text: it puts a `Lowercase` normaliser in front of the
 * tokenizer's own, so (1) added tokens that skip normalisation (`[CLS]`, `[MASK]`, `<s>` written in the text) are
 * split off first and keep their case, and (2) every other character is lowercased on its own, as Rust's
 * `char::to_lowercase` does: a final Σ becomes σ, not the ς of `String.prototype.toLowerCase`.
 */
export function lowercaseLikeTokenizers(text: string, addedTokens: readonly AddedToken[]): string {
  const kept = addedTokens
    .filter((t) => t.normalized === false && t.content)
    .map((t) => t.content!)
    .sort((a, b) => b.length - a.length);
  if (!kept.some((token) => text.includes(token))) return lowercaseEach(text);
  const pattern = new RegExp(kept.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
  let out = '';
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    out += lowercaseEach(text.slice(at, match.index)) + match[0];
    at = match.index + match[0].length;
  }
  return out + lowercaseEach(text.slice(at));
}

function lowercaseEach(text: string): string {
  // Final_Sigma is the only context rule String.prototype.toLowerCase applies (the others are per language, which
  // it does not use), so without a Σ the whole-string call is the per-character result, and much faster.
  if (!text.includes('Σ')) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}
