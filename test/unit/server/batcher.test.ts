import assert from 'node:assert/strict';
import { Batcher, QueueFullError, RequestAbortedError, type BatcherOptions, type EncodeVariant, type EncodedBatch } from '../../../src/server/batcher';

/** A fake engine: each text becomes a one-number vector of its length; calls wait until released. */
function fakeEngine() {
  const calls: { texts: string[]; signal: AbortSignal; variant: EncodeVariant; release: () => void; fail: (error: Error) => void }[] = [];
  const encode = (texts: string[], signal: AbortSignal, variant: EncodeVariant) =>
    new Promise<EncodedBatch>((resolve, reject) => {
      const result = { vectors: texts.map((t) => Float32Array.of(t.length)), tokens: texts.map((t) => t.length + 2) };
      calls.push({ texts, signal, variant, release: () => resolve(result), fail: reject });
      signal.addEventListener('abort', () => reject(new Error('engine call cancelled')), { once: true });
    });
  return { calls, encode };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function options(overrides: Partial<BatcherOptions> = {}): BatcherOptions {
  return { maxBatchTokens: 1000, maxBatchTexts: 100, maxQueue: 100, estimateTokens: (t) => t.length + 2, ...overrides };
}

describe('server Batcher', () => {
  it('joins requests queued while the engine is busy into one call and splits the results back in order', async () => {
    const engine = fakeEngine();
    const batches: number[] = [];
    const batcher = new Batcher(engine.encode, options({ onBatch: (b) => batches.push(b.requests) }));
    const first = batcher.submit(['a']);
    await tick();
    assert.equal(engine.calls.length, 1);
    const second = batcher.submit(['bb', 'ccc']);
    const third = batcher.submit(['dddd']);
    await tick();
    assert.equal(engine.calls.length, 1, 'nothing starts while a call runs');
    engine.calls[0]!.release();
    assert.deepEqual((await first).tokens, [3]);
    await tick();
    assert.equal(engine.calls.length, 2);
    assert.deepEqual(engine.calls[1]!.texts, ['bb', 'ccc', 'dddd']);
    engine.calls[1]!.release();
    const [r2, r3] = await Promise.all([second, third]);
    assert.deepEqual(
      r2.vectors.map((v) => v[0]),
      [2, 3],
    );
    assert.deepEqual(
      r3.vectors.map((v) => v[0]),
      [4],
    );
    assert.deepEqual(batches, [1, 2]);
  });

  it('keeps each engine call within the token budget, oldest requests first', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options({ maxBatchTokens: 10 }));
    const results = [batcher.submit(['aaa']), batcher.submit(['bbb']), batcher.submit(['ccc']), batcher.submit(['dddddddddddddddd'])];
    await tick();
    // 5 + 5 fit in 10; the third would not.
    assert.deepEqual(engine.calls[0]!.texts, ['aaa', 'bbb']);
    engine.calls[0]!.release();
    await tick();
    await tick();
    assert.deepEqual(engine.calls[1]!.texts, ['ccc']);
    engine.calls[1]!.release();
    await tick();
    await tick();
    // A request larger than the budget still runs, alone.
    assert.deepEqual(engine.calls[2]!.texts, ['dddddddddddddddd']);
    engine.calls[2]!.release();
    assert.equal((await Promise.all(results)).length, 4);
  });

  it('never puts requests that ask for different prompts or normalisation into one call; the oldest goes first', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options());
    const busy = batcher.submit(['a']);
    await tick();
    const results = [
      batcher.submit(['q1'], undefined, { promptName: 'query' }),
      batcher.submit(['d1']),
      batcher.submit(['q2'], undefined, { promptName: 'query' }),
      batcher.submit(['r1'], undefined, { normalize: false }),
      batcher.submit(['d2'], undefined, {}),
    ];
    engine.calls[0]!.release();
    await busy;
    for (let k = 1; k <= 3; k++) {
      await tick();
      await tick();
      assert.equal(engine.calls.length, k + 1, `call ${k} started`);
      engine.calls[k]!.release();
    }
    await Promise.all(results);
    assert.deepEqual(
      engine.calls.slice(1).map((c) => [c.texts, c.variant]),
      [
        [['q1', 'q2'], { promptName: 'query' }],
        [['d1', 'd2'], {}],
        [['r1'], { normalize: false }],
      ],
    );
  });

  it('keeps each engine call within the text limit', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options({ maxBatchTexts: 3 }));
    const a = batcher.submit(['a', 'b']);
    const b = batcher.submit(['c', 'd']);
    await tick();
    assert.deepEqual(engine.calls[0]!.texts, ['a', 'b']);
    engine.calls[0]!.release();
    await a;
    await tick();
    assert.deepEqual(engine.calls[1]!.texts, ['c', 'd']);
    engine.calls[1]!.release();
    await b;
  });

  it('drops a queued request whose signal aborts, and never sends its texts', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options());
    const first = batcher.submit(['a']);
    await tick();
    const controller = new AbortController();
    const dropped = batcher.submit(['gone'], controller.signal);
    const kept = batcher.submit(['kept']);
    controller.abort();
    await assert.rejects(dropped, RequestAbortedError);
    assert.equal(batcher.queued, 1);
    engine.calls[0]!.release();
    await first;
    await tick();
    assert.deepEqual(engine.calls[1]!.texts, ['kept']);
    engine.calls[1]!.release();
    await kept;
  });

  it('cancels a running engine call only when every request in it has gone', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options());
    const one = new AbortController();
    const two = new AbortController();
    const a = batcher.submit(['a'], one.signal);
    const b = batcher.submit(['b'], two.signal);
    await tick();
    one.abort();
    await assert.rejects(a, RequestAbortedError);
    assert.equal(engine.calls[0]!.signal.aborted, false);
    two.abort();
    await assert.rejects(b, RequestAbortedError);
    assert.equal(engine.calls[0]!.signal.aborted, true);
    await batcher.idle();
    // The batcher goes on serving.
    const c = batcher.submit(['c']);
    await tick();
    engine.calls[1]!.release();
    assert.deepEqual((await c).tokens, [3]);
  });

  it('refuses new requests beyond maxQueue and passes engine failures to every request of the batch', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, options({ maxQueue: 2 }));
    const a = batcher.submit(['a']);
    const b = batcher.submit(['b']);
    await assert.rejects(batcher.submit(['c']), QueueFullError);
    await tick();
    engine.calls[0]!.fail(new Error('boom'));
    await assert.rejects(a, /boom/);
    await assert.rejects(b, /boom/);
    await batcher.idle();
    assert.equal(batcher.pending, 0);
  });

  it('refuses a request whose signal has already aborted', async () => {
    const batcher = new Batcher(fakeEngine().encode, options());
    await assert.rejects(batcher.submit(['a'], AbortSignal.abort()), RequestAbortedError);
  });
});

