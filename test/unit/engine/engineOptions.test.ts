import assert from 'node:assert/strict';
import os from 'node:os';
import { Engine, EngineError } from '../../../src/engine';

const invalid = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof EngineError, String(error));
  assert.equal(error.code, 'INVALID_INPUT');
  assert.match(error.message, pattern);
  return true;
};

describe('engine options', () => {
  const cores = os.availableParallelism();

  it('refuses workers below 1 or beyond the available cores, threads likewise, and batch sizes below 1', () => {
    for (const [options, pattern] of [
      [{ workers: 0 }, /workers/],
      [{ workers: cores + 1 }, new RegExp(`at most ${cores} workers`)],
      [{ workers: 1000 }, /workers/],
      [{ workers: 1.5 }, /whole number/],
      [{ threads: 0 }, /threads/],
      [{ threads: cores + 1 }, /threads/],
      [{ batchSize: 0 }, /batchSize/],
      [{ batchSize: -3 }, /batchSize/],
      [{ batchSize: Number.NaN }, /batchSize/],
      [{ cacheBytes: -1 }, /cacheBytes/],
      [{ cacheEntries: 2.5 }, /cacheEntries/],
    ] as const) {
      assert.throws(() => new Engine(options), invalid(pattern), JSON.stringify(options));
    }
  });

  it('accepts the edges of the ranges', async () => {
    await new Engine({ workers: cores, threads: 1, batchSize: 1, cacheBytes: 0, cacheEntries: 0 }).dispose();
    await new Engine({ workers: 1, threads: cores, batchSize: 512 }).dispose();
  });

  it('configure refuses a bad value before applying it; encode refuses a bad batch size before loading', async () => {
    const engine = new Engine({ modelDir: '/nonexistent', workers: 1 });
    await assert.rejects(engine.configure({ workers: 0 }), invalid(/workers/));
    await assert.rejects(engine.encode(['x'], { batchSize: 0 }), invalid(/batchSize/));
    // Half a UTF-16 pair (JSON can carry one) is no text a tokenizer can take: refused before loading, naming it.
    await assert.rejects(engine.encode(['fine', 'bad \ud83d end']), invalid(/Text 1 holds an unpaired surrogate \(\\uD83D\)/));
    assert.equal(engine.state.kind, 'unloaded');
    await engine.dispose();
  });
});
