import assert from 'node:assert/strict';
import { lowercaseLikeTokenizers } from '../../../src/engine/lowercase';

describe('lowercaseLikeTokenizers (do_lower_case)', () => {
  const bertAdded = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({ content, normalized: false }));

  it("lowercases character by character as tokenizers' Lowercase does (checked in Python: 'οδοσ σοφοσ. i̇x ß')", () => {
    assert.equal(lowercaseLikeTokenizers('ΟΔΟΣ ΣΟΦΟΣ. İx ẞ', []), 'οδοσ σοφοσ. i̇x ß');
  });

  it('leaves added tokens that skip normalisation as they are, and lowercases a normalised one', () => {
    assert.equal(lowercaseLikeTokenizers('Fill the [MASK] Here [SEP][CLS]x [Cls]', bertAdded), 'fill the [MASK] here [SEP][CLS]x [cls]');
    assert.equal(lowercaseLikeTokenizers('A <TAG> B', [{ content: '<TAG>', normalized: true }]), 'a <tag> b');
  });
});
