import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine, EngineError, type EngineState } from '../../../src/engine';
import { testModelDir } from '../../helpers/sharedPaths';
import { cosine } from '../../helpers/referenceFixtures';

function rejectsWith(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof EngineError, `expected EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/** Aborts an encode (q8, batches of 4) after `abortAt` batches: it rejects with CANCELLED before the last batch and the engine still works. */
async function cancelsMidRun(workers: number, texts: string[], abortAt: number): Promise<void> {
  const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8', batchSize: 4, cacheEntries: 0, workers });
  await fresh.load();
  const controller = new AbortController();
  let batches = 0;
  let total = 0;
  const run = fresh.encode(texts, {
    signal: controller.signal,
    onProgress: (p) => {
      ({ done: batches, total } = p);
      if (p.done === abortAt) controller.abort();
    },
  });
  await assert.rejects(run, rejectsWith('CANCELLED'));
  // Repeated texts are encoded once; the unique ones are dealt round-robin to the workers, each counting its batches.
  const unique = new Set(texts).size;
  const shardSizes = Array.from({ length: workers }, (_, k) => Math.ceil((unique - k) / workers));
  assert.equal(
    total,
    shardSizes.reduce((sum, size) => sum + Math.ceil(size / 4), 0),
  );
  assert.ok(batches >= abortAt && batches < total, `stopped after ${batches} of ${total} batches`);
  const [after] = await fresh.encode(['still works']);
  assert.equal(after!.length, 384);
  await fresh.dispose();
}

/** A full garbage collection, so that heap figures count only what is still referenced. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('engine behaviour with the real model', function () {
  let engine: Engine;
  before(() => {
    engine = new Engine({ modelDir: testModelDir(), dtype: 'fp32', batchSize: 16 });
  });
  after(() => engine.dispose());

  it('an empty list gives an empty result without loading the model', async () => {
    const fresh = new Engine({ modelDir: testModelDir() });
    assert.deepEqual(await fresh.encode([]), []);
    assert.equal(fresh.state.kind, 'unloaded');
    await fresh.dispose();
  });

  it('non-string input is refused with the index of the bad text', async () => {
    await assert.rejects(engine.encode(['ok', 42 as unknown as string]), rejectsWith('INVALID_INPUT', /Text 1 is number/));
    await assert.rejects(engine.encode(['ok', null as unknown as string]), rejectsWith('INVALID_INPUT', /null/));
  });

  it('concurrent callers share one load', async () => {
    const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8' });
    const states: EngineState['kind'][] = [];
    fresh.on('state', (s) => states.push(s.kind));
    const loads: string[] = [];
    fresh.on('log', (m) => m.startsWith('loaded') && loads.push(m));
    const [a, b, c] = await Promise.all([fresh.encode(['one']), fresh.encode(['two']), fresh.load()]);
    assert.equal(loads.length, 1);
    assert.deepEqual(states, ['loading', 'ready']);
    assert.equal(a[0]!.length, 384);
    assert.equal(b[0]!.length, 384);
    assert.equal(c.dtype, 'q8');
    assert.equal(c.source, 'folder');
    await fresh.dispose();
  });

  describe('a shared load', function () {
    /** Resolves when the engine emits a state of this kind. */
    const stateReached = (engine: Engine, kind: EngineState['kind']) =>
      new Promise<void>((resolve) => {
        const listener = (state: EngineState) => {
          if (state.kind !== kind) return;
          engine.off('state', listener);
          resolve();
        };
        engine.on('state', listener);
      });

    it('goes on for the others when one caller cancels: the canceller gets CANCELLED, the others the model', async () => {
      for (const otherSignal of [undefined, new AbortController().signal]) {
        const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8' });
        const a = new AbortController();
        const first = fresh.load(a.signal);
        const second = fresh.load(otherSignal);
        a.abort();
        await assert.rejects(first, rejectsWith('CANCELLED'));
        const info = await second;
        assert.equal(info.dtype, 'q8');
        assert.equal(fresh.state.kind, 'ready');
        assert.equal((await fresh.encode(['still loaded']))[0]!.length, 384);
        await fresh.dispose();
      }
    });

    it('is cancelled when every caller waiting on it cancels: state back to unloaded, its worker threads gone', async () => {
      const logs: string[] = [];
      const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8', workers: 2, log: (m) => logs.push(m) });
      const a = new AbortController();
      const b = new AbortController();
      const loading = stateReached(fresh, 'loading');
      const first = fresh.load(a.signal);
      const second = fresh.encode(['x'], { signal: b.signal });
      await loading; // the workers are creating their sessions
      const unloaded = stateReached(fresh, 'unloaded');
      b.abort();
      a.abort();
      await assert.rejects(first, rejectsWith('CANCELLED'));
      await assert.rejects(second, rejectsWith('CANCELLED'));
      await unloaded;
      assert.equal(fresh.threadCount, 0, 'the cancelled load stopped its workers');
      assert.equal(fresh.info, undefined);
      assert.ok(!logs.some((m) => m.startsWith('loaded')), logs.join('\n'));
      assert.ok(
        logs.some((m) => m.includes('load cancelled')),
        logs.join('\n'),
      );
      assert.equal((await fresh.encode(['loads again']))[0]!.length, 384);
      assert.equal(fresh.threadCount, 2);
      await fresh.dispose();
      assert.equal(fresh.threadCount, 0);
    });

    it('is cancelled by unload, which leaves no model behind and resolves when the threads are gone', async () => {
      const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8' });
      const loading = stateReached(fresh, 'loading');
      const pending = fresh.load();
      await loading;
      await fresh.unload();
      await assert.rejects(pending, rejectsWith('CANCELLED', /unloaded/));
      assert.equal(fresh.state.kind, 'unloaded');
      assert.equal(fresh.info, undefined);
      assert.equal(fresh.threadCount, 0);
      assert.equal((await fresh.encode(['loads again']))[0]!.length, 384);
      await fresh.dispose();
    });
  });

  it('returns vectors in input order whatever the batch composition', async () => {
    const texts = ['short', 'a much longer sentence about neural networks and embeddings', 'mid length text here', ''];
    const together = await engine.encode(texts);
    const fresh = new Engine({ modelDir: testModelDir(), cacheEntries: 0, batchSize: 1 });
    const alone = await Promise.all(texts.map(async (t) => (await fresh.encode([t]))[0]!));
    await fresh.dispose();
    together.forEach((v, i) => assert.ok(cosine(v, alone[i]!) > 0.99999, `text ${i}`));
    assert.ok(cosine(together[0]!, together[1]!) < 0.9);
  });

  it('a 1 MB text is encoded like its first 256 word pieces', async () => {
    const sentence = 'Semantic search ranks documents by the meaning of the query rather than exact keywords. ';
    const huge = sentence.repeat(Math.ceil(1_000_000 / sentence.length));
    assert.ok(huge.length >= 1_000_000);
    const prefix = sentence.repeat(30); // well past 256 word pieces
    const { vectors, tokens } = await engine.encodeWithTokens([huge, prefix]);
    assert.deepEqual(tokens, [
      { count: 256, truncated: true },
      { count: 256, truncated: true },
    ]);
    assert.ok(cosine(vectors[0]!, vectors[1]!) > 0.999999);
  });

  it('texts of 10 MB without whitespace give the vectors and token counts of short texts with the same word pieces', async () => {
    // Each pair tokenises alike (the long one cut before tokenising); each text is encoded alone, so no padding differs.
    const pairs: [string, string][] = [
      ['x'.repeat(10_000_000) + ' hello world', 'x'.repeat(101) + ' hello world'], // one [UNK] word, then more
      ['é'.repeat(5_000_000) + ' café', 'é'.repeat(101) + ' café'],
      ['天'.repeat(10_000_000), '天'.repeat(300)],
      ['ab,'.repeat(3_400_000), 'ab,'.repeat(200)],
      ['ΑΣ.'.repeat(3_400_000), 'ΑΣ.'.repeat(200)], // σ, not the final ς, before each full stop followed by Α
      ['a\u0301'.repeat(5_000_000), 'a\u0301'.repeat(101)],
    ];
    const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8', cacheBytes: 0 });
    for (const [long, short] of pairs) {
      const [a, b] = [await fresh.encodeWithTokens([long]), await fresh.encodeWithTokens([short])];
      assert.deepEqual(a.tokens, b.tokens, short.slice(0, 12));
      assert.deepEqual(Array.from(a.vectors[0]!), Array.from(b.vectors[0]!), short.slice(0, 12));
    }
    await fresh.dispose();
  });

  it('cancellation mid-batch rejects with CANCELLED and the engine keeps working', async () => {
    await cancelsMidRun(
      1,
      Array.from({ length: 400 }, (_, i) => `sentence number ${i} about a topic that changes ${i * 7}`),
      2,
    );
  });

  it('unloading while batches run cancels them without taking the process down, and the next call reloads', async () => {
    // Terminating a worker thread while ONNX Runtime is inside session.run can abort the whole process (the
    // extension host, for the extension): unload lets the running batch finish, then ends the thread.
    for (const workers of [1, 2]) {
      const fresh = new Engine({ modelDir: testModelDir(), dtype: 'fp32', batchSize: 64, cacheEntries: 0, workers });
      await fresh.load();
      const texts = Array.from({ length: 1500 }, (_, i) => `a long enough sentence number ${i} ${'with padding words '.repeat(i % 12)}`);
      let unloading: Promise<void> | undefined;
      const run = fresh.encode(texts, {
        onProgress: ({ done }) => {
          if (done === 1) unloading = fresh.unload();
        },
      });
      await assert.rejects(run, rejectsWith('CANCELLED', /unloaded/));
      await unloading;
      assert.equal(fresh.state.kind, 'unloaded');
      const [again] = await fresh.encode(['loaded again']);
      assert.equal(again!.length, 384);
      await fresh.dispose();
    }
  });

  it('long texts come in batches bounded by word pieces whatever the batch size, with the same vectors', async () => {
    // Equal lengths, so that both engines form the same batches (q8 quantises activations per batch, so its vectors
    // depend on the batch's company).
    const texts = Array.from({ length: 128 }, (_, i) => `text ${String(i).padStart(3, '0')}: ${'the quick brown fox jumps over the lazy dog '.repeat(40)}`);
    const big = new Engine({ modelDir: testModelDir(), dtype: 'q8', batchSize: 128, cacheBytes: 0 });
    const totals = new Set<number>();
    const { vectors, tokens } = await big.encodeWithTokens(texts, { onProgress: (p) => totals.add(p.total) });
    assert.ok(tokens.every((t) => t.count === 256));
    // 128 texts × 256 pieces under the default budget of 8192 padded pieces: 4 batches of 32, not one of 128.
    assert.deepEqual([...totals], [4]);
    await big.dispose();
    const small = new Engine({ modelDir: testModelDir(), dtype: 'q8', batchSize: 32, cacheBytes: 0 });
    const same = await small.encode(texts);
    same.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(vectors[i]!), `text ${i}`));
    await small.dispose();
  });

  it('a worker stopped inside session.run is not terminated there (that aborts the process) but right after the run', () => {
    // In a child process, because the failure is the whole process aborting: stop() with a 50 ms grace while a batch
    // of 64 × 256 word pieces runs.
    const engineDir = path.join(__dirname, '..', '..', '..', 'src', 'engine');
    const script = `
      const { WorkerClient } = require(${JSON.stringify(path.join(engineDir, 'workerClient.js'))});
      const { EngineError } = require(${JSON.stringify(path.join(engineDir, 'errors.js'))});
      (async () => {
        const worker = new WorkerClient(${JSON.stringify(path.join(engineDir, 'engineWorker.js'))}, () => undefined);
        await worker.request({ kind: 'load', dir: ${JSON.stringify(testModelDir())}, dtype: 'q8', threads: 2 });
        const texts = Array.from({ length: 64 }, (_, i) => i + ' ' + 'lorem ipsum dolor '.repeat(100));
        let stopping;
        const stop = () => (stopping ??= new Promise((r) => setTimeout(r, 100)).then(() => worker.stop(new EngineError('CANCELLED', 'stop'), 50)));
        const timer = setTimeout(stop, 1000);
        const run = worker.request({ kind: 'encode', texts, batchSize: 64, maxBatchTokens: 16384 }, undefined, (p) => p.done === 0 && stop());
        await run.catch((e) => console.log('encode', e.code));
        await stop();
        clearTimeout(timer);
        console.log('stopped');
      })();`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, `exit ${result.status} ${result.signal ?? ''}: ${result.stderr}`);
    assert.match(result.stdout, /encode CANCELLED\nstopped/);
  });

  it('a missing model folder names the path', async () => {
    const missing = path.join(os.tmpdir(), 'minilm-no-such-model');
    const fresh = new Engine({ modelDir: missing });
    await assert.rejects(fresh.encode(['x']), rejectsWith('MODEL_NOT_FOUND', /minilm-no-such-model/));
    assert.equal(fresh.state.kind, 'error');
    await fresh.dispose();
  });

  it('a corrupted ONNX file is reported as corrupted, not as a crash', async () => {
    const source = testModelDir();
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-broken-'));
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
      fs.copyFileSync(path.join(source, file), path.join(broken, file));
    }
    fs.mkdirSync(path.join(broken, 'onnx'));
    const bytes = fs.readFileSync(path.join(source, 'onnx', 'model_quantized.onnx'));
    fs.writeFileSync(path.join(broken, 'onnx', 'model_quantized.onnx'), bytes.subarray(0, bytes.length / 3));
    const fresh = new Engine({ modelDir: broken, dtype: 'q8' });
    await assert.rejects(fresh.encode(['x']), rejectsWith('MODEL_CORRUPT', /corrupted/));
    await fresh.dispose();
    fs.rmSync(broken, { recursive: true, force: true });
  });

  it('switching dtype reloads and gives close but not identical vectors', async () => {
    const fresh = new Engine({ modelDir: testModelDir(), dtype: 'fp32' });
    const [fp32] = await fresh.encode(['The quick brown fox jumps over the lazy dog.']);
    await fresh.configure({ dtype: 'q8' });
    assert.equal(fresh.state.kind, 'unloaded');
    const [q8] = await fresh.encode(['The quick brown fox jumps over the lazy dog.']);
    assert.equal(fresh.info?.dtype, 'q8');
    const c = cosine(fp32!, q8!);
    assert.ok(c > 0.95 && c < 0.999999, `fp32 vs q8 cosine ${c}`);
    await fresh.dispose();
  });

  describe('two workers', function () {
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 50 === 0
        ? ''
        : `${'long '.repeat(i % 7 === 0 ? 300 : 0)}sentence ${i} about ${['cats', 'the stock market', 'neural networks', '天气很好', 'emoji 🎉'][i % 5]} and ${i * 13}`,
    );
    let single: Float32Array[];
    let singleTokens: { count: number; truncated: boolean }[];
    before(async () => {
      const one = new Engine({ modelDir: testModelDir(), dtype: 'fp32', cacheEntries: 0, batchSize: 16 });
      ({ vectors: single, tokens: singleTokens } = await one.encodeWithTokens(texts));
      await one.dispose();
    });

    it('split a large request between them and return the same vectors and token counts in input order', async () => {
      const logs: string[] = [];
      const two = new Engine({ modelDir: testModelDir(), dtype: 'fp32', cacheEntries: 0, batchSize: 16, workers: 2, log: (m) => logs.push(m) });
      const progress: { done: number; total: number }[] = [];
      const { vectors, tokens } = await two.encodeWithTokens(texts, { onProgress: (p) => progress.push(p) });
      assert.equal(two.info?.workers, 2);
      const threads = Math.max(1, Math.floor(Math.min(os.availableParallelism(), 4) / 2));
      assert.equal(two.info?.threads, threads, 'two workers split the cores');
      assert.ok(
        logs.some((m) => m.includes(`with 2 workers × ${threads} thread`)),
        logs.join('\n'),
      );
      assert.deepEqual(tokens, singleTokens);
      vectors.forEach((v, i) => assert.ok(cosine(v, single[i]!) > 0.99999, `text ${i}: ${cosine(v, single[i]!)}`));
      // Both workers' batches add up: ceil(150 / 16) each, counted once, ending at the total.
      assert.ok(
        progress.every((p) => p.total === 20),
        JSON.stringify(progress.slice(0, 3)),
      );
      assert.deepEqual(
        progress.map((p) => p.done),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      await two.dispose();
    });

    it('cancel both halves, and the engine keeps working', async () => {
      await cancelsMidRun(2, texts, 3);
    });

    it('a small request stays on one worker and matches', async () => {
      const two = new Engine({ modelDir: testModelDir(), dtype: 'fp32', cacheEntries: 0, batchSize: 16, workers: 2 });
      const progress: number[] = [];
      // 40 texts < 2 batches × 2 workers: one worker runs ceil(40 / 16) = 3 batches (a split would count 2 + 2).
      const vectors = await two.encode(texts.slice(0, 40), { onProgress: (p) => progress.push(p.total) });
      assert.ok(progress.length > 0 && progress.every((t) => t === 3), `one worker's 3 batches, got totals ${progress}`);
      vectors.forEach((v, i) => assert.ok(cosine(v, single[i]!) > 0.99999, `text ${i}`));
      await two.dispose();
    });
  });

  it('the cache keeps no text: 40 texts of 1 MB leave the heap almost as it was and the cache under cacheBytes', async () => {
    const cacheBytes = 32 * 1024;
    const fresh = new Engine({ modelDir: testModelDir(), dtype: 'q8', cacheBytes });
    await fresh.load();
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i += 8) {
      await fresh.encode(Array.from({ length: 8 }, (_, k) => `${i + k} words `.repeat(120_000)));
    }
    collectGarbage();
    const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // Keys holding the texts kept 40 MB alive here.
    assert.ok(grownMb < 4, `heap grew by ${grownMb.toFixed(1)} MB`);
    assert.ok(fresh.cacheUsage.bytes <= cacheBytes && fresh.cacheUsage.entries > 0, JSON.stringify(fresh.cacheUsage));
    await fresh.dispose();
  });

  it('repeated texts come from the cache', async () => {
    const [first] = await engine.encode(['cache me']);
    const [second] = await engine.encode(['cache me']);
    assert.equal(first, second);
  });
});
