/**
 * How long a cancel and an unload wait for a running encode at the largest batch size the settings allow (512), on
 * texts of 256 word pieces (the longest the model sees), for fp32 and q8: with the engine's token budget and
 * without one (every text of the request in one batch, as before the budget). Each is triggered right after the
 * first batch has started, the worst case: 50 ms after the time the texts take to tokenise.
 *
 *   npx tsc -b && node out/scripts/bench/cancelBound.js [--runs 3] [--texts 512] [--budgets 8192,none] [--dtypes fp32,q8]
 *
 * cancel → rejected: the caller's promise rejects (it never waits for the worker).
 * cancel → worker free: a one-text request sent right after the cancel is answered (it queues behind the batch).
 * unload → resolved: unload() resolves, the worker threads gone.
 */
import { Engine } from '../../src/engine/engine';
import type { Dtype } from '../../src/engine/types';
import { machineInfo } from './machine';
import { benchPaths } from './paths';
import { median } from './stats';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

interface Trial {
  rejectMs: number;
  freeMs: number;
  unloadMs: number;
}

/** Starts an encode; `batchRunning` resolves just after its first batch has started. */
function startEncode(engine: Engine, texts: string[], tokenizeMs: number, signal?: AbortSignal) {
  const run = engine.encode(texts, { signal });
  run.catch(() => undefined);
  const batchRunning = new Promise<void>((resolve) => setTimeout(resolve, tokenizeMs + 50));
  return { run, batchRunning };
}

async function trial(engine: Engine, texts: string[], tokenizeMs: number): Promise<Trial> {
  await engine.load();
  const controller = new AbortController();
  const encode = startEncode(engine, texts, tokenizeMs, controller.signal);
  await encode.batchRunning;
  const cancelled = performance.now();
  controller.abort();
  const rejected = encode.run.then(
    () => Number.NaN,
    () => performance.now() - cancelled,
  );
  await engine.encode(['a probe sent right after the cancel']);
  const freeMs = performance.now() - cancelled;
  const rejectMs = await rejected;

  const again = startEncode(engine, texts, tokenizeMs);
  await again.batchRunning;
  const unloading = performance.now();
  await engine.unload();
  const unloadMs = performance.now() - unloading;
  return { rejectMs, freeMs, unloadMs };
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs', '3'));
  const count = Number(arg('--texts', '512'));
  const budgets = arg('--budgets', '8192,none').split(',');
  const dtypes = arg('--dtypes', 'fp32,q8').split(',') as Dtype[];
  const { modelDir } = benchPaths();
  const before = machineInfo();
  console.log(
    `${before.cpuModel}, ${before.logicalCpus} cores, load ${before.loadAverage.map((l) => l.toFixed(2)).join(' ')}, Node ${before.node}, onnxruntime-node ${before.onnxruntimeNode}`,
  );
  const texts = Array.from({ length: count }, (_, i) => `text ${i}: ${'the quick brown fox jumps over the lazy dog '.repeat(40)}`);
  console.log(`${count} texts of 256 word pieces, batch size ${count}, 1 worker with the default threads, ${runs} runs each (median)`);
  console.log('dtype  budget     batches  cancel→rejected ms  cancel→worker free ms  unload→resolved ms');
  for (const dtype of dtypes) {
    for (const budget of budgets) {
      const maxBatchTokens = budget === 'none' ? Number.MAX_SAFE_INTEGER : Number(budget);
      const engine = new Engine({ modelDir, dtype, batchSize: count, maxBatchTokens, cacheBytes: 0 });
      const counted = performance.now();
      const tokens = await engine.countTokens(texts);
      const tokenizeMs = performance.now() - counted;
      if (tokens.some((t) => t.count !== 256)) throw new Error('every text must have 256 word pieces');
      const trials: Trial[] = [];
      for (let r = 0; r < runs; r++) trials.push(await trial(engine, texts, tokenizeMs));
      const batches = Math.ceil(count / Math.max(1, Math.min(count, Math.floor(maxBatchTokens / 256))));
      const m = (key: keyof Trial) => median(trials.map((t) => t[key]).filter((v) => !Number.isNaN(v)));
      const cell = (v: number, width: number) => (Number.isNaN(v) ? '-' : v.toFixed(0)).padStart(width);
      console.log(
        `${dtype.padEnd(7)}${budget.padEnd(11)}${String(batches).padStart(7)}${cell(m('rejectMs'), 20)}${cell(m('freeMs'), 23)}${cell(m('unloadMs'), 20)}`,
      );
      await engine.dispose();
    }
  }
  console.log(
    `load average after: ${machineInfo()
      .loadAverage.map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