describe('server Batcher with two workers (maxConcurrentBatches 2)', () => {
  const two = (overrides: Partial<BatcherOptions> = {}) => options({ maxConcurrentBatches: 2, gatherMs: 1, ...overrides });

  it('starts a lone request at once, and a second one on the free worker while the first runs', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, two());
    const a = batcher.submit(['a']);
    await tick();
    assert.equal(engine.calls.length, 1);
    const b = batcher.submit(['bb']);
    await tick();
    assert.equal(engine.calls.length, 2, 'two requests in flight: an even share is one each');
    assert.deepEqual(
      engine.calls.map((c) => c.texts),
      [['a'], ['bb']],
    );
    engine.calls[1]!.release();
    engine.calls[0]!.release();
    assert.deepEqual(
      (await a).vectors.map((v) => v[0]),
      [1],
    );
    assert.deepEqual(
      (await b).vectors.map((v) => v[0]),
      [2],
    );
  });

  it('shares requests queued in one turn evenly between the free workers, oldest first, each result to its request', async () => {
    const engine = fakeEngine();
    const batches: number[] = [];
    const batcher = new Batcher(engine.encode, two({ onBatch: (b) => batches.push(b.requests) }));
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'ggggggg'];
    const results = texts.map((t) => batcher.submit([t, t + t]));
    await tick();
    assert.deepEqual(
      engine.calls.map((c) => c.texts),
      [
        ['a', 'aa', 'bb', 'bbbb', 'ccc', 'cccccc', 'dddd', 'dddddddd'],
        ['eeeee', 'eeeeeeeeee', 'ffffff', 'ffffffffffff', 'ggggggg', 'gggggggggggggg'],
      ],
    );
    assert.deepEqual(batches, [4, 3]);
    // The second call ends first: its requests get their own vectors, in their own order.
    engine.calls[1]!.release();
    engine.calls[0]!.release();
    const settled = await Promise.all(results);
    settled.forEach((result, i) => {
      assert.deepEqual(
        result.vectors.map((v) => v[0]),
        [i + 1, 2 * (i + 1)],
      );
      assert.deepEqual(result.tokens, [i + 3, 2 * (i + 1) + 2]);
    });
  });

  it('while a call runs, keeps arrivals queued until they make an even share, so that the free worker is not spent on batches of one', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, two());
    const first = ['a', 'b', 'c', 'd'].map((t) => batcher.submit([t]));
    await tick();
    engine.calls[1]!.release(); // c, d answered; a, b still run on the other worker
    await Promise.all(first.slice(2));
    const e = batcher.submit(['e']);
    await tick();
    assert.equal(engine.calls.length, 2, 'e alone is less than an even share of the 3 in flight (2)');
    const f = batcher.submit(['f']);
    await tick();
    assert.deepEqual(engine.calls[2]!.texts, ['e', 'f']);
    engine.calls[2]!.release();
    await Promise.all([e, f]);
    // A request below its share waits for a running call to end; then, every worker idle, for gatherMs at most.
    const g = batcher.submit(['g']);
    await tick();
    assert.equal(batcher.queued, 1);
    engine.calls[0]!.release();
    await Promise.all(first.slice(0, 2));
    await tick();
    assert.equal(engine.calls.length, 3, 'g gathers: 4 clients were sending at once a moment ago');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(engine.calls[3]!.texts, ['g']);
    engine.calls[3]!.release();
    await g;
    // Fewer came than remembered: the next lone request starts at once.
    const h = batcher.submit(['h']);
    await tick();
    assert.deepEqual(engine.calls[4]!.texts, ['h']);
    engine.calls[4]!.release();
    await h;
    await batcher.idle();
    assert.equal(batcher.pending, 0);
  });

  it('idle() waits for every running call', async () => {
    const engine = fakeEngine();
    const batcher = new Batcher(engine.encode, two());
    const a = batcher.submit(['a']);
    await tick();
    const b = batcher.submit(['b']);
    await tick();
    let idle = false;
    const waiting = batcher.idle().then(() => (idle = true));
    engine.calls[0]!.release();
    await a;
    await tick();
    assert.equal(idle, false, 'one call still runs');
    engine.calls[1]!.release();
    await b;
    await waiting;
    assert.equal(idle, true);
  });
});
