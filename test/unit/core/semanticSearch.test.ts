import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { semanticSearch } from '../../../src/core/semanticSearch';
import { topKIndices } from '../../../src/core/topK';
import { referenceSemanticSearch } from './pythonReference';
import { intVectors, randomUnitVectors } from './testVectors';

describe('core/semanticSearch', () => {
  it('ranks a hand-checked corpus', () => {
    const corpus = [
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0],
    ];
    const [hits] = semanticSearch([1, 0.1], corpus, { topK: 3 });
    assert.deepEqual(
      hits.map((h) => h.corpus_id),
      [0, 2, 1],
    );
    assert.ok(Math.abs(hits[0].score - 1 / Math.sqrt(1.01)) < 1e-6);
    assert.ok(Math.abs(hits[1].score - 1.1 / Math.sqrt(2 * 1.01)) < 1e-6);
  });

  it('returns the whole corpus when topK exceeds it, nothing for topK 0 or an empty corpus', () => {
    const corpus = [
      [1, 0],
      [0, 1],
    ];
    assert.equal(semanticSearch([[1, 0]], corpus, { topK: 50 })[0].length, 2);
    assert.deepEqual(semanticSearch([[1, 0]], corpus, { topK: 0 }), [[]]);
    assert.deepEqual(semanticSearch([[1, 0]], [], { topK: 5 }), [[]]);
    assert.deepEqual(semanticSearch([], corpus), []);
  });

  it('lists equal scores by ascending corpus id', () => {
    const corpus = [
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
      [1, 0],
    ];
    assert.deepEqual(
      semanticSearch([1, 0], corpus, { topK: 2 })[0].map((h) => h.corpus_id),
      [1, 3],
    );
    assert.deepEqual(
      semanticSearch([1, 0], corpus, { topK: 4 })[0].map((h) => h.corpus_id),
      [1, 3, 4, 0],
    );
  });

  it('matches a literal translation of the Python algorithm, with and without corpus chunks', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 3),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (dim, topK, chunk, queryChunk) => {
          fc.assert(
            fc.property(intVectors(dim, 0, 25), intVectors(dim, 1, 4), (corpus, queries) => {
              const actual = semanticSearch(queries, corpus, { topK, corpusChunkSize: chunk, queryChunkSize: queryChunk });
              const expected = referenceSemanticSearch(queries, corpus, topK, chunk);
              assert.deepEqual(actual, expected);
              const simdCorpus = flattenCorpus(corpus, { simd: true, dim });
              assert.deepEqual(semanticSearch(queries, simdCorpus, { topK, corpusChunkSize: chunk }), expected);
              const unchunked = semanticSearch(queries, corpus, { topK });
              assert.deepEqual(unchunked, referenceSemanticSearch(queries, corpus, topK, Math.max(corpus.length, 1)));
              for (const hits of actual) {
                assert.equal(hits.length, Math.min(topK, corpus.length));
                for (let k = 1; k < hits.length; k++) assert.ok(hits[k - 1].score >= hits[k].score);
              }
            }),
            { numRuns: 15 },
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('finds each of many unit vectors as its own best match in a pre-packed 384-d corpus', () => {
    const vectors = randomUnitVectors(2000, 384, 11);
    const corpus = flattenCorpus(vectors);
    const results = semanticSearch(vectors.slice(0, 50), corpus, { topK: 10 });
    results.forEach((hits, q) => {
      assert.equal(hits[0].corpus_id, q);
      assert.ok(Math.abs(hits[0].score - 1) < 1e-5);
      assert.equal(hits.length, 10);
    });
  });

  it('accepts a single Float32Array query, packed queries, and dot-product scoring', () => {
    const corpus = [
      [1, 0],
      [0, 2],
      [3, 3],
    ];
    assert.deepEqual(
      semanticSearch(Float32Array.from([0, 1]), corpus, { topK: 1 })[0].map((h) => h.corpus_id),
      [1],
    );
    const packed = flattenCorpus([
      [1, 0],
      [0, 1],
    ]);
    assert.deepEqual(
      semanticSearch(packed, corpus, { topK: 1 }).map((hits) => hits[0].corpus_id),
      [0, 1],
    );
    // By dot product the long vector wins; by cosine the aligned one.
    assert.deepEqual(semanticSearch([0, 1], corpus, { topK: 3, scoreFunction: 'dot' })[0], [
      { corpus_id: 2, score: 3 },
      { corpus_id: 1, score: 2 },
      { corpus_id: 0, score: 0 },
    ]);
  });

  it('validates its options', () => {
    assert.throws(() => semanticSearch([[1]], [[1]], { topK: -1 }), /topK/);
    assert.throws(() => semanticSearch([[1]], [[1]], { corpusChunkSize: 0 }), /corpusChunkSize/);
    assert.throws(() => semanticSearch([[1, 2]], [[1]]), /dimension/);
  });
});

describe('core/topKIndices', () => {
  it('equals a full sort (score descending, index ascending) cut at k', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 })), fc.integer({ min: 0, max: 40 }), (values, k) => {
        const scores = Float32Array.from(values);
        const expected = values
          .map((_, i) => i)
          .sort((a, b) => values[b] - values[a] || a - b)
          .slice(0, k);
        assert.deepEqual(Array.from(topKIndices(scores, k)), expected);
      }),
    );
  });
});
