import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { paraphraseMining } from '../../../src/core/paraphraseMining';
import { referenceParaphraseMining } from './pythonReference';
import { intVectors, randomUnitVectors } from './testVectors';

describe('core/paraphraseMining', () => {
  it('mines a hand-checked example: best pairs first, i < j, no self pairs', () => {
    const vectors = [
      [1, 0, 0],
      [0, 1, 0],
      [0.9, 0.1, 0],
      [0, 0.95, 0.05],
    ];
    const pairs = paraphraseMining(vectors, { topK: 1 });
    assert.deepEqual(
      pairs.map(([, i, j]) => [i, j]),
      [
        [1, 3],
        [0, 2],
      ],
    );
    assert.ok(Math.abs(pairs[1][0] - 0.9 / Math.hypot(0.9, 0.1)) < 1e-6);
  });

  // The expected values below are what sentence-transformers 6.2.0 returns for these float32 vectors (6.0.1's
  // results, which the port followed before, are quoted in each test).
  const fourInAPlane = [
    [1, 0],
    [0.98, 0.2],
    [0.8, 0.6],
    [0.6, 0.8],
  ]; // pair cosines all distinct

  it('max_pairs counts distinct pairs and keeps that many (6.2.0; 6.0.1 queued both orientations and kept max_pairs - 1)', () => {
    // 6.0.1: [[0.9798, 0, 1]] only. 6.2.0: the three best distinct pairs.
    const pairs = paraphraseMining(fourInAPlane, { topK: 3, maxPairs: 3 });
    assert.deepEqual(
      pairs.map(([, i, j]) => [i, j]),
      [
        [0, 1],
        [2, 3],
        [1, 2],
      ],
    );
    // (torch normalises, then multiplies: the last bits may differ from src/core's float32 kernel)
    [0.9798040390014648, 0.9600000381469727, 0.90381920337677].forEach((s, k) => assert.ok(Math.abs(pairs[k][0] - s) < 1e-6));
    // Every pair once at most, whatever the cap.
    for (let maxPairs = 1; maxPairs <= 7; maxPairs++) {
      assert.equal(paraphraseMining(fourInAPlane, { topK: 3, maxPairs }).length, Math.min(maxPairs, 6));
    }
  });

  it("takes each text's top_k over the whole corpus, whatever corpus_chunk_size (6.2.0; 6.0.1 took top_k per chunk)", () => {
    // 6.0.1 with corpus_chunk_size=2 returned all six pairs; 6.2.0 returns each text's best partner.
    for (const corpusChunkSize of [1, 2, 3, 100]) {
      assert.deepEqual(
        paraphraseMining(fourInAPlane, { topK: 1, corpusChunkSize, queryChunkSize: 3 }).map(([, i, j]) => [i, j]),
        [
          [0, 1],
          [2, 3],
        ],
      );
    }
  });

  it('on equal scores evicts the smaller (score, i, j) tuple first and then skips scores equal to the bar (heapq)', () => {
    // Rows 0, 1 and 2 are equal. 6.2.0: (0, 1) and (0, 2) are queued, (1, 2) evicts (0, 1); 6.0.1: [[1, 0, 2]].
    const pairs = paraphraseMining(
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [0.6, 0.8],
      ],
      { topK: 3, maxPairs: 2 },
    );
    assert.deepEqual(pairs, [
      [1, 0, 2],
      [1, 1, 2],
    ]);
  });

  it('admits a pair scoring exactly -1 (6.2.0 starts with min_score = -inf; 6.0.1 started at -1 and returned [])', () => {
    assert.deepEqual(
      paraphraseMining([
        [1, 0],
        [-1, 0],
      ]),
      [[-1, 0, 1]],
    );
  });

  it('keeps at most top_k partners per text even when the text is not among its own top_k + 1 (ties)', () => {
    // Three equal rows and top_k 1, ties ranked by lower index: row 0 offers (0, 1); row 1 offers (0, 1) again,
    // skipped; row 2's top 2 are rows 0 and 1, itself not among them, and only the first, (0, 2), is taken (6.0.1
    // took both non-self entries, adding (1, 2)).
    assert.deepEqual(
      paraphraseMining(
        [
          [1, 0],
          [1, 0],
          [1, 0],
        ],
        { topK: 1 },
      ),
      [
        [1, 0, 1],
        [1, 0, 2],
      ],
    );
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
    assert.deepEqual(
      pairs
        .slice(0, 5)
        .map(([, i, j]) => [i, j])
        .sort((a, b) => a[0] - b[0]),
      [
        [0, 300],
        [1, 301],
        [2, 302],
        [3, 303],
        [4, 304],
      ],
    );
    assert.equal(pairs.length, new Set(pairs.map(([, i, j]) => `${i},${j}`)).size);
  });

  it('validates its options', () => {
    assert.throws(() => paraphraseMining([[1]], { maxPairs: 0 }), /maxPairs/);
    assert.throws(() => paraphraseMining([[1]], { topK: -1 }), /topK/);
  });
});
