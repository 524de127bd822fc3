import assert from 'node:assert/strict';
import {
  comparisonMessage,
  encodeMessage,
  rankedLineItem,
  score4,
  shorten,
  similarityReading,
  vectorJson,
  vectorPreview,
} from '../../../src/commands/resultMessages';
import { english } from '../../../src/shared/translate';

describe('command result messages', () => {
  it('the comparison notification gives cosine, its reading, Euclidean distance and both texts', () => {
    const message = comparisonMessage('A man is eating food.', 'A man is eating a piece of bread.', 0.75423, 0.70111, english);
    assert.equal(message, 'Cosine similarity 0.7542 (similar), Euclidean distance 0.7011: “A man is eating food.” vs “A man is eating a piece of bread.”');
  });

  it('a model scored by another function leads with that score, named; a cosine model reads as before', () => {
    const dot = comparisonMessage('a', 'b', 0.5, 1, english, { name: 'my-dot-model', similarityFunction: 'dot', score: 12.5 });
    assert.equal(
      dot,
      'Dot product 12.5000 (the score my-dot-model is trained for); cosine similarity 0.5000 (somewhat related), Euclidean distance 1.0000: “a” vs “b”',
    );
    const cosine = comparisonMessage('a', 'b', 0.5, 1, english, { name: 'all-MiniLM-L6-v2', similarityFunction: 'cosine', score: 0.5 });
    assert.equal(cosine, comparisonMessage('a', 'b', 0.5, 1, english));
  });

  it('long texts are shortened to one line with an ellipsis', () => {
    const long = `${'word '.repeat(30)}\nend`;
    const short = shorten(long, 40);
    assert.equal(short.length, 40);
    assert.ok(short.endsWith('…') && !short.includes('\n'));
    assert.equal(shorten('  a\n b  '), 'a b');
  });

  it('reads scores in the same bands as the Studio panel', () => {
    assert.deepEqual(
      [0.95, 0.8, 0.7999, 0.6, 0.45, 0.2, 0.19, -0.3].map((s) => similarityReading(s, english)),
      ['very similar', 'very similar', 'similar', 'similar', 'somewhat related', 'weakly related', 'unrelated', 'unrelated'],
    );
  });

  it('score4 never prints negative zero', () => {
    assert.equal(score4(-0.00001), '0.0000');
    assert.equal(score4(-0.5), '-0.5000');
  });

  it('the encode summary names dimension, norm, word pieces and the first components, and warns about truncation', () => {
    const vector = Float32Array.from({ length: 384 }, (_, i) => (i === 0 ? -0.125 : 0.05));
    const plain = encodeMessage('hello world', vector, 1, { count: 4, truncated: false }, english);
    assert.equal(plain, '“hello world”: 384 dimensions, norm 1.0000, 4 word pieces. [-0.1250, 0.0500, 0.0500, 0.0500, 0.0500, 0.0500, …]');
    const cut = encodeMessage('long', vector, 1, { count: 256, truncated: true }, english);
    assert.match(cut, /256 word pieces\..*cut at 256 word pieces/);
  });

  it('vectorPreview leaves out the ellipsis for short vectors', () => {
    assert.equal(vectorPreview([0.1, 0.2]), '[0.1000, 0.2000]');
  });

  it('vectorJson is a JSON array of the exact float32 values', () => {
    const vector = Float32Array.from([0.1, -2.5, 1 / 3]);
    const parsed = JSON.parse(vectorJson(vector)) as number[];
    assert.equal(parsed.length, 3);
    parsed.forEach((value, i) => assert.equal(Math.fround(value), vector[i]));
  });

  it('ranked QuickPick items start with the score and point at a 1-based line', () => {
    const item = rankedLineItem({ line: 41, text: 'A man is riding a horse.', score: 0.61234 }, 2, english);
    assert.deepEqual(item, { label: '0.6123  A man is riding a horse.', description: 'line 42', detail: '#3 · similar' });
  });
});
