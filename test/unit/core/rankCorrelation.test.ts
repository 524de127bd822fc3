import assert from 'node:assert/strict';
import { averageRanks, pearsonCorrelation, spearmanCorrelation } from '../../../src/core/rankCorrelation';
import { compareMatrices, upperTriangle } from '../../../src/core/matrixComparison';

// Reference values from scipy 1.17.1 (scipy.stats.spearmanr, rankdata), computed with /tmp/stvenv/bin/python.
const SCIPY = {
  x: [0.25, 0.79, 0.55, -0.55, -0.4, 0.75, -0.99, 0.64, 0.59, -0.06, -0.39, -0.44],
  y: [-0.1, 0.42, 0.33, -0.28, 0.26, 0.74, -0.47, 0.87, 0.07, -0.38, -0.12, -0.72],
  rho: 0.8321678321678322,
  tiesA: [0.5, 0.5, 0.2, 0.9, 0.2, 0.2, 0.7],
  tiesB: [0.1, 0.3, 0.3, 0.8, 0.0, 0.3, 0.3],
  ranksA: [4.5, 4.5, 2, 7, 2, 2, 6],
  ranksB: [2, 4.5, 4.5, 7, 1, 4.5, 4.5],
  tiesRho: 0.5471190920976586,
  m1: [
    [1.0, 0.4175, 0.4945, 0.443, 0.5615],
    [0.4175, 1.0, 0.069, -0.0325, 0.3605],
    [0.4945, 0.069, 1.0, 0.33, 0.353],
    [0.443, -0.0325, 0.33, 1.0, 0.633],
    [0.5615, 0.3605, 0.353, 0.633, 1.0],
  ],
  m2: [
    [1.0, 0.211, 0.513, 0.0995, 0.1615],
    [0.211, 1.0, 0.653, 0.171, 0.79],
    [0.513, 0.653, 1.0, 0.4475, 0.071],
    [0.0995, 0.171, 0.4475, 1.0, 0.905],
    [0.1615, 0.79, 0.071, 0.905, 1.0],
  ],
  matrixRho: 0.13939393939393938,
};

describe('rank correlation', () => {
  it('ranks by hand: 1-based, ties share the mean of their ranks', () => {
    assert.deepEqual(Array.from(averageRanks([30, 10, 20])), [3, 1, 2]);
    assert.deepEqual(Array.from(averageRanks([5, 5, 1, 5])), [3, 3, 1, 3]);
  });

  it('a hand-checked case: one swapped pair of four gives ρ = 1 − 6·2 / (4·15) = 0.8', () => {
    assert.equal(spearmanCorrelation([1, 2, 3, 4], [10, 30, 20, 40]), 0.8);
    assert.equal(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    // Only the order counts: any increasing map of a sample leaves ρ at 1.
    assert.equal(spearmanCorrelation([0.1, 0.5, 0.2], [1, 125, 8]), 1);
  });

  it("matches scipy's spearmanr and rankdata, with and without ties", () => {
    assert.ok(Math.abs(spearmanCorrelation(SCIPY.x, SCIPY.y) - SCIPY.rho) < 1e-12);
    assert.deepEqual(Array.from(averageRanks(SCIPY.tiesA)), SCIPY.ranksA);
    assert.deepEqual(Array.from(averageRanks(SCIPY.tiesB)), SCIPY.ranksB);
    assert.ok(Math.abs(spearmanCorrelation(SCIPY.tiesA, SCIPY.tiesB) - SCIPY.tiesRho) < 1e-12);
  });

  it('is NaN for a constant sample or fewer than two pairs, as scipy; refuses samples of different lengths', () => {
    assert.ok(Number.isNaN(spearmanCorrelation([1, 1, 1], [1, 2, 3])));
    assert.ok(Number.isNaN(spearmanCorrelation([1], [2])));
    assert.ok(Number.isNaN(pearsonCorrelation([], [])));
    assert.throws(() => spearmanCorrelation([1, 2], [1, 2, 3]), RangeError);
  });
});

describe('matrix comparison', () => {
  it('takes each pair above the diagonal once, row by row', () => {
    assert.deepEqual(
      Array.from(
        upperTriangle([
          [1, 2, 3],
          [2, 1, 4],
          [3, 4, 1],
        ]),
      ),
      [2, 3, 4],
    );
  });

  it("ρ of two 5 × 5 matrices' upper triangles matches scipy", () => {
    const result = compareMatrices(SCIPY.m1, SCIPY.m2);
    assert.equal(result.pairs, 10);
    assert.ok(Math.abs(result.spearman - SCIPY.matrixRho) < 1e-12);
  });

  it('lists the pairs with the largest |Δ| first, with both scores and the signed difference', () => {
    const { disagreements } = compareMatrices(SCIPY.m1, SCIPY.m2, 3);
    // By hand: (1,2) 0.069 → 0.653 (+0.584), (1,4) 0.3605 → 0.79 (+0.4295), (0,4) 0.5615 → 0.1615 (−0.4).
    assert.deepEqual(
      disagreements.map((d) => [d.i, d.j]),
      [
        [1, 2],
        [1, 4],
        [0, 4],
      ],
    );
    assert.ok(Math.abs(disagreements[0]!.delta - 0.584) < 1e-12);
    assert.equal(disagreements[2]!.first, 0.5615);
    assert.equal(disagreements[2]!.second, 0.1615);
    assert.ok(Math.abs(disagreements[2]!.delta + 0.4) < 1e-12);
  });

  it('refuses matrices of different sizes', () => {
    assert.throws(
      () =>
        compareMatrices(
          [
            [1, 0],
            [0, 1],
          ],
          [[1]],
        ),
      RangeError,
    );
  });
});
