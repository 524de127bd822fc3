import assert from 'node:assert/strict';
import type { CatalogueItemView, ModelPickerView } from '../../../src/shared/studioProtocol';
import { ENGLISH_STRINGS } from '../../../src/shared/studioUiStrings';
import { initialState, persistedState, restoreState, studioReducer } from '../../../media/src/webview/studioState';
import { downloadSizeText, otherModel, pickerRow } from '../../../media/src/webview/pickerRows';
import { headlineScore } from '../../../media/src/webview/similarityReading';

const item = (overrides: Partial<CatalogueItemView> = {}): CatalogueItemView => ({
  id: 'bge-small-zh-v1.5',
  baseModel: 'BAAI/bge-small-zh-v1.5',
  repository: 'Xenova/bge-small-zh-v1.5',
  revision: '75c43b069aac4d136ba6bc1122f995fedcfd2781',
  languageSummary: 'Chinese',
  dimension: 512,
  pooling: ['cls'],
  licence: 'MIT',
  similarityFunction: 'cosine',
  download: { bytes: 24_451_050, exact: true },
  verifiedDtypes: ['q8'],
  current: false,
  ...overrides,
});

describe('model picker view model', () => {
  it('a dtype without a published digest is offered disabled with the reason naming the dtype that works', () => {
    const row = pickerRow(item(), 'fp32');
    assert.equal(row.disabled, true);
    assert.deepEqual(row.reason, { key: 'picker.noDigest', args: ['fp32', 'q8'] });
    assert.ok(ENGLISH_STRINGS[row.reason!.key].includes('{1}'));
    assert.deepEqual(pickerRow(item(), 'q8'), { disabled: false });
  });

  it("a local copy can be used whatever its dtype's digests; the current entry is not offered again", () => {
    assert.deepEqual(pickerRow(item({ local: { source: 'project', dir: '/w/models/bge-small-zh-v1.5' } }), 'fp32'), { disabled: false });
    assert.deepEqual(pickerRow(item({ current: true }), 'q8'), { disabled: true });
    assert.equal(pickerRow(item({ verifiedDtypes: [] }), 'q8').reason?.key, 'picker.noDigestAny');
  });

  it('sizes read as minilm models prints them', () => {
    assert.equal(downloadSizeText({ bytes: 90_868_376 + 1_000, exact: true }), '90.9 MB');
    assert.equal(downloadSizeText({ bytes: 470_000_000, exact: false }), '~470.0 MB');
  });

  it('a hub repository or folder in minilm.model is "another model"; a catalogue pick or the default is not', () => {
    const view = (setting: string, current: boolean): ModelPickerView => ({
      dtype: 'q8',
      setting,
      modelFolder: '',
      allowDownload: true,
      entries: [item({ current })],
    });
    assert.equal(otherModel(view('BAAI/bge-m3', false)), 'BAAI/bge-m3');
    assert.equal(otherModel(view('bge-small-zh-v1.5', true)), undefined);
    assert.equal(otherModel(view('', false)), undefined);
  });

  it("the headline is the model's similarity function: cosine with bands, others named and unbanded", () => {
    const r = { cosine: 0.5, dot: 7.25, euclidean: 1.5, manhattan: 20 };
    assert.deepEqual(headlineScore(r), { fn: 'cosine', value: 0.5, label: 'similarity.cosine', banded: true });
    assert.deepEqual(headlineScore({ ...r, similarityFunction: 'dot' }), { fn: 'dot', value: 7.25, label: 'similarity.dot', banded: false });
    assert.equal(ENGLISH_STRINGS[headlineScore({ ...r, similarityFunction: 'dot' }).label], 'Dot product');
    assert.deepEqual(headlineScore({ ...r, similarityFunction: 'manhattan' }), { fn: 'manhattan', value: 20, label: 'similarity.manhattan', banded: false });
  });

  it('the picker is host state: a pick answer and a host notification replace it, a late answer does not, only the typed name persists', () => {
    const view: ModelPickerView = { dtype: 'q8', setting: '', modelFolder: '', allowDownload: true, entries: [item()] };
    let state = studioReducer(initialState(), { type: 'input', slot: 'picker', field: 'other', value: 'BAAI/bge-m3' });
    state = studioReducer(state, { type: 'started', slot: 'picker', id: 4 });
    state = studioReducer(state, { type: 'succeeded', slot: 'picker', id: 3, result: view });
    assert.equal(state.picker.result, undefined, 'an answer to a replaced request is dropped');
    state = studioReducer(state, { type: 'failed', slot: 'picker', id: 4, error: { code: 'INVALID_INPUT', message: 'no' } });
    assert.deepEqual(state.picker.error, { code: 'INVALID_INPUT', message: 'no' });
    state = studioReducer(state, { type: 'picker', view });
    assert.equal(state.picker.result, view);
    const restored = restoreState(JSON.parse(JSON.stringify(persistedState(state))));
    assert.deepEqual(restored.picker, { other: 'BAAI/bge-m3' });
  });
});
