import assert from 'node:assert/strict';
import { pieceWords } from '../../../src/core/pieceWords';

describe('core/pieceWords', () => {
  it('joins WordPiece continuations (##) to the piece before them', () => {
    assert.deepEqual(pieceWords(['the', 'ca', '##t', 's', '##at', '.']), ['the', 'cat', 'cat', 'sat', 'sat', '.']);
  });

  it('starts a SentencePiece word at each ▁ piece', () => {
    assert.deepEqual(pieceWords(['▁he', 'llo', '▁world', ',', '▁x']), ['hello', 'hello', 'world,', 'world,', 'x']);
  });

  it('keeps a leading continuation (truncated or odd input) as a word of its own', () => {
    assert.deepEqual(pieceWords(['##ing', 'go']), ['ing', 'go']);
    assert.deepEqual(pieceWords([]), []);
  });
});
