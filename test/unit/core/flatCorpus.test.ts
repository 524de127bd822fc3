import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { cosineSimilarity, dot } from '../../../src/core/vector';
import { intVectors, randomUnitVectors } from './testVectors';

describe('core/flatCorpus', () => {
  it('packs rows and computes inverse norms (0 for a zero row)', () => {
    const corpus = flattenCorpus([
      [3, 4, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    assert.equal(corpus.count, 2);
    assert.equal(corpus.dim, 8);
    assert.deepEqual(Array.from(corpus.row(0)), [3, 4, 0, 0, 0, 0, 0, 0]);
    assert.equal(corpus.inverseNorms[0], Math.fround(0.2));
    assert.equal(corpus.inverseNorms[1], 0);
  });

  it('uses the SIMD kernel for dimensions divisible by 8 and JavaScript otherwise, with the same scores', () => {
    const vectors = randomUnitVectors(203, 384, 7);
    const simd = flattenCorpus(vectors);
    const plain = flattenCorpus(vectors, { simd: false });
    assert.equal(simd.usesSimd, true, 'this Node has WebAssembly SIMD, so the kernel must be used');
    assert.equal(plain.usesSimd, false);
    assert.equal(flattenCorpus(randomUnitVectors(5, 30)).usesSimd, false);
    const a = new Float32Array(203);
    const b = new Float32Array(203);
    for (const q of [0, 17, 202]) {
      simd.scoreInto(vectors[q], a);
      plain.scoreInto(vectors[q], b);
      for (let j = 0; j < 203; j++) {
        assert.ok(Math.abs(a[j] - b[j]) < 1e-6, `row ${j}: ${a[j]} vs ${b[j]}`);
        assert.ok(Math.abs(a[j] - cosineSimilarity(vectors[q], vectors[j])) < 1e-6);
      }
    }
  });

  it('scores a row range, dot or cosine, for arbitrary (non-unit, zero) vectors', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 16, 5), fc.boolean(), (dim, simd) => {
        fc.assert(
          fc.property(intVectors(dim, 1, 25), fc.nat(), fc.nat(), (rows, s, e) => {
            const corpus = flattenCorpus(rows, { simd });
            const start = s % rows.length;
            const end = start + (e % (rows.length - start + 1));
            const out = new Float32Array(rows.length);
            for (const q of [rows[0], rows[rows.length - 1]]) {
              corpus.scoreInto(q, out, 'dot', start, end);
              for (let j = start; j < end; j++) assert.equal(out[j - start], dot(q, rows[j]));
              corpus.scoreInto(q, out, 'cosine', start, end);
              for (let j = start; j < end; j++) {
                assert.ok(Math.abs(out[j - start] - cosineSimilarity(q, rows[j])) < 1e-6);
                assert.ok(!Number.isNaN(out[j - start]));
              }
            }
          }),
          { numRuns: 30 },
        );
      }),
      { numRuns: 6 },
    );
  });

  it('scores row i against row j exactly as row j against row i', () => {
    const vectors = randomUnitVectors(50, 64, 3).map((v, i) => v.map((x) => x * (1 + i / 7)));
    const corpus = flattenCorpus(vectors);
    const rows = Array.from({ length: 50 }, (_, i) => corpus.scoreRowInto(i, new Float32Array(50)));
    for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) assert.equal(rows[i][j], rows[j][i]);
  });

  it('rejects ragged, non-finite and mismatched input with clear errors', () => {
    assert.throws(() => flattenCorpus([[1, 2], [1]]), /Vector 1 has dimension 1, expected 2/);
    assert.throws(() => flattenCorpus([[1, NaN]]), /non-finite/);
    assert.throws(() => flattenCorpus(Float32Array.from([1, 2, 3]), { dim: 2 }), /dim/);
    assert.throws(() => flattenCorpus([[1, 2]]).scoreInto([1, 2, 3], new Float32Array(1)), /dimension 3/);
    assert.throws(() => flattenCorpus([[1, 2]]).row(1), /out of range/);
  });

  it('accepts a pre-flattened Float32Array and an empty corpus', () => {
    const corpus = flattenCorpus(Float32Array.from([1, 0, 0, 1, 1, 1]), { dim: 2 });
    assert.equal(corpus.count, 3);
    assert.deepEqual(Array.from(corpus.row(2)), [1, 1]);
    const empty = flattenCorpus([], { dim: 384 });
    assert.equal(empty.count, 0);
    assert.equal(empty.dim, 384);
  });
});
