import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cosineSimilarity, dot, euclideanDistance, inverseNorm, manhattanDistance, norm, normalize } from '../../../src/core/vector';
import { intVector } from './testVectors';

const close = (actual: number, expected: number, eps = 1e-12) => assert.ok(Math.abs(actual - expected) <= eps, `${actual} is not within ${eps} of ${expected}`);

describe('core/vector', () => {
  it('computes hand-checked values', () => {
    const a = [1, 2, 3];
    const b = Float32Array.from([4, -5, 6]);
    assert.equal(dot(a, b), 4 - 10 + 18);
    assert.equal(norm([3, 4]), 5);
    assert.equal(euclideanDistance([0, 0], [3, 4]), 5);
    assert.equal(manhattanDistance(a, b), 3 + 7 + 3);
    close(cosineSimilarity(a, b), 12 / (Math.sqrt(14) * Math.sqrt(77)));
    close(cosineSimilarity([1, 0], [0, 1]), 0);
    close(cosineSimilarity([1, 1], [2, 2]), 1);
    close(cosineSimilarity([1, 1], [-3, -3]), -1);
    assert.deepEqual(Array.from(normalize([3, 4])), [Math.fround(0.6), Math.fround(0.8)]);
  });

  it('gives 0, never NaN, for zero vectors', () => {
    assert.equal(cosineSimilarity([0, 0, 0], [1, 2, 3]), 0);
    assert.equal(cosineSimilarity([0, 0], [0, 0]), 0);
    assert.deepEqual(Array.from(normalize([0, 0])), [0, 0]);
    assert.equal(inverseNorm([0, 0]), 0);
  });

  it('rejects vectors of different dimensions', () => {
    assert.throws(() => dot([1, 2], [1]), /dimension/);
    assert.throws(() => cosineSimilarity([1, 2], [1, 2, 3]), /dimension/);
    assert.throws(() => euclideanDistance([1], [1, 2]), /dimension/);
  });

  it('cosine is symmetric, within [-1, 1], and 1 for a nonzero vector with itself', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).chain((d) => fc.tuple(intVector(d), intVector(d))),
        ([a, b]) => {
          const ab = cosineSimilarity(a, b);
          assert.equal(ab, cosineSimilarity(b, a));
          assert.ok(ab >= -1 && ab <= 1 && !Number.isNaN(ab));
          if (norm(a) > 0) close(cosineSimilarity(a, a), 1, 1e-12);
          else assert.equal(ab, 0);
        },
      ),
    );
  });

  it('cosine matches the dot product of normalised vectors and is scale invariant', () => {
    const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 16 })
          .chain((d) => fc.tuple(fc.array(finite, { minLength: d, maxLength: d }), fc.array(finite, { minLength: d, maxLength: d }))),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        ([a, b], scale) => {
          const na = norm(a);
          const nb = norm(b);
          fc.pre(na > 1e-6 && nb > 1e-6);
          const expected = dot(a, b) / (na * nb);
          close(cosineSimilarity(a, b), Math.max(-1, Math.min(1, expected)), 1e-9);
          close(
            cosineSimilarity(
              a.map((x) => x * scale),
              b,
            ),
            cosineSimilarity(a, b),
            1e-9,
          );
        },
      ),
    );
  });

  it('distances are metrics: symmetric, zero on the diagonal, triangle inequality', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((d) => fc.tuple(intVector(d), intVector(d), intVector(d))),
        ([a, b, c]) => {
          for (const distance of [euclideanDistance, manhattanDistance]) {
            assert.equal(distance(a, a), 0);
            assert.equal(distance(a, b), distance(b, a));
            assert.ok(distance(a, c) <= distance(a, b) + distance(b, c) + 1e-9);
          }
          assert.ok(manhattanDistance(a, b) >= euclideanDistance(a, b) - 1e-9);
        },
      ),
    );
  });
});
