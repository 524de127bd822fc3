import assert from 'node:assert/strict';
import { OTHER_MODEL, compareModelSpec, initialState, persistedState, restoreState, studioReducer } from '../../../media/src/webview/studioState';
import { compareErrorFix, comparesTexts, comparisonMatrix, comparisonRange, scoreDifference } from '../../../media/src/webview/comparisonView';
import type { MatrixComparisonView, MatrixView, SimilarityResult } from '../../../src/shared/studioProtocol';

const comparison: MatrixComparisonView = {
  texts: ['a', 'b', 'c'],
  first: {
    name: 'A',
    dtype: 'fp32',
    similarityFunction: 'cosine',
    matrix: [
      [1, 0.5, 0.2],
      [0.5, 1, 0.1],
      [0.2, 0.1, 1],
    ],
  },
  second: {
    name: 'B',
    dtype: 'fp32',
    similarityFunction: 'cosine',
    matrix: [
      [1, 0.9, -0.3],
      [0.9, 1, 0.1],
      [-0.3, 0.1, 1],
    ],
  },
  spearman: 0.5,
  pairs: 3,
  disagreements: [],
};
const scores = (fn: SimilarityResult['similarityFunction'], cosine: number, dot: number) => ({
  similarityFunction: fn,
  cosine,
  dot,
  euclidean: 0,
  manhattan: 0,
});

