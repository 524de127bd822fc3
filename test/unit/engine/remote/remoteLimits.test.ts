import assert from 'node:assert/strict';
import { limitsFromTeiInfo, requestBatches, retryAfterMs } from '../../../../src/engine/remote';

describe('remote request limits', () => {
  it('batches by the smaller of the batch size and max_client_batch_size', () => {
    const texts = Array.from({ length: 7 }, () => 'x');
    assert.deepEqual(requestBatches(texts, 3, {}), [
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 7 },
    ]);
    assert.deepEqual(requestBatches(texts, 32, { maxClientBatchSize: 4 }), [
      { start: 0, end: 4 },
      { start: 4, end: 7 },
    ]);
  });

  it('keeps the estimated word pieces of a batch within max_batch_tokens, counting a long text at most max_input_length', () => {
    const long = 'y'.repeat(10_000);
    // each long text counts 256, a short one its length + 2
    const batches = requestBatches([long, long, 'ab', long], 32, { maxBatchTokens: 600, maxInputLength: 256 });
    assert.deepEqual(batches, [
      { start: 0, end: 3 },
      { start: 3, end: 4 },
    ]);
    // a text over the budget still goes, alone
    assert.deepEqual(requestBatches([long, 'a'], 32, { maxBatchTokens: 100 }), [
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    assert.deepEqual(requestBatches([], 32, {}), []);
  });

  it('reads /info defensively', () => {
    assert.deepEqual(limitsFromTeiInfo({ max_client_batch_size: 32, max_batch_tokens: 16384, max_input_length: 512 }), {
      maxClientBatchSize: 32,
      maxBatchTokens: 16384,
      maxInputLength: 512,
    });
    assert.deepEqual(limitsFromTeiInfo({ max_client_batch_size: '32', max_batch_tokens: -1 }), {
      maxClientBatchSize: undefined,
      maxBatchTokens: undefined,
      maxInputLength: undefined,
    });
    assert.deepEqual(limitsFromTeiInfo(null), { maxClientBatchSize: undefined, maxBatchTokens: undefined, maxInputLength: undefined });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
    assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  });
});
