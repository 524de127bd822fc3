import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scoreBarPercent, similarityBand, similarityMetrics } from '../../../media/src/webview/similarityReading';

describe('Similarity tab reading', () => {
  describe('similarityBand', () => {
    it('reads the bands ≥0.8, 0.6–0.8, 0.4–0.6, 0.2–0.4, <0.2 with inclusive lower bounds', () => {
      const cases: Array<[number, string]> = [
        [1, 'veryHigh'],
        [0.8, 'veryHigh'],
        [0.7999, 'high'],
        [0.6, 'high'],
        [0.5999, 'medium'],
        [0.4, 'medium'],
        [0.3999, 'low'],
        [0.2, 'low'],
        [0.1999, 'none'],
        [-0.5, 'none'],
        [NaN, 'none'],
      ];
      for (const [score, band] of cases) assert.equal(similarityBand(score), band, String(score));
    });
    it('is monotonic in the score', () => {
      const order = ['none', 'low', 'medium', 'high', 'veryHigh'];
      fc.assert(
        fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          assert.ok(order.indexOf(similarityBand(lo)) <= order.indexOf(similarityBand(hi)));
        }),
      );
    });
  });

  it('score bars clamp cosine to [0, 1]', () => {
    assert.equal(scoreBarPercent(0.5), 50);
    assert.equal(scoreBarPercent(-0.3), 0);
    assert.equal(scoreBarPercent(1.0000001), 100);
    assert.equal(scoreBarPercent(NaN), 0);
  });

  describe('similarityMetrics', () => {
    it('shows neither cosine (the headline) nor the dot product (equal to it) nor the norms for unit vectors', () => {
      assert.deepEqual(similarityMetrics({ normA: 1.0000001, normB: 0.99999994 }), ['euclidean', 'manhattan', 'dimension', 'tokensA', 'tokensB']);
    });

    it('shows the dot product and both norms when a vector is not unit length', () => {
      assert.deepEqual(similarityMetrics({ normA: 1, normB: 2.5 }), ['euclidean', 'dot', 'manhattan', 'dimension', 'normA', 'normB', 'tokensA', 'tokensB']);
    });

    it('a model scored by dot product leads with it, so cosine joins the metrics and dot does not repeat', () => {
      const metrics = similarityMetrics({ normA: 3, normB: 4, similarityFunction: 'dot' });
      assert.ok(metrics.includes('cosine'));
      assert.ok(!metrics.includes('dot'));
      assert.ok(metrics.includes('normA'));
    });
  });
});
