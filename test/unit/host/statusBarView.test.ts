import assert from 'node:assert/strict';
import type { ModelInfo } from '../../../src/engine/types';
import { downloadPercent, remoteStatusBarView, statusBarView } from '../../../src/host/statusBarView';
import { english } from '../../../src/shared/translate';
import { errorActions } from '../../../src/shared/errorActions';

const info: ModelInfo = {
  name: 'all-MiniLM-L6-v2',
  source: 'folder',
  dir: '/models/all-MiniLM-L6-v2',
  dtype: 'q8',
  modelFile: '/models/all-MiniLM-L6-v2/onnx/model_quantized.onnx',
  dimension: 384,
  maxSeqLength: 256,
  pooling: ['mean'],
  includePrompt: true,
  dense: [],
  normalize: true,
  similarityFunction: 'cosine',
  prompts: { query: '', document: '' },
  promptNames: ['query', 'document'],
  defaultPromptName: undefined,
  loadMs: 812.4,
  threads: 2,
  workers: 1,
};

describe('status bar view', () => {
  it('not loaded: an empty circle, the configured dtype in the tooltip, click loads', () => {
    const view = statusBarView({ kind: 'unloaded' }, 'fp32', english);
    assert.deepEqual(view, {
      text: '$(circle-large-outline) MiniLM',
      tooltip: 'MiniLM: model not loaded (fp32). Click to load it.',
      command: 'minilm.loadModel',
      error: false,
    });
  });

  it('not loaded or failed with another model configured: the item names it', () => {
    const view = statusBarView({ kind: 'unloaded' }, 'q8', english, 'bge-small-zh-v1.5');
    assert.equal(view.text, '$(circle-large-outline) MiniLM · bge-small-zh-v1.5');
    assert.equal(view.tooltip, 'MiniLM: bge-small-zh-v1.5 not loaded (q8). Click to load it.');
    assert.equal(
      statusBarView({ kind: 'error', code: 'MODEL_NOT_FOUND', message: 'm' }, 'q8', english, 'bge-small-zh-v1.5').text,
      '$(error) MiniLM · bge-small-zh-v1.5',
    );
  });

  it('downloading: the percentage, or megabytes while the size is unknown', () => {
    const known = statusBarView({ kind: 'downloading', file: 'onnx/model.onnx', received: 45_500_000, total: 90_400_000 }, 'fp32', english);
    assert.equal(known.text, '$(cloud-download) MiniLM 50%');
    assert.equal(known.tooltip, 'MiniLM: downloading onnx/model.onnx (45.5 of 90.4 MB)');
    const unknown = statusBarView({ kind: 'downloading', file: 'tokenizer.json', received: 700_000, total: undefined }, 'fp32', english);
    assert.equal(unknown.text, '$(cloud-download) MiniLM 0.7 MB');
  });

  it('loading: a spinner', () => {
    assert.equal(statusBarView({ kind: 'loading' }, 'q8', english).text, '$(loading~spin) MiniLM');
  });

  it('ready with another model than the default: its name is in the text, so the user sees which model scores', () => {
    const view = statusBarView({ kind: 'ready', info: { ...info, name: 'paraphrase-multilingual-MiniLM-L12-v2' } }, 'fp32', english);
    assert.equal(view.text, '$(check) MiniLM paraphrase-multilingual-MiniLM-L12-v2 · q8');
  });

  it('ready: the loaded dtype (not the configured one), details in the tooltip, click opens the Studio', () => {
    const view = statusBarView({ kind: 'ready', info }, 'fp32', english);
    assert.equal(view.text, '$(check) MiniLM q8');
    assert.match(
      view.tooltip,
      /all-MiniLM-L6-v2 q8 ready \(384 dimensions, max 256 word pieces\), from \/models\/all-MiniLM-L6-v2 \(folder\), loaded in 812 ms/,
    );
    assert.equal(view.command, 'minilm.openStudio');
  });

  it('error: error colours, the message in the tooltip, click shows the log', () => {
    const view = statusBarView({ kind: 'error', code: 'MODEL_NOT_FOUND', message: 'No model in /x.' }, 'fp32', english);
    assert.deepEqual(view, {
      text: '$(error) MiniLM',
      tooltip: 'MiniLM: No model in /x. (MODEL_NOT_FOUND). Click to show the log.',
      command: 'minilm.showLog',
      error: true,
    });
  });

  it('downloadPercent is floored, capped at 100 and undefined without a size', () => {
    assert.equal(downloadPercent(999, 1000), 99);
    assert.equal(downloadPercent(2000, 1000), 100);
    assert.equal(downloadPercent(5, undefined), undefined);
    assert.equal(downloadPercent(5, 0), undefined);
  });
});

describe('error actions', () => {
  it('a missing model offers a folder, a download (when allowed) and the settings', () => {
    assert.deepEqual(errorActions('MODEL_NOT_FOUND', true), ['chooseModelFolder', 'downloadModel', 'openSettings']);
    assert.ok(!errorActions('MODEL_NOT_FOUND', false).includes('downloadModel'));
  });

  it('a failed download points at the settings (a mirror) and a local folder', () => {
    assert.deepEqual(errorActions('DOWNLOAD_FAILED', true), ['openSettings', 'chooseModelFolder', 'showLog']);
    assert.deepEqual(errorActions('MODEL_UNSUPPORTED', true), ['chooseModelFolder', 'showLog']);
  });

  it('a corrupt model offers a fresh download; anything unknown the log', () => {
    assert.equal(errorActions('CHECKSUM_MISMATCH', true)[0], 'downloadModel');
    assert.deepEqual(errorActions('SOMETHING_ELSE', true), ['showLog']);
    assert.deepEqual(errorActions(undefined, true), ['showLog']);
  });
});

describe('remoteStatusBarView', () => {
  it('names the backend kind, host and model, and opens the Studio', () => {
    const view = remoteStatusBarView({ api: 'openai', host: '127.0.0.1:7997', model: 'all-MiniLM-L6-v2' }, english);
    assert.equal(view.text, '$(cloud) MiniLM · openai');
    assert.match(view.tooltip, /openai backend at 127\.0\.0\.1:7997, model all-MiniLM-L6-v2/);
    assert.equal(view.command, 'minilm.openStudio');
    assert.doesNotMatch(remoteStatusBarView({ api: 'tei', host: 'tei:8080', model: undefined }, english).tooltip, /model/);
  });
});
