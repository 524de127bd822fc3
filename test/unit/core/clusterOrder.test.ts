import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clusterOrder } from '../../../src/core/clusterOrder';
import { similarityMatrix } from '../../../src/core/similarityMatrix';
import { randomUnitVectors } from './testVectors';

/** Groups of vectors around random centres, rows shuffled so the groups are interleaved. */
function groupedVectors(groups: number, perGroup: number, seed: number) {
  const centres = randomUnitVectors(groups, 24, seed);
  const noise = randomUnitVectors(groups * perGroup, 24, seed + 1);
  const labels = Array.from({ length: groups * perGroup }, (_, i) => (i * 7) % groups);
  const vectors = labels.map((g, i) => Array.from(centres[g], (x, d) => x + 0.25 * noise[i][d]));
  return { vectors, labels };
}

describe('core/clusterOrder', () => {
  it('returns a permutation for any similarity matrix', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 4, maxLength: 4 }), { maxLength: 30 }), (rows) => {
        const order = clusterOrder(similarityMatrix(rows));
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          rows.map((_, i) => i),
        );
      }),
    );
  });

  it('puts each well-separated group in one contiguous block', () => {
    for (const seed of [1, 2, 3]) {
      const { vectors, labels } = groupedVectors(4, 8, seed * 10);
      const order = clusterOrder(similarityMatrix(vectors));
      const sequence = order.map((i) => labels[i]);
      const blocks = sequence.filter((g, k) => k === 0 || g !== sequence[k - 1]);
      assert.equal(blocks.length, 4, `groups interleaved: ${sequence.join(',')}`);
    }
  });

  it('merges the closest pair first (hand-checked 4 x 4)', () => {
    // 0~2 (0.9), 1~3 (0.8), the rest far apart.
    const s = [
      [1, 0.1, 0.9, 0.0],
      [0.1, 1, 0.2, 0.8],
      [0.9, 0.2, 1, 0.1],
      [0.0, 0.8, 0.1, 1],
    ];
    const order = clusterOrder({ rows: 4, cols: 4, data: Float32Array.from(s.flat()) });
    assert.deepEqual(order, [0, 2, 1, 3]);
  });

  it('rejects a non-square matrix', () => {
    assert.throws(() => clusterOrder({ rows: 2, cols: 3, data: new Float32Array(6) }), /square/);
  });
});
