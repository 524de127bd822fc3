import assert from 'node:assert/strict';
import { CoalescingRunner, Debouncer, type Timers } from '../../../../src/host/workspaceSearch/runQueue';

interface Deferred {
  resolve(): void;
  reject(error: Error): void;
}

/** A runner whose runs finish when the test says so. */
function controlledRunner() {
  const started: { request: string[]; done: Deferred }[] = [];
  const runner = new CoalescingRunner<string[], string>(
    (request) =>
      new Promise<string>((resolve, reject) => {
        started.push({ request, done: { resolve: () => resolve(request.join('+')), reject } });
      }),
    (a, b) => [...a, ...b],
  );
  return { runner, started };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingRunner', () => {
  it('runs one request at once; requests made meanwhile merge into a single queued run', async () => {
    const { runner, started } = controlledRunner();
    const first = runner.request(['a']);
    const second = runner.request(['b']);
    const third = runner.request(['c']);
    assert.equal(started.length, 1, 'a second run started while the first was going');
    assert.equal(runner.busy, true);
    started[0]!.done.resolve();
    assert.equal(await first, 'a');
    await tick();
    assert.equal(started.length, 2);
    assert.deepEqual(started[1]!.request, ['b', 'c']);
    started[1]!.done.resolve();
    assert.equal(await second, 'b+c');
    assert.equal(await third, 'b+c', 'both queued requests are answered by the one run that covered them');
    await runner.idle();
    assert.equal(runner.busy, false);
  });

  it('a failed run does not stop the queued one', async () => {
    const { runner, started } = controlledRunner();
    const first = runner.request(['a']);
    const second = runner.request(['b']);
    started[0]!.done.reject(new Error('disk full'));
    await assert.rejects(first, /disk full/);
    await tick();
    started[1]!.done.resolve();
    assert.equal(await second, 'b');
  });

  it('a request while a queued run waits to start joins it instead of starting a parallel run', async () => {
    const { runner, started } = controlledRunner();
    void runner.request(['a']);
    const queued = runner.request(['b']);
    started[0]!.done.resolve();
    // The first run has ended but the queued one has not started yet (it starts a microtask later).
    await Promise.resolve();
    const late = runner.request(['c']);
    await tick();
    assert.equal(started.length, 2);
    assert.deepEqual(started[1]!.request, ['b', 'c']);
    started[1]!.done.resolve();
    assert.equal(await queued, 'b+c');
    assert.equal(await late, 'b+c');
  });

  it('idle() waits for the queued run too', async () => {
    const { runner, started } = controlledRunner();
    void runner.request(['a']);
    void runner.request(['b']);
    let idle = false;
    const waiting = runner.idle().then(() => (idle = true));
    started[0]!.done.resolve();
    await tick();
    assert.equal(idle, false);
    started[1]!.done.resolve();
    await waiting;
    assert.equal(idle, true);
  });
});

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      const id = next++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...pending]) {
      if (timer.at <= now) {
        pending.delete(id);
        timer.callback();
      }
    }
  };
  return { timers, advance };
}

describe('Debouncer', () => {
  it('fires once, the delay after the last trigger', () => {
    const { timers, advance } = manualTimers();
    let fired = 0;
    const debouncer = new Debouncer(250, () => fired++, timers);
    debouncer.trigger();
    advance(200);
    debouncer.trigger();
    advance(200);
    assert.equal(fired, 0, 'fired before 250 ms of quiet');
    assert.equal(debouncer.pending, true);
    advance(50);
    assert.equal(fired, 1);
    assert.equal(debouncer.pending, false);
    advance(1000);
    assert.equal(fired, 1);
  });

  it('cancel() drops the pending call', () => {
    const { timers, advance } = manualTimers();
    let fired = 0;
    const debouncer = new Debouncer(100, () => fired++, timers);
    debouncer.trigger();
    debouncer.cancel();
    advance(500);
    assert.equal(fired, 0);
  });
});
