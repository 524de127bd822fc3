import assert from 'node:assert/strict';
import type { ModelStatus } from '../../../src/shared/studioProtocol';
import { errorFix, modelPrimaryAction } from '../../../media/src/webview/modelActions';

describe('Model tab actions', () => {
  it('suggests the fix for each model error', () => {
    assert.deepEqual(errorFix('MODEL_NOT_FOUND').actions[0], 'chooseFolder');
    assert.equal(errorFix('MODEL_NOT_FOUND').hint, 'model.fix.notFound');
    assert.equal(errorFix('CHECKSUM_MISMATCH').actions[0], 'download');
    assert.ok(errorFix('WORKER_FAILED').actions.includes('showLog'));
  });

  it('makes Load the primary button only while the model is not loaded, the fix while it fails, Download before either', () => {
    const status = (state: ModelStatus['state'], error?: ModelStatus['error']): ModelStatus => ({ state, dtype: 'fp32', memoryRss: 1, error });
    assert.equal(modelPrimaryAction(status('unloaded')), 'load');
    assert.equal(modelPrimaryAction(status('ready')), undefined);
    assert.equal(modelPrimaryAction(status('loading')), undefined);
    assert.equal(modelPrimaryAction(status('error', { code: 'MODEL_NOT_FOUND', message: 'x' })), 'fix');
    assert.equal(modelPrimaryAction(undefined), undefined);
    assert.equal(modelPrimaryAction(status('unloaded'), true), 'download', 'a chosen model not on this machine is downloaded first');
    assert.equal(modelPrimaryAction(status('error', { code: 'MODEL_NOT_FOUND', message: 'x' }), true), 'download');
  });
});
