import assert from 'node:assert/strict';
import { pca2d } from '../../../src/core/pca';
import { randomUnitVectors } from './testVectors';

describe('core/pca', () => {
  it('projects points on a line onto the first axis, centred, with all the variance there', () => {
    const direction = [3, 4, 0, 0].map((x) => x / 5);
    const ts = [-2, -1, 0, 1, 2];
    const result = pca2d(ts.map((t) => direction.map((d) => 1 + t * d)));
    result.points.forEach(([x, y], i) => {
      assert.ok(Math.abs(Math.abs(x) - Math.abs(ts[i])) < 1e-6, `x=${x}`);
      assert.ok(Math.abs(y) < 1e-6, `y=${y}`);
    });
    assert.ok(Math.abs(result.explainedVarianceRatio[0] - 1) < 1e-6);
    assert.ok(Math.abs(result.explainedVariance[0] - 2.5) < 1e-6, 'sample variance of -2..2');
  });

  it('finds the hand-checked principal axes of an axis-aligned cloud, in order of variance', () => {
    const points = [
      [10, 0, 1],
      [-10, 0, -1],
      [0, 3, 0],
      [0, -3, 0],
    ];
    const { points: projected, explainedVariance } = pca2d(points);
    assert.ok(explainedVariance[0] > explainedVariance[1]);
    // First axis ~ (10, 0, 1) / |..|: rows 0 and 1 land at ±sqrt(101), rows 2 and 3 at 0.
    assert.ok(Math.abs(Math.abs(projected[0][0]) - Math.sqrt(101)) < 1e-6);
    assert.ok(Math.abs(projected[2][0]) < 1e-6);
    assert.ok(Math.abs(Math.abs(projected[2][1]) - 3) < 1e-6);
  });

  it('is deterministic, including the signs, and flips with the data', () => {
    const vectors = randomUnitVectors(60, 384, 21);
    const a = pca2d(vectors);
    const b = pca2d(vectors.map((v) => v.slice()));
    assert.deepEqual(a, b);
    const negated = pca2d(vectors.map((v) => v.map((x) => -x)));
    negated.points.forEach(([x, y], i) => {
      assert.ok(Math.abs(x + a.points[i][0]) < 1e-6 && Math.abs(y + a.points[i][1]) < 1e-6);
    });
  });

  it('the two components are uncorrelated and their variances match the projections', () => {
    const vectors = randomUnitVectors(80, 32, 3);
    const { points, explainedVariance } = pca2d(vectors);
    const n = points.length;
    const meanX = points.reduce((s, p) => s + p[0], 0) / n;
    const meanY = points.reduce((s, p) => s + p[1], 0) / n;
    assert.ok(Math.abs(meanX) < 1e-9 && Math.abs(meanY) < 1e-9);
    const cov = points.reduce((s, p) => s + p[0] * p[1], 0) / (n - 1);
    const varX = points.reduce((s, p) => s + p[0] ** 2, 0) / (n - 1);
    const varY = points.reduce((s, p) => s + p[1] ** 2, 0) / (n - 1);
    assert.ok(Math.abs(cov) < 1e-4 * varX, `covariance ${cov}`);
    assert.ok(Math.abs(varX - explainedVariance[0]) < 1e-6 * varX);
    assert.ok(Math.abs(varY - explainedVariance[1]) < 1e-3 * varY);
    assert.ok(varX >= varY);
  });

  it('handles no vectors, one vector and identical vectors without NaN', () => {
    assert.deepEqual(pca2d([]).points, []);
    assert.deepEqual(pca2d([[1, 2, 3]]).points, [[0, 0]]);
    const same = pca2d([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    assert.deepEqual(same.points, [
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    assert.deepEqual(same.explainedVarianceRatio, [0, 0]);
  });
});
