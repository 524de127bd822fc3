import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { paraphraseMining } from '../../../src/core/paraphraseMining';
import { referenceParaphraseMining } from './pythonReference';
import { intVectors, randomUnitVectors } from './testVectors';

describe('core/paraphraseMining', () => {
  it('mines a hand-checked example: best pairs first, i < j, no self pairs', () => {
    const vectors = [[1, 0, 0], [0, 1, 0], [0.9, 0.1, 0], [0, 0.95, 0.05]];
    const pairs = paraphraseMining(vectors, { topK: 1 });
    assert.deepEqual(pairs.map(([, i, j]) => [i, j]), [[1, 3], [0, 2]]);
    assert.ok(Math.abs(pairs[1][0] - 0.9 / Math.hypot(0.9, 0.1)) < 1e-6);
  });

  it('never admits a pair scoring exactly -1 (Python starts with min_score = -1 and compares with >)', () => {
    assert.deepEqual(paraphraseMining([[1, 0], [-1, 0]]), []);
  });

  it('keeps max_pairs - 1 entries once the queue cap is reached, as Python does', () => {
    const vectors = randomUnitVectors(30, 16, 5);
    assert.equal(paraphraseMining(vectors, { topK: 29, maxPairs: 10 }).length <= 9, true);
    assert.equal(paraphraseMining(vectors, { topK: 29, maxPairs: 10 }).length, referenceParaphraseMining(vectors.map((v) => Array.from(v)), 5000, 100000, 10, 29).length);
  });

  it('matches a literal translation of the Python algorithm (chunks, caps, duplicates)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 2),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (dim, topK, maxPairs, queryChunk, corpusChunk) => {
          fc.assert(
            fc.property(intVectors(dim, 0, 18), (vectors) => {
              const options = { topK, maxPairs, queryChunkSize: queryChunk, corpusChunkSize: corpusChunk };
              const actual = paraphraseMining(vectors, options);
              const expected = referenceParaphraseMining(vectors, queryChunk, corpusChunk, maxPairs, topK);
              assert.deepEqual(actual, expected);
              // The SIMD kernel gives the same result (integer components: every dot product is exact).
              assert.deepEqual(paraphraseMining(flattenCorpus(vectors, { simd: true, dim }), options), expected);
              const seen = new Set<string>();
              for (let k = 0; k < actual.length; k++) {
                const [score, i, j] = actual[k];
                assert.ok(i < j, `pair ${i}, ${j} not ordered`);
                assert.ok(!seen.has(`${i},${j}`));
                seen.add(`${i},${j}`);
                if (k > 0) assert.ok(actual[k - 1][0] >= score);
              }
            }),
            { numRuns: 10 },
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('finds planted near-duplicates among 384-d random vectors with the default options', () => {
    const vectors = randomUnitVectors(300, 384, 9);
    const noisy = randomUnitVectors(5, 384, 10);
    for (let k = 0; k < 5; k++) vectors.push(vectors[k].map((x, d) => x + 0.05 * noisy[k][d]));
    const pairs = paraphraseMining(vectors);
    assert.deepEqual(pairs.slice(0, 5).map(([, i, j]) => [i, j]).sort((a, b) => a[0] - b[0]), [[0, 300], [1, 301], [2, 302], [3, 303], [4, 304]]);
    assert.equal(pairs.length, new Set(pairs.map(([, i, j]) => `${i},${j}`)).size);
  });

  it('validates its options', () => {
    assert.throws(() => paraphraseMining([[1]], { maxPairs: 0 }), /maxPairs/);
    assert.throws(() => paraphraseMining([[1]], { topK: -1 }), /topK/);
  });
});
