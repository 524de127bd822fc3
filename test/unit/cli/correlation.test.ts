import assert from 'node:assert/strict';
import fc from 'fast-check';
import { averageRanks, pearson, spearman } from '../../../src/cli/correlation';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('averageRanks (scipy.stats.rankdata, method="average")', () => {
  it('ranks distinct values 1..n', () => {
    assert.deepEqual(Array.from(averageRanks([30, 10, 20])), [3, 1, 2]);
  });

  it('gives ties the mean of the ranks they span', () => {
    assert.deepEqual(Array.from(averageRanks([0, 2, 3, 2])), [1, 2.5, 4, 2.5]);
    assert.deepEqual(Array.from(averageRanks([5, 5, 5])), [2, 2, 2]);
    assert.deepEqual(Array.from(averageRanks([4, 1, 4, 1, 4])), [4, 1.5, 4, 1.5, 4]);
  });

  it('always sums to n(n+1)/2', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sum = averageRanks(values).reduce((a, b) => a + b, 0);
        return sum === (values.length * (values.length + 1)) / 2;
      }),
    );
  });
});

describe('pearson and spearman (scipy.stats values)', () => {
  // Values printed by scipy 1.x for these inputs.
  it('matches scipy on the documentation example', () => {
    close(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207826816681233);
    close(pearson([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8320502943378437);
  });

  it('uses average ranks for ties (STS gold scores repeat a lot)', () => {
    // ranks x: [1.5, 1.5, 3, 4.5, 4.5], y: [1, 2, 3, 4, 5] -> Pearson of those ranks
    close(spearman([0, 0, 1, 2, 2], [1, 2, 3, 4, 5]), 0.9486832980505138);
    // ordinal ranks would give 1.0 here; average ranks do not
    assert.ok(spearman([0, 0, 1, 2, 2], [1, 2, 3, 4, 5]) < 0.999);
  });

  it('is +1 / -1 for perfectly monotone data and NaN for constant input', () => {
    close(spearman([1, 2, 3, 4], [10, 100, 1000, 10000]), 1);
    close(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    close(pearson([1, 2, 3], [2, 4, 6]), 1);
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  });

  it('rejects inputs of different length, too short, or not finite', () => {
    assert.throws(() => pearson([1, 2], [1, 2, 3]), /differ in length/);
    assert.throws(() => spearman([1], [1]), /at least 2/);
    assert.throws(() => pearson([1, NaN], [1, 2]), /not a finite number/);
  });

  const pairsOf = fc
    .integer({ min: 3, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8),
          { minLength: n, maxLength: n },
        ),
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8),
          { minLength: n, maxLength: n },
        ),
      ),
    )
    .filter(([x, y]) => new Set(x).size > 1 && new Set(y).size > 1);

  it('is symmetric and within [-1, 1]', () => {
    fc.assert(
      fc.property(pairsOf, ([x, y]) => {
        for (const f of [pearson, spearman]) {
          const r = f(x, y);
          if (!(r >= -1 && r <= 1)) return false;
          if (Math.abs(r - f(y, x)) > 1e-12) return false;
        }
        return true;
      }),
    );
  });

  it('spearman ignores strictly increasing transforms; pearson ignores positive affine ones', () => {
    fc.assert(
      fc.property(pairsOf, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), ([x, y], a, b) => {
        const cubed = x.map((v) => v * v * v + v);
        const affine = x.map((v) => a * v + b);
        return Math.abs(spearman(cubed, y) - spearman(x, y)) < 1e-9 && Math.abs(pearson(affine, y) - pearson(x, y)) < 1e-6;
      }),
    );
  });

  it('spearman equals pearson of the average ranks', () => {
    fc.assert(fc.property(pairsOf, ([x, y]) => Math.abs(spearman(x, y) - pearson(averageRanks(x), averageRanks(y))) < 1e-15));
  });
});
