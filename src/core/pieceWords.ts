/**
 * The whole word each word piece belongs to, rebuilt from the pieces alone: WordPiece marks a continuation with a
 * leading `##` (`play ##ing` → "playing"), SentencePiece marks a word start with `▁` (`▁play ing` → "playing"). A
 * list holding any `▁` piece is read as SentencePiece. Every piece gets the word it is part of, so a hover on `##ing`
 * can show "playing".
 */
export function pieceWords(pieces: readonly string[]): string[] {
  const sentencePiece = pieces.some((p) => p.startsWith('▁'));
  const starts = pieces.map((p, i) => i === 0 || (sentencePiece ? p.startsWith('▁') : !p.startsWith('##')));
  const words: string[] = new Array<string>(pieces.length);
  let start = 0;
  for (let i = 0; i <= pieces.length; i++) {
    if (i < pieces.length && !(starts[i] && i > start)) continue;
    const word = pieces
      .slice(start, i)
      .map((p) => (sentencePiece ? p.replace(/^▁/, '') : p.replace(/^##/, '')))
      .join('');
    for (let k = start; k < i; k++) words[k] = word;
    start = i;
  }
  return words;
}
