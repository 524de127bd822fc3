import assert from 'node:assert/strict';
import {
  applyShowRequest,
  candidateList,
  clampTopK,
  initialState,
  persistedState,
  restoreState,
  studioReducer,
  type StudioState,
} from '../../../media/src/webview/studioState';
import type { ExplainView, ModelStatus, SimilarityResult } from '../../../src/shared/studioProtocol';

describe('Studio webview state', () => {
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

  it('splits candidates into non-blank lines', () => {
    assert.deepEqual(candidateList('a\r\n\n  \nb  \n'), ['a', 'b']);
  });
});
