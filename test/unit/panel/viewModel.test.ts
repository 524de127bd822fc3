import assert from 'node:assert/strict';
import { errorActions } from '../../../src/shared/errorActions';
import fc from 'fast-check';
import {
  applyShowRequest,
  candidateList,
  clampTopK,
  downloadPercent,
  errorFix,
  formatBytes,
  formatScore,
  formatTemplate,
  heatmapColor,
  heatmapOrder,
  initialState,
  luminance,
  offDiagonalRange,
  parseCssColor,
  persistedState,
  readableTextColor,
  restoreState,
  scoreBarPercent,
  similarityBand,
  studioReducer,
  type HeatmapScale,
  type StudioState,
} from '../../../media/src/webview/viewModel';
import type { ExplainView, MatrixView, ModelStatus, SimilarityResult } from '../../../src/shared/studioProtocol';

describe('Studio view-models', () => {
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

  it('formats scores, bytes, percentages and templates', () => {
    assert.equal(formatScore(0.80191234), '0.8019');
    assert.equal(formatScore(-0.00001), '0.0000');
    assert.equal(formatScore(-0.25, 2), '-0.25');
    assert.equal(formatScore(NaN), '—');
    assert.equal(formatScore(Infinity), '—');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(90_868_376), '86.7 MB');
    assert.equal(formatBytes(-1), '—');
    assert.equal(downloadPercent(50, 200), 25);
    assert.equal(downloadPercent(1, 3), 33.3);
    assert.equal(downloadPercent(300, 200), 100);
    assert.equal(downloadPercent(5, undefined), undefined);
    assert.equal(downloadPercent(5, 0), undefined);
    assert.equal(formatTemplate('Top {0} of {1}', 3, 10), 'Top 3 of 10');
    assert.equal(formatTemplate('{0} and {0}, {2}', 'a'), 'a and a, {2}');
  });

  it('score bars clamp cosine to [0, 1]', () => {
    assert.equal(scoreBarPercent(0.5), 50);
    assert.equal(scoreBarPercent(-0.3), 0);
    assert.equal(scoreBarPercent(1.0000001), 100);
    assert.equal(scoreBarPercent(NaN), 0);
  });

  describe('heatmap colours', () => {
    const scale: HeatmapScale = { low: [31, 31, 31], high: [55, 148, 255], min: 0, max: 0.8 };

    it('parses the colour forms of theme variables', () => {
      assert.deepEqual(parseCssColor('#3794ff'), [55, 148, 255]);
      assert.deepEqual(parseCssColor(' #FFF '), [255, 255, 255]);
      assert.deepEqual(parseCssColor('#1f1f1fcc'), [31, 31, 31]);
      assert.deepEqual(parseCssColor('rgba(204, 204, 204, 0.5)'), [204, 204, 204]);
      assert.deepEqual(parseCssColor('rgb(300 0 0)'), [255, 0, 0]);
      assert.equal(parseCssColor('var(--x)'), undefined);
      assert.equal(parseCssColor('#12345'), undefined);
    });

    it('interpolates from low to high over [min, max], clamped outside', () => {
      assert.deepEqual(heatmapColor(0, scale), scale.low);
      assert.deepEqual(heatmapColor(0.8, scale), scale.high);
      assert.deepEqual(heatmapColor(1, scale), scale.high);
      assert.deepEqual(heatmapColor(-0.3, scale), scale.low);
      assert.deepEqual(heatmapColor(0.4, scale), [43, 90, 143]);
      assert.deepEqual(heatmapColor(NaN, scale), scale.low);
      assert.deepEqual(heatmapColor(0.5, { ...scale, min: 0.5, max: 0.5 }), scale.high);
    });

    it('moves every channel monotonically toward the high colour', () => {
      fc.assert(
        fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (x, y) => {
          const [a, b] = [heatmapColor(Math.min(x, y), scale), heatmapColor(Math.max(x, y), scale)];
          for (let i = 0; i < 3; i++) {
            const direction = Math.sign(scale.high[i] - scale.low[i]);
            assert.ok((b[i] - a[i]) * direction >= 0);
          }
        }),
      );
    });

    it('picks the text colour with more contrast', () => {
      assert.deepEqual(readableTextColor([255, 255, 255]), [0, 0, 0]);
      assert.deepEqual(readableTextColor([31, 31, 31]), [255, 255, 255]);
      assert.deepEqual(readableTextColor([55, 148, 255]), [0, 0, 0]);
      assert.ok(Math.abs(luminance([255, 255, 255]) - 1) < 1e-12);
    });

    it('takes the scale range off the diagonal', () => {
      assert.deepEqual(offDiagonalRange([[1, 0.2, -0.1], [0.2, 1, 0.7], [-0.1, 0.7, 1]]), { min: -0.1, max: 0.7 });
      assert.deepEqual(offDiagonalRange([[1]]), { min: 0, max: 1 });
    });
  });

  it('suggests the fix for each model error', () => {
    assert.deepEqual(errorFix('MODEL_NOT_FOUND', true).actions[0], 'chooseModelFolder');
    assert.equal(errorFix('MODEL_NOT_FOUND', true).hint, 'model.fix.notFound');
    assert.equal(errorFix('CHECKSUM_MISMATCH', true).actions[0], 'downloadModel');
    assert.ok(errorFix('WORKER_FAILED', true).actions.includes('showLog'));
  });

  it('offers no download for a missing model when minilm.allowDownload is off, and says why', () => {
    const fix = errorFix('MODEL_NOT_FOUND', false);
    assert.ok(!fix.actions.includes('downloadModel'), fix.actions.join(', '));
    assert.equal(fix.hint, 'model.fix.notFoundNoDownload');
  });

  it('offers the same fixes as the error notifications, for every code and either allowDownload', () => {
    const codes = ['MODEL_NOT_FOUND', 'MODEL_CORRUPT', 'CHECKSUM_MISMATCH', 'DOWNLOAD_FAILED', 'WRONG_DIMENSION', 'MODEL_UNSUPPORTED', 'WORKER_FAILED', 'OTHER'];
    for (const code of codes) {
      for (const allowDownload of [true, false]) assert.deepEqual(errorFix(code, allowDownload).actions, errorActions(code, allowDownload), `${code} ${allowDownload}`);
    }
  });

  describe('state reducer', () => {
    const status: ModelStatus = { state: 'unloaded', dtype: 'fp32', allowDownload: true, memoryRss: 1 };
    const result = { cosine: 0.9 } as SimilarityResult;

    it('tracks a request from start through progress to its result', () => {
      let s = studioReducer(initialState(), { type: 'started', slot: 'search', id: 7 });
      assert.deepEqual(s.search.busy, { id: 7 });
      s = studioReducer(s, { type: 'progress', id: 7, done: 2, total: 5 });
      assert.deepEqual(s.search.busy, { id: 7, done: 2, total: 5 });
      assert.equal(studioReducer(s, { type: 'progress', id: 99, done: 1, total: 1 }), s, 'progress of another request changes nothing');
      s = studioReducer(s, { type: 'failed', slot: 'search', id: 7, error: { code: 'CANCELLED', message: 'Cancelled.' } });
      assert.equal(s.search.busy, undefined);
      assert.equal(s.search.error?.code, 'CANCELLED');
    });

    it('ignores a late answer to a replaced request', () => {
      let s = studioReducer(initialState(), { type: 'started', slot: 'similarity', id: 1 });
      s = studioReducer(s, { type: 'started', slot: 'similarity', id: 2 });
      const late = studioReducer(s, { type: 'succeeded', slot: 'similarity', id: 1, result });
      assert.equal(late, s);
      const done = studioReducer(s, { type: 'succeeded', slot: 'similarity', id: 2, result });
      assert.equal(done.similarity.result, result);
      assert.equal(done.similarity.busy, undefined);
    });

    it('a new request clears the previous error', () => {
      let s = studioReducer(initialState(), { type: 'started', slot: 'encode', id: 1 });
      s = studioReducer(s, { type: 'failed', slot: 'encode', id: 1, error: { code: 'FAILED', message: 'x' } });
      s = studioReducer(s, { type: 'started', slot: 'encode', id: 2 });
      assert.equal(s.encode.error, undefined);
    });

    it('inputs, tabs, top-k and model status update their own slice only', () => {
      const start = initialState();
      const s = studioReducer(start, { type: 'input', slot: 'similarity', field: 'a', value: 'hello' });
      assert.equal(s.similarity.a, 'hello');
      assert.equal(s.encode, start.encode);
      assert.equal(studioReducer(s, { type: 'selectTab', tab: 'examples' }).tab, 'examples');
      assert.equal(studioReducer(s, { type: 'topK', value: 0 }).search.topK, 1);
      assert.equal(studioReducer(s, { type: 'topK', value: 5000 }).search.topK, 1000);
      assert.equal(studioReducer(s, { type: 'init', status, hasResultsFolder: true }).hasResultsFolder, true);
      assert.equal(studioReducer(s, { type: 'status', status }).model.status, status);
      assert.equal(clampTopK(NaN), 5);
    });

    it('editing either Similarity text clears the score and the alignment, which belonged to the old texts', () => {
      let s = studioReducer(initialState(), { type: 'started', slot: 'similarity', id: 1 });
      s = studioReducer(s, { type: 'succeeded', slot: 'similarity', id: 1, result: { cosine: 0.5 } as unknown as SimilarityResult });
      s = studioReducer(s, { type: 'started', slot: 'explain', id: 2 });
      s = studioReducer(s, { type: 'succeeded', slot: 'explain', id: 2, result: { tokensA: ['a'], tokensB: ['b'] } as unknown as ExplainView });
      assert.ok(s.similarity.result && s.explain.result);
      const edited = studioReducer(s, { type: 'input', slot: 'similarity', field: 'b', value: 'other' });
      assert.equal(edited.similarity.result, undefined);
      assert.equal(edited.explain.result, undefined);
      assert.equal(edited.similarity.b, 'other');
      const elsewhere = studioReducer(s, { type: 'input', slot: 'encode', field: 'text', value: 'x' });
      assert.equal(elsewhere.similarity.result, s.similarity.result, 'an edit on another tab keeps the score');
    });

    it('a command request fills the inputs and switches tab', () => {
      const s = applyShowRequest(initialState(), { search: { query: 'q', candidates: ['a', 'b'] } });
      assert.equal(s.tab, 'search');
      assert.equal(s.search.candidates, 'a\nb');
      assert.equal(applyShowRequest(initialState(), { similarity: { a: 'x', b: 'y' } }).tab, 'similarity');
      assert.equal(applyShowRequest(initialState(), { matrix: { texts: ['a', 'b'] } }).tab, 'examples');
      assert.equal(applyShowRequest(initialState(), { encode: { text: 't' }, tab: 'model' }).tab, 'model', 'an explicit tab wins');
    });

    it('persists inputs and results but not requests in flight, and restores only well-formed state', () => {
      let s: StudioState = studioReducer(initialState(), { type: 'input', slot: 'encode', field: 'text', value: 'kept' });
      s = studioReducer(s, { type: 'started', slot: 'encode', id: 3 });
      const saved = JSON.parse(JSON.stringify(persistedState(s)));
      assert.equal(saved.encode.busy, undefined);
      const restored = restoreState(saved);
      assert.equal(restored.encode.text, 'kept');
      assert.equal(restored.encode.busy, undefined);
      for (const junk of [undefined, null, 3, 'x', { tab: 'nope', search: { topK: 'many' } }]) {
        const r = restoreState(junk);
        assert.equal(r.tab, 'model');
        assert.equal(r.search.topK, 5);
      }
    });
  });

  it('orders heatmap rows by the cluster order only when it is a valid permutation', () => {
    const view = { texts: ['a', 'b', 'c'], clusterOrder: [2, 0, 1] } as MatrixView;
    assert.deepEqual(heatmapOrder(view, true), [2, 0, 1]);
    assert.deepEqual(heatmapOrder(view, false), [0, 1, 2]);
    assert.deepEqual(heatmapOrder({ ...view, clusterOrder: [0, 0, 1] }, true), [0, 1, 2]);
  });

  it('splits candidates into non-blank lines', () => {
    assert.deepEqual(candidateList('a\r\n\n  \nb  \n'), ['a', 'b']);
  });
});
