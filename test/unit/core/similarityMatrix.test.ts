import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matrixAt, matrixToRows, modelSimilarity, similarityMatrix } from '../../../src/core/similarityMatrix';
import { cosineSimilarity, dot } from '../../../src/core/vector';
import { intVectors } from './testVectors';

describe('core/similarityMatrix', () => {
  it('modelSimilarity follows similarity_fn_name: cosine, dot, and negative euclidean / manhattan distances', () => {
    const a = [[3, 4]];
    const b = [
      [0, 0],
      [6, 8],
      [3, 0],
    ];
    assert.deepEqual(matrixToRows(modelSimilarity(a, b, 'dot')), [[0, 50, 9]]);
    assert.deepEqual(matrixToRows(modelSimilarity(a, b, 'euclidean')), [[-5, -5, -4]]);
    assert.deepEqual(matrixToRows(modelSimilarity(a, b, 'manhattan')), [[-7, -7, -4]]);
    assert.deepEqual(matrixToRows(modelSimilarity(a, b, 'cosine')), [[0, 1, 0.6000000238418579]]);
    const square = modelSimilarity(b, undefined, 'euclidean');
    assert.deepEqual([square.rows, square.cols, matrixAt(square, 1, 1), matrixAt(square, 0, 1)], [3, 3, -0, -10]);
  });

  it('computes a hand-checked 3 x 2 cosine matrix', () => {
    const m = similarityMatrix(
      [
        [1, 0],
        [0, 1],
        [0, 0],
      ],
      [
        [1, 1],
        [-1, 0],
      ],
    );
    assert.equal(m.rows, 3);
    assert.equal(m.cols, 2);
    const rows = matrixToRows(m);
    assert.ok(Math.abs(rows[0][0] - Math.SQRT1_2) < 1e-7);
    assert.equal(rows[0][1], -1);
    assert.ok(Math.abs(rows[1][0] - Math.SQRT1_2) < 1e-7);
    assert.equal(rows[1][1], 0);
    assert.deepEqual(rows[2], [0, 0]);
  });

  it('N x N is exactly symmetric, in [-1, 1], with a unit diagonal for nonzero rows', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 3), (dim) =>
        fc.assert(
          fc.property(intVectors(dim, 0, 20), (rows) => {
            const m = similarityMatrix(rows);
            assert.equal(m.rows, rows.length);
            for (let i = 0; i < m.rows; i++) {
              const nonzero = rows[i].some((x) => x !== 0);
              assert.ok(nonzero ? Math.abs(matrixAt(m, i, i) - 1) < 1e-6 : matrixAt(m, i, i) === 0);
              for (let j = 0; j < m.rows; j++) {
                assert.equal(matrixAt(m, i, j), matrixAt(m, j, i));
                assert.ok(matrixAt(m, i, j) >= -1 && matrixAt(m, i, j) <= 1);
                assert.ok(Math.abs(matrixAt(m, i, j) - cosineSimilarity(rows[i], rows[j])) < 1e-6);
              }
            }
          }),
          { numRuns: 40 },
        ),
      ),
    );
  });

  it('offers the raw dot product', () => {
    const a = [[1, 2, 3, 4, 5, 6, 7, 8]];
    const b = [
      [2, 0, 0, 0, 0, 0, 0, 1],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ];
    assert.deepEqual(matrixToRows(similarityMatrix(a, b, { scoreFunction: 'dot' })), [[dot(a[0], b[0]), dot(a[0], b[1])]]);
  });

  it('rejects mismatched dimensions', () => {
    assert.throws(() => similarityMatrix([[1, 2]], [[1, 2, 3]]), /dimension/);
  });
});
