import assert from 'node:assert/strict';
import { defaultServeLayout } from '../../../../src/cli/commands/serve';

describe('minilm serve default inference layout', () => {
  it('runs one worker per core, each with as many threads as one worker alone would get, at most 4 of each', () => {
    assert.deepEqual(defaultServeLayout(1), { workers: 1, threads: 1 });
    assert.deepEqual(defaultServeLayout(2), { workers: 2, threads: 2 });
    assert.deepEqual(defaultServeLayout(4), { workers: 4, threads: 4 });
    assert.deepEqual(defaultServeLayout(16), { workers: 4, threads: 4 });
  });
});
