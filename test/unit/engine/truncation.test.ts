import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeTruncated, truncateIds, truncateIdsLeft } from '../../../src/engine/truncation';
import { tokenizerSides } from '../../../src/engine/tokenizerSides';

const CLS = 101;
const SEP = 102;

/** A whitespace word tokenizer standing in for WordPiece: one id per word, with [CLS]/[SEP] around. */
function wordEncoder(calls: string[] = []) {
  return (text: string) => {
    calls.push(text);
    const words = text.split(/\s+/).filter(Boolean);
    return [CLS, ...words.map((w) => 1000 + (w.length % 50)), SEP];
  };
}

describe('truncateIdsLeft (truncation_side "left")', () => {
  it('keeps [CLS], the end of the content and [SEP]; short sequences stay as they are', () => {
    const ids = [CLS, 1, 2, 3, 4, 5, 6, SEP];
    assert.deepEqual(truncateIdsLeft(ids, 1, 5), { ids: [CLS, 4, 5, 6, SEP], truncated: true });
    assert.deepEqual(truncateIdsLeft(ids, 1, 8), { ids, truncated: false });
    assert.deepEqual(truncateIdsLeft(ids, 0, 3), { ids: [5, 6, SEP], truncated: true });
  });
});

describe('tokenizerSides', () => {
  it("reads tokenizer_config.json's sides first, then tokenizer.json's directions, else right; refuses other values", () => {
    assert.deepEqual(tokenizerSides({ tokenizer: {}, config: {} }, 'd'), { truncation: 'right', padding: 'right' });
    assert.deepEqual(
      tokenizerSides({ tokenizer: { truncation: { direction: 'Left' }, padding: { direction: 'Left' } }, config: { padding_side: 'right' } }, 'd'),
      { truncation: 'left', padding: 'right' },
    );
    assert.throws(
      () => tokenizerSides({ tokenizer: {}, config: { truncation_side: 'middle' } }, 'd'),
      /d sets truncation_side to "middle"; transformers accepts "left" or "right"/,
    );
  });
});

describe('truncateIds', () => {
  it('keeps short sequences as they are', () => {
    const ids = [CLS, 5, 6, SEP];
    assert.deepEqual(truncateIds(ids, SEP), { ids, truncated: false });
  });

  it('cuts to 256 and keeps [CLS] first and [SEP] last, like sentence-transformers', () => {
    const ids = [CLS, ...Array.from({ length: 400 }, (_, i) => 2000 + i), SEP];
    const { ids: cut, truncated } = truncateIds(ids, SEP);
    assert.equal(truncated, true);
    assert.equal(cut.length, 256);
    assert.equal(cut[0], CLS);
    assert.equal(cut[255], SEP);
    assert.deepEqual(cut.slice(1, 255), ids.slice(1, 255));
  });

  it('a sequence of exactly 256 is not truncated', () => {
    const ids = [CLS, ...Array.from({ length: 254 }, () => 7), SEP];
    assert.equal(truncateIds(ids, SEP).truncated, false);
  });
});

describe('encodeTruncated', () => {
  it('gives the same ids for a long text as tokenising all of it', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 0, maxLength: 3000 }), fc.constantFrom(' ', '\n', '  \t'), (words, gap) => {
        const text = words.join(gap);
        const full = truncateIds(wordEncoder()(text), SEP);
        assert.deepEqual(encodeTruncated(text, wordEncoder(), SEP), full);
      }),
      { numRuns: 60 },
    );
  });

  it('tokenises only a prefix of a 1 MB text', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(40_000);
    const calls: string[] = [];
    const result = encodeTruncated(text, wordEncoder(calls), SEP);
    assert.equal(result.ids.length, 256);
    assert.equal(result.truncated, true);
    assert.ok(
      calls.every((c) => c.length < 100_000),
      `tokenised ${Math.max(...calls.map((c) => c.length))} characters`,
    );
  });

  it('reads only a part of a 10 MB text without whitespace (a long word is one [UNK] whatever its length)', () => {
    const calls: string[] = [];
    const result = encodeTruncated('x'.repeat(10_000_000), wordEncoder(calls), SEP);
    assert.equal(result.truncated, false);
    assert.ok(
      calls.every((c) => c.length < 1000),
      `tokenised ${Math.max(...calls.map((c) => c.length))} characters`,
    );
  });

  it('cuts a 10 MB text of punctuation or CJK at its separators', () => {
    for (const text of ['ab,'.repeat(3_400_000), '天'.repeat(10_000_000)]) {
      const calls: string[] = [];
      encodeTruncated(text, (t) => (calls.push(t), [CLS, ...Array.from({ length: t.length }, () => 7), SEP]), SEP);
      assert.ok(
        calls.every((c) => c.length <= 4096),
        `tokenised ${Math.max(...calls.map((c) => c.length))} characters`,
      );
    }
  });

  it('tokenises the whole text for a tokenizer the cut is not proven for', () => {
    const text = 'lorem ipsum '.repeat(1000);
    const calls: string[] = [];
    encodeTruncated(text, wordEncoder(calls), SEP, 256, false);
    assert.deepEqual(calls, [text]);
  });
});
