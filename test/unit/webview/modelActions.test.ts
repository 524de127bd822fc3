import assert from 'node:assert/strict';
import type { ModelStatus } from '../../../src/shared/studioProtocol';
import { errorFix, modelPrimaryAction } from '../../../media/src/webview/modelActions';
import { errorActions } from '../../../src/shared/errorActions';

describe('Model tab actions', () => {
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
    const codes = [
      'MODEL_NOT_FOUND',
      'MODEL_CORRUPT',
      'CHECKSUM_MISMATCH',
      'DOWNLOAD_FAILED',
      'WRONG_DIMENSION',
      'MODEL_UNSUPPORTED',
      'WORKER_FAILED',
      'OTHER',
    ];
    for (const code of codes) {
      for (const allowDownload of [true, false])
        assert.deepEqual(errorFix(code, allowDownload).actions, errorActions(code, allowDownload), `${code} ${allowDownload}`);
    }
  });

  it('makes Load the primary button only while the model is not loaded, the fix while it fails, Download before either', () => {
    const status = (state: ModelStatus['state'], error?: ModelStatus['error']): ModelStatus => ({
      state,
      dtype: 'fp32',
      allowDownload: true,
      memoryRss: 1,
      error,
    });
    assert.equal(modelPrimaryAction(status('unloaded')), 'load');
    assert.equal(modelPrimaryAction(status('ready')), undefined);
    assert.equal(modelPrimaryAction(status('loading')), undefined);
    assert.equal(modelPrimaryAction(status('error', { code: 'MODEL_NOT_FOUND', message: 'x' })), 'fix');
    assert.equal(modelPrimaryAction(undefined), undefined);
    assert.equal(modelPrimaryAction(status('unloaded'), true), 'download', 'a chosen model not on this machine is downloaded first');
    assert.equal(modelPrimaryAction(status('error', { code: 'MODEL_NOT_FOUND', message: 'x' }), true), 'download');
  });
});