describe('Studio "Compare with"', () => {
  it('names no model until one is chosen; "other" is the typed name, trimmed, and nothing while it is blank', () => {
    let s = initialState();
    assert.equal(compareModelSpec(s), undefined);
    s = studioReducer(s, { type: 'compareChoice', choice: 'paraphrase-multilingual-MiniLM-L12-v2' });
    assert.equal(compareModelSpec(s), 'paraphrase-multilingual-MiniLM-L12-v2');
    s = studioReducer(s, { type: 'compareChoice', choice: OTHER_MODEL });
    assert.equal(compareModelSpec(s), undefined);
    s = studioReducer(s, { type: 'input', slot: 'compare', field: 'other', value: '  ./models/tiny ' });
    assert.equal(compareModelSpec(s), './models/tiny');
  });

  it("another model, or other texts, drop the comparison that was for the old ones; the first model's result stays", () => {
    let s = studioReducer(initialState(), { type: 'compareChoice', choice: 'x' });
    s = studioReducer(s, { type: 'started', slot: 'similarity', id: 1 });
    s = studioReducer(s, { type: 'succeeded', slot: 'similarity', id: 1, result: { cosine: 0.5 } as SimilarityResult });
    s = studioReducer(s, { type: 'started', slot: 'similarityCompare', id: 2 });
    s = studioReducer(s, { type: 'succeeded', slot: 'similarityCompare', id: 2, result: { cosine: 0.7 } as SimilarityResult });
    s = studioReducer(s, { type: 'started', slot: 'matrixCompare', id: 3 });
    const changed = studioReducer(s, { type: 'compareChoice', choice: 'y' });
    assert.equal(changed.similarityCompare.result, undefined);
    assert.equal(changed.matrixCompare.busy, undefined, 'an answer for the old model would be ignored');
    assert.equal(changed.similarity.result?.cosine, 0.5);
    const typed = studioReducer(s, { type: 'input', slot: 'similarity', field: 'a', value: 'new' });
    assert.equal(typed.similarityCompare.result, undefined);
  });

  it("a failure of the second model is kept apart from the first model's result", () => {
    let s = studioReducer(initialState(), { type: 'started', slot: 'similarity', id: 1 });
    s = studioReducer(s, { type: 'started', slot: 'similarityCompare', id: 2 });
    s = studioReducer(s, { type: 'succeeded', slot: 'similarity', id: 1, result: { cosine: 0.5 } as SimilarityResult });
    s = studioReducer(s, { type: 'failed', slot: 'similarityCompare', id: 2, error: { code: 'MODEL_NOT_FOUND', message: 'no' } });
    assert.equal(s.similarity.result?.cosine, 0.5);
    assert.equal(s.similarity.error, undefined);
    assert.equal(s.similarityCompare.error?.code, 'MODEL_NOT_FOUND');
  });

  it('a matrix of other texts drops the comparison; the same texts keep it', () => {
    let s = studioReducer(initialState(), { type: 'started', slot: 'matrixCompare', id: 1 });
    s = studioReducer(s, { type: 'succeeded', slot: 'matrixCompare', id: 1, result: comparison });
    const view = (texts: string[]) => ({ texts, matrix: [], topics: [], clusterOrder: [], origin: 'run', title: '' }) as MatrixView;
    const same = studioReducer(studioReducer(s, { type: 'started', slot: 'examples', id: 2 }), {
      type: 'succeeded',
      slot: 'examples',
      id: 2,
      result: view(['a', 'b', 'c']),
    });
    assert.equal(same.matrixCompare.result, comparison);
    const other = studioReducer(studioReducer(s, { type: 'started', slot: 'examples', id: 2 }), {
      type: 'succeeded',
      slot: 'examples',
      id: 2,
      result: view(['a', 'b']),
    });
    assert.equal(other.matrixCompare.result, undefined);
    assert.ok(comparesTexts(comparison, ['a', 'b', 'c']));
    assert.ok(!comparesTexts(comparison, ['a', 'c', 'b']));
  });

  it('the choice, the typed name, the layer and the results survive a reload; junk does not', () => {
    let s = studioReducer(initialState(), { type: 'compareChoice', choice: OTHER_MODEL });
    s = studioReducer(s, { type: 'input', slot: 'compare', field: 'other', value: 'owner/name@main' });
    s = studioReducer(s, { type: 'comparisonView', view: 'difference' });
    s = studioReducer(studioReducer(s, { type: 'started', slot: 'matrixCompare', id: 1 }), {
      type: 'succeeded',
      slot: 'matrixCompare',
      id: 1,
      result: comparison,
    });
    const restored = restoreState(JSON.parse(JSON.stringify(persistedState(s))));
    assert.deepEqual(restored.compare, { choice: OTHER_MODEL, other: 'owner/name@main' });
    assert.equal(restored.matrixCompare.view, 'difference');
    assert.deepEqual(restored.matrixCompare.result, comparison);
    const junk = restoreState({ compare: { choice: 7 }, matrixCompare: { view: 'sideways' } });
    assert.deepEqual(junk.compare, { choice: '', other: '' });
    assert.equal(junk.matrixCompare.view, 'first');
  });

  it('the difference of two scores: the shared headline function, else the cosines', () => {
    assert.deepEqual(scoreDifference(scores('cosine', 0.5, 0.5), scores('cosine', 0.75, 0.75)), { fn: 'cosine', value: 0.25, sameFunction: true });
    assert.deepEqual(scoreDifference(scores('dot', 0.5, 3), scores('dot', 0.25, 5)), { fn: 'dot', value: 2, sameFunction: true });
    assert.deepEqual(scoreDifference(scores('cosine', 0.5, 0.5), scores('dot', 0.25, 9)), { fn: 'cosine', value: -0.25, sameFunction: false });
  });

  it('the heatmap layers: each model on one shared scale, and second − first on its own', () => {
    assert.equal(comparisonMatrix(comparison, 'second'), comparison.second.matrix);
    const difference = comparisonMatrix(comparison, 'difference');
    assert.ok(Math.abs(difference[0]![1]! - 0.4) < 1e-12);
    assert.ok(Math.abs(difference[0]![2]! + 0.5) < 1e-12);
    assert.equal(difference[1]![1], 0);
    assert.deepEqual(comparisonRange(comparison, 'first'), { min: -0.3, max: 0.9 });
    assert.deepEqual(comparisonRange(comparison, 'second'), { min: -0.3, max: 0.9 });
    const range = comparisonRange(comparison, 'difference');
    assert.ok(Math.abs(range.min + 0.5) < 1e-12 && Math.abs(range.max - 0.4) < 1e-12);
  });

  it("a failed second model offers only fixes that act on it: settings and the log, never the active model's folder or download", () => {
    assert.deepEqual(compareErrorFix('MODEL_NOT_FOUND', false), { hint: 'compare.fix.notFoundNoDownload', actions: ['openSettings', 'showLog'] });
    assert.deepEqual(compareErrorFix('MODEL_NOT_FOUND', true), { hint: 'compare.fix.notFound', actions: ['openSettings'] });
    assert.deepEqual(compareErrorFix('CHECKSUM_MISMATCH', true), { hint: 'model.fix.generic', actions: ['showLog'] });
    assert.deepEqual(compareErrorFix('INVALID_INPUT', true).hint, 'compare.fix.notFound');
  });
});
