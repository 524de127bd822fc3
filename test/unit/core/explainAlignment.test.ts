import assert from 'node:assert/strict';
import { explainAlignment } from '../../../src/core/explainAlignment';

const close = (actual: number, expected: number, eps = 1e-12) => assert.ok(Math.abs(actual - expected) <= eps, `${actual} is not within ${eps} of ${expected}`);

// Hand-made: A = [CLS] x y [SEP], B = [CLS] x z w [SEP] with x = (1,0), y = (0,1), z = (1,1), w = (-1,0).
const CLS = [9, 9];
const SEP = [-9, 3];
const x = [1, 0];
const y = [0, 1];
const z = [1, 1];
const w = [-1, 0];
const a = { embeddings: [CLS, x, y, SEP], special: [true, false, false, true], ids: [101, 1, 2, 102] };
const b = { embeddings: [CLS, x, z, w, SEP], special: [true, false, false, false, true], ids: [101, 1, 3, 4, 102] };
const s = Math.SQRT1_2;

describe('core/explainAlignment', () => {
  it('builds the cosine matrix over the non-special pieces only', () => {
    const result = explainAlignment(a, b);
    assert.deepEqual(result.rowsA, [1, 2]);
    assert.deepEqual(result.colsB, [1, 2, 3]);
    const expected = [
      [1, s, -1],
      [0, s, 0],
    ];
    result.matrix.forEach((row, r) => row.forEach((v, c) => close(v, expected[r]![c]!)));
  });

  it('greedy precision, recall and F1 (BERTScore without idf)', () => {
    const result = explainAlignment(a, b);
    assert.deepEqual(result.bestInB, [0, 1]); // x→x, y→z
    assert.deepEqual(result.bestInA, [0, 0, 1]); // x→x, z→x (1/√2 vs 1/√2: first wins), w→y (0 > -1)
    const p = (1 + s) / 2;
    const r = (1 + s + 0) / 3;
    close(result.precision, p);
    close(result.recall, r);
    close(result.f1, (2 * p * r) / (p + r));
  });

  it('is symmetric: swapping the texts swaps precision and recall and transposes the matrix', () => {
    const ab = explainAlignment(a, b);
    const ba = explainAlignment(b, a);
    close(ba.precision, ab.recall);
    close(ba.recall, ab.precision);
    close(ba.f1, ab.f1);
    ab.matrix.forEach((row, r) => row.forEach((v, c) => close(ba.matrix[c]![r]!, v)));
  });

  it('identical texts score 1', () => {
    const result = explainAlignment(a, a);
    close(result.precision, 1);
    close(result.recall, 1);
    close(result.f1, 1);
  });

  it('weights pieces by idf; missing ids take defaultWeight', () => {
    const idf = new Map([
      [1, 3],
      [2, 1],
      [3, 2],
    ]);
    const result = explainAlignment(a, b, { idf, defaultWeight: 0.5 });
    close(result.precision, (3 * 1 + 1 * s) / 4);
    close(result.recall, (3 * 1 + 2 * s + 0.5 * 0) / 5.5);
    const unweighted = explainAlignment(a, b, { idf: new Map() });
    close(unweighted.precision, explainAlignment(a, b).precision);
  });

  it('a text with no pieces gives an empty matrix and zero scores, never NaN', () => {
    const empty = { embeddings: [CLS, SEP], special: [true, true], ids: [101, 102] };
    const result = explainAlignment(empty, b);
    assert.deepEqual(result.matrix, []);
    assert.deepEqual(result.bestInA, [-1, -1, -1]);
    assert.equal(result.precision, 0);
    assert.equal(result.recall, 0);
    assert.equal(result.f1, 0);
  });

  it('rejects flags or ids that do not match the embeddings, and idf without ids', () => {
    assert.throws(() => explainAlignment({ embeddings: [x], special: [] }, b), RangeError);
    assert.throws(() => explainAlignment({ embeddings: [x], special: [false], ids: [1, 2] }, b), RangeError);
    assert.throws(() => explainAlignment({ embeddings: [x], special: [false] }, b, { idf: new Map() }), /ids/);
  });

  it('accepts Float32Array rows', () => {
    const result = explainAlignment({ embeddings: [Float32Array.from(x)], special: [false] }, { embeddings: [Float32Array.from(z)], special: [false] });
    close(result.f1, s, 1e-7);
  });
});
