import assert from 'node:assert/strict';
import { idfWeights } from '../../../src/core/idfWeights';

describe('core/idfWeights', () => {
  it("counts each id once per document, as BERTScore's get_idf_dict: log((M+1)/(df+1))", () => {
    // M = 3; id 7 appears twice in the first document but counts once there.
    const { idf, defaultWeight } = idfWeights([
      [101, 7, 7, 5, 102],
      [101, 7, 102],
      [101, 8, 102],
    ]);
    assert.equal(idf.get(7), Math.log(4 / 3));
    assert.equal(idf.get(5), Math.log(4 / 2));
    assert.equal(idf.get(8), Math.log(4 / 2));
    assert.equal(idf.get(101), 0, 'an id in every document weighs 0');
    assert.equal(idf.get(102), 0);
    assert.equal(idf.has(9), false);
    assert.equal(defaultWeight, Math.log(4), 'an unseen id weighs log(M+1)');
  });

  it('refuses an empty corpus', () => {
    assert.throws(() => idfWeights([]), /at least one document/);
  });
});
