import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { Engine } from '../../src/engine';
import { meanPoolNormalize } from '../../src/engine/pooling';
import { modelFileFor, type Dtype } from '../../src/engine/types';
import { cosineSimilarity, flattenCorpus, semanticSearch } from '../../src/core';
import { benchPaths, evenSubset, readCorpus } from './paths';
import { lengthSortedBatches } from '../../src/engine/batching';
import { configureTransformers, loadTokenizer, prepareBatch, prepareBatches, type FeedFill, type PreparedBatch } from './pretokenize';
import { median, percentile, timeRuns } from './stats';
import { randomUnitVectors } from './syntheticVectors';
import { indexStoreModes } from './indexStoreModes';
import { indexStoreBuild, indexStoreOpen } from './indexStoreTasks';
import { indexThroughput } from './indexThroughput';
import { indexSearchLatency } from './indexSearch';
import type { OrtWorkerData, OrtWorkerReply } from './ortWorker';
import { runRetrieval, stsTrainFile } from './retrievalTask';
import { chunkDocument } from '../../src/core/chunking';

export type GraphLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** One measurement, run in a fresh child process so that loads, memory and threads never leak between them. */
export type TaskSpec =
  | { kind: 'engine'; dtype: Dtype; batchSize?: number; threads?: number; workers?: number; runs: number; limit?: number }
  | { kind: 'headline'; runs: number; naiveLimit: number }
  | { kind: 'sweep'; dtype: Dtype; batchSizes: number[]; runs: number }
  | { kind: 'coldLoad'; dtype: Dtype }
  | { kind: 'pair'; dtype: Dtype; iterations: number }
  | { kind: 'search'; count: number; queries: number }
  | { kind: 'indexSearch'; count: number; queries: number }
  | { kind: 'overheads'; batchSize: number }
  | { kind: 'levers'; dtype: Dtype; limit: number; runs: number }
  | { kind: 'indexStoreBuild'; dir: string; chunks: number; textChars?: number }
  | { kind: 'indexStoreOpen'; dir: string; queries: number }
  | { kind: 'indexStoreModes'; dir: string; queries: number; only?: ('fp32' | 'int8' | 'int8_2threads')[] }
  | { kind: 'indexThroughput'; files: number; dtype: Dtype }
  | { kind: 'retrieval'; limit?: number }
  | { kind: 'chunkerSpeed'; runs: number };

/** A corpus tokenised and packed into batches for raw ONNX Runtime runs. */
interface CorpusSpec {
  batchSize: number;
  limit?: number;
  /** 'tokens' (default) sorts by word-piece count like the engine; 'chars' by characters like sentence-transformers. */
  sortBy?: 'chars' | 'tokens';
}

export interface TaskResult {
  sentences?: number;
  runsMs?: number[];
  /** Median over runs. */
  sentencesPerS?: number;
  /** Median latency (ms) for latency tasks. */
  ms?: number;
  p95Ms?: number;
  /** Peak resident set of the child process (all its threads), in KiB. */
  maxRssKb: number;
  details?: Record<string, unknown>;
}

const WARM_UP_TEXTS = 128;

export async function runTask(spec: TaskSpec): Promise<TaskResult> {
  switch (spec.kind) {
    case 'engine':
      return engineThroughput(spec);
    case 'sweep':
      return batchSweep(spec.dtype, spec.batchSizes, spec.runs);
    case 'headline':
      return headline(spec.runs, spec.naiveLimit);
    case 'coldLoad':
      return coldLoad(spec.dtype);
    case 'pair':
      return pairLatency(spec.dtype, spec.iterations);
    case 'search':
      return searchLatency(spec.count, spec.queries);
    case 'indexSearch':
      return indexSearchLatency(spec.count, spec.queries);
    case 'overheads':
      return overheads(spec.batchSize);
    case 'levers':
      return leverSuite(spec.dtype, spec.limit, spec.runs);
    case 'indexStoreBuild':
      return indexStoreBuild(spec);
    case 'indexStoreOpen':
      return indexStoreOpen(spec);
    case 'indexStoreModes':
      return indexStoreModes(spec);
    case 'indexThroughput':
      return indexThroughput(spec);
    case 'retrieval':
      return retrievalQuality(spec.limit);
    case 'chunkerSpeed':
      return chunkerSpeed(spec.runs);
  }
}

/** Retrieval quality of the chunking variants (docs/retrieval.md); no timing, so load does not move it. */
async function retrievalQuality(limit: number | undefined): Promise<TaskResult> {
  const { modelDir, sharedDir } = benchPaths();
  const run = await runRetrieval({ modelDir, stsFile: stsTrainFile(sharedDir), limit });
  return { maxRssKb: maxRssKb(), details: { ...run } };
}

/**
 * chunkDocument on the bench corpus as one plain-text paragraph (no blank line: one prose block of ~190 kB), against
 * one Intl.Segmenter pass over the same text, the baseline the windowed segmentation replaced.
 */
async function chunkerSpeed(runs: number): Promise<TaskResult> {
  const { corpusFile } = benchPaths();
  const text = fs.readFileSync(corpusFile, 'utf8');
  const flat = text.replace(/[\r\n]/g, ' ');
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  let chunks = 0;
  const chunkMs = await timeRuns(runs, async () => {
    chunks = chunkDocument(text, { kind: 'text' }).length;
  });
  const wholeMs = await timeRuns(runs, async () => {
    for (const segment of segmenter.segment(flat)) void segment;
  });
  return { maxRssKb: maxRssKb(), details: { chars: text.length, chunks, chunkMs: median(chunkMs), wholeSegmenterMs: median(wholeMs) } };
}

export function maxRssKb(): number {
  return process.resourceUsage().maxRSS;
}

function throughput(sentences: number, runsMs: number[], details?: Record<string, unknown>): TaskResult {
  return { sentences, runsMs, sentencesPerS: (sentences * 1000) / median(runsMs), maxRssKb: maxRssKb(), details };
}

async function engineThroughput(spec: {
  dtype: Dtype;
  batchSize?: number;
  threads?: number;
  workers?: number;
  runs: number;
  limit?: number;
}): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = corpusTexts(corpusFile, spec.limit);
  const engine = new Engine({ modelDir, dtype: spec.dtype, cacheEntries: 0, batchSize: spec.batchSize, threads: spec.threads, workers: spec.workers });
  const info = await engine.load();
  const runsMs = await timeRuns(
    spec.runs,
    () => engine.encode(texts),
    () => engine.encode(evenSubset(texts, WARM_UP_TEXTS)),
  );
  await engine.dispose();
  return throughput(texts.length, runsMs, { threads: info.threads, workers: info.workers, batchSize: spec.batchSize ?? 'default' });
}

async function createSession(dtype: Dtype, threads: number, graph: GraphLevel, spinning = true): Promise<ort.InferenceSession> {
  const { modelDir } = benchPaths();
  return ort.InferenceSession.create(path.join(modelDir, modelFileFor(dtype)), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: graph,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  });
}

/**
 * (b)/(c) and (d) in one process, their timed runs alternating, so that both see the same machine load (other
 * work on a 2-core machine moves absolute figures a lot; the ratio is what the target is about). Peak RSS is read
 * after the engine's first run, before the raw session exists.
 */
function corpusTexts(corpusFile: string, limit: number | undefined): string[] {
  const texts = readCorpus(corpusFile);
  return limit ? evenSubset(texts, limit) : texts;
}

async function preparedCorpus(spec: CorpusSpec): Promise<{ texts: string[]; tokenized: number[][]; batches: PreparedBatch[] }> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = corpusTexts(corpusFile, spec.limit);
  const tokenizer = await loadTokenizer(modelDir);
  const tokenized = texts.map((t) => tokenizer.ids(t));
  const lengths = spec.sortBy === 'chars' ? texts.map((t) => t.length) : tokenized.map((t) => t.length);
  const batches = lengthSortedBatches(lengths, spec.batchSize).map((indices) => prepareBatch(tokenized, indices, tokenizer.padId));
  return { texts, tokenized, batches };
}

function feedsOf(b: PreparedBatch): Record<string, ort.Tensor> {
  const dims = [b.size, b.seqLength];
  return {
    input_ids: new ort.Tensor('int64', b.ids, dims),
    attention_mask: new ort.Tensor('int64', b.mask, dims),
    token_type_ids: new ort.Tensor('int64', b.types, dims),
  };
}

/** Every tenth batch, so the warm-up sees short and long shapes. */
function warmUpBatches(batches: readonly PreparedBatch[]): PreparedBatch[] {
  return batches.filter((_, i) => i % 10 === 0);
}

function paddedTokens(batches: readonly PreparedBatch[]): number {
  return batches.reduce((sum, b) => sum + b.size * b.seqLength, 0);
}

interface WorkerPool {
  /** Runs these batch numbers on whichever worker is free, resolving when all are done. */
  runBatches(numbers: readonly number[]): Promise<void>;
  terminate(): Promise<void>;
}

async function startWorkerPool(workerData: OrtWorkerData, size = 2): Promise<WorkerPool> {
  const workers = Array.from({ length: size }, () => new Worker(path.join(__dirname, 'ortWorker.js'), { workerData }));
  const replies = workers.map((worker) => {
    let listener: ((reply: OrtWorkerReply) => void) | undefined;
    worker.on('message', (reply: OrtWorkerReply) => listener?.(reply));
    worker.on('error', (error) => listener?.({ kind: 'failed', message: error.message }));
    return (handler: (reply: OrtWorkerReply) => void) => {
      listener = handler;
    };
  });
  await Promise.all(
    replies.map(
      (onReply) =>
        new Promise<void>((resolve, reject) =>
          onReply((reply) => (reply.kind === 'ready' ? resolve() : reject(new Error(reply.kind === 'failed' ? reply.message : reply.kind)))),
        ),
    ),
  );
  const runBatches = (numbers: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      workers.forEach((worker, w) => {
        const feed = () => {
          if (next < numbers.length) worker.postMessage({ kind: 'run', batch: numbers[next++]! });
        };
        replies[w]!((reply) => {
          if (reply.kind === 'failed') return reject(new Error(reply.message));
          if (reply.kind !== 'done') return;
          if (++done === numbers.length) resolve();
          else feed();
        });
        feed();
      });
    });
  return {
    runBatches,
    terminate: async () => {
      for (const worker of workers) await worker.terminate();
    },
  };
}

export interface LeverVariant {
  id: string;
  label: string;
  base?: boolean;
  runsMs: number[];
  sentencesPerS: number;
  paddedTokens?: number;
}

/**
 * Every lever for one dtype in one process, their timed runs interleaved round-robin (the order rotating each
 * round), so that all variants see the same background load: on a shared 2-core machine, variants measured minutes
 * apart in separate processes differ by more than most levers do.
 */
async function leverSuite(dtype: Dtype, limit: number, runs: number): Promise<TaskResult> {
  const { modelDir } = benchPaths();
  const { texts, tokenized, batches } = await preparedCorpus({ batchSize: 32, limit });
  const tokenizer = await loadTokenizer(modelDir);
  const byChars = lengthSortedBatches(
    texts.map((t) => t.length),
    32,
  ).map((indices) => prepareBatch(tokenized, indices, tokenizer.padId));
  const session = async (threads: number, graph: GraphLevel, spinning = true) => createSession(dtype, threads, graph, spinning);
  const runOn = (s: ort.InferenceSession, list: readonly PreparedBatch[]) => async () => {
    for (const b of list) {
      const output = await s.run(feedsOf(b));
      for (const tensor of Object.values(output)) tensor.dispose?.();
    }
  };
  const endToEnd = (s: ort.InferenceSession, pipelined: boolean) => async () => {
    const order = lengthSortedBatches(
      texts.map((t) => t.length),
      32,
    );
    const tokenizeBatch = (indices: readonly number[]) => {
      const ids = new Array<number[]>(texts.length);
      for (const i of indices) ids[i] = tokenizer.ids(texts[i]!);
      return prepareBatch(ids, [...indices], tokenizer.padId);
    };
    let next = tokenizeBatch(order[0]!);
    for (let k = 0; k < order.length; k++) {
      const b = next;
      const running = s.run(feedsOf(b));
      if (pipelined && k + 1 < order.length) next = tokenizeBatch(order[k + 1]!);
      const output = await running;
      meanPoolNormalize(output['last_hidden_state']!.data as Float32Array, b.maskFlags, b.size, b.seqLength, 384);
      for (const tensor of Object.values(output)) tensor.dispose?.();
      if (!pipelined && k + 1 < order.length) next = tokenizeBatch(order[k + 1]!);
    }
  };
  const two = await session(2, 'all');
  const pool = await startWorkerPool({ modelPath: path.join(modelDir, modelFileFor(dtype)), threads: 1, graphOptimizationLevel: 'all', batches });
  const allBatchNumbers = batches.map((_, i) => i);
  const variants: { id: string; label: string; base?: boolean; paddedTokens?: number; run: () => Promise<void> }[] = [
    {
      id: 'base',
      label: '1 session, 2 threads, graph all, token-sorted (engine today)',
      base: true,
      paddedTokens: paddedTokens(batches),
      run: runOn(two, batches),
    },
    { id: 'threads1', label: '1 session, 1 thread', run: runOn(await session(1, 'all'), batches) },
    { id: 'two_workers', label: '2 workers × 1-thread session', run: () => pool.runBatches(allBatchNumbers) },
    { id: 'no_spin', label: '1 session, 2 threads, allow_spinning 0', run: runOn(await session(2, 'all', false), batches) },
    { id: 'char_sorted', label: 'batches sorted by chars (sentence-transformers order)', paddedTokens: paddedTokens(byChars), run: runOn(two, byChars) },
    { id: 'graph_disabled', label: 'graph optimisation disabled', run: runOn(await session(2, 'disabled'), batches) },
    { id: 'graph_basic', label: 'graph optimisation basic', run: runOn(await session(2, 'basic'), batches) },
    { id: 'graph_extended', label: 'graph optimisation extended', run: runOn(await session(2, 'extended'), batches) },
    { id: 'inline', label: 'tokenise+pack+run+pool in the loop, sequential', run: endToEnd(two, false) },
    { id: 'pipelined', label: 'same, next batch tokenised during session.run', run: endToEnd(two, true) },
  ];
  for (const v of variants) await v.run(); // one untimed round: first-run allocations and shape caches
  const times = variants.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let j = 0; j < variants.length; j++) {
      const k = (j + round) % variants.length;
      const started = performance.now();
      await variants[k]!.run();
      times[k]!.push(performance.now() - started);
    }
  }
  await pool.terminate();
  const results: LeverVariant[] = variants.map((v, k) => ({
    id: v.id,
    label: v.label,
    base: v.base,
    runsMs: times[k]!,
    sentencesPerS: (texts.length * 1000) / median(times[k]!),
    paddedTokens: v.paddedTokens,
  }));
  return { sentences: texts.length, maxRssKb: maxRssKb(), details: { dtype, variants: results } };
}

export interface HeadlineVariant {
  id: 'naive_fp32' | 'naive_q8' | 'engine_fp32' | 'engine_q8' | 'engine2_fp32' | 'engine2_q8' | 'raw_fp32' | 'raw_q8';
  sentences: number;
  runsMs: number[];
  sentencesPerS: number;
}

/**
 * (a) naive, (b)/(c) engine and (d) raw session.run for both dtypes, all loaded in one process and timed in
 * interleaved rounds (order rotating each round), so that every ratio the targets name compares runs made under
 * the same background load. The naive pipeline runs on an even subset because one call per text is slow.
 */
async function headline(runs: number, naiveLimit: number): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = readCorpus(corpusFile);
  const naiveTexts = evenSubset(texts, naiveLimit);
  const { pipeline } = configureTransformers(modelDir);
  const variants: { id: HeadlineVariant['id']; sentences: number; run: () => Promise<unknown>; warm: () => Promise<unknown> }[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  let threads = 0;
  let workerThreads = 0;
  for (const dtype of ['fp32', 'q8'] as const) {
    const extractor = await pipeline('feature-extraction', path.basename(modelDir), { dtype, local_files_only: true });
    const naiveAll = async (list: readonly string[]) => {
      for (const text of list) (await extractor(text, { pooling: 'mean', normalize: true })).dispose?.();
    };
    variants.push({ id: `naive_${dtype}`, sentences: naiveTexts.length, run: () => naiveAll(naiveTexts), warm: () => naiveAll(naiveTexts.slice(0, 32)) });
    cleanups.push(() => extractor.dispose());

    const engine = new Engine({ modelDir, dtype, cacheEntries: 0 });
    threads = (await engine.load()).threads;
    variants.push({
      id: `engine_${dtype}`,
      sentences: texts.length,
      run: () => engine.encode(texts),
      warm: () => engine.encode(evenSubset(texts, WARM_UP_TEXTS)),
    });
    cleanups.push(() => engine.dispose());

    // The opt-in `workers: 2` engine (two single-threaded sessions), against (b)/(c) in the same rounds.
    const twoWorkers = new Engine({ modelDir, dtype, cacheEntries: 0, workers: 2 });
    workerThreads = (await twoWorkers.load()).threads;
    variants.push({
      id: `engine2_${dtype}`,
      sentences: texts.length,
      run: () => twoWorkers.encode(texts),
      warm: () => twoWorkers.encode(evenSubset(texts, 4 * WARM_UP_TEXTS)),
    });
    cleanups.push(() => twoWorkers.dispose());

    const { batches } = await preparedCorpus({ batchSize: 32 });
    const session = await createSession(dtype, threads, 'all');
    const runAll = async (list: readonly PreparedBatch[]) => {
      for (const b of list) {
        const output = await session.run(feedsOf(b));
        for (const tensor of Object.values(output)) tensor.dispose?.();
      }
    };
    variants.push({ id: `raw_${dtype}`, sentences: texts.length, run: () => runAll(batches), warm: () => runAll(warmUpBatches(batches)) });
    cleanups.push(() => session.release());
  }
  for (const v of variants) await v.warm();
  const times = variants.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let j = 0; j < variants.length; j++) {
      const k = (j + round) % variants.length;
      const started = performance.now();
      await variants[k]!.run();
      times[k]!.push(performance.now() - started);
    }
  }
  for (const cleanup of cleanups) await cleanup();
  const results: HeadlineVariant[] = variants.map((v, k) => ({
    id: v.id,
    sentences: v.sentences,
    runsMs: times[k]!,
    sentencesPerS: (v.sentences * 1000) / median(times[k]!),
  }));
  return { maxRssKb: maxRssKb(), details: { threads, workerThreads, variants: results } };
}

/** The engine at several batch sizes: one engine, the sizes timed in interleaved rounds (order rotating). */
async function batchSweep(dtype: Dtype, batchSizes: readonly number[], runs: number): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = readCorpus(corpusFile);
  const engine = new Engine({ modelDir, dtype, cacheEntries: 0 });
  await engine.load();
  for (const batchSize of batchSizes) await engine.encode(evenSubset(texts, WARM_UP_TEXTS), { batchSize });
  const times = batchSizes.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let j = 0; j < batchSizes.length; j++) {
      const k = (j + round) % batchSizes.length;
      const started = performance.now();
      await engine.encode(texts, { batchSize: batchSizes[k] });
      times[k]!.push(performance.now() - started);
    }
  }
  await engine.dispose();
  const points = batchSizes.map((batchSize, k) => ({ batchSize, runsMs: times[k]!, sentencesPerS: (texts.length * 1000) / median(times[k]!) }));
  return { sentences: texts.length, maxRssKb: maxRssKb(), details: { dtype, points } };
}

/** Cold load: a fresh process, new Engine → load() until the model can encode. */
async function coldLoad(dtype: Dtype): Promise<TaskResult> {
  const { modelDir } = benchPaths();
  const started = performance.now();
  const engine = new Engine({ modelDir, dtype, cacheEntries: 0 });
  const info = await engine.load();
  const ms = performance.now() - started;
  const firstStarted = performance.now();
  await engine.encode(['The first sentence after loading.']);
  const firstEncodeMs = performance.now() - firstStarted;
  await engine.dispose();
  return { ms, maxRssKb: maxRssKb(), details: { engineLoadMs: info.loadMs, firstEncodeMs, processUptimeMs: process.uptime() * 1000 } };
}

/** Warm single-pair similarity: two texts never seen before, encoded together, then their cosine. */
async function pairLatency(dtype: Dtype, iterations: number): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = readCorpus(corpusFile);
  const engine = new Engine({ modelDir, dtype, cacheEntries: 0 });
  await engine.load();
  for (let i = 0; i < 5; i++) await engine.encode([texts[i]!, texts[i + 5]!]);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const a = `${texts[(2 * i + 11) % texts.length]} (${i})`;
    const b = `${texts[(2 * i + 12) % texts.length]} (${i})`;
    const started = performance.now();
    const [va, vb] = await engine.encode([a, b]);
    cosineSimilarity(va!, vb!);
    times.push(performance.now() - started);
  }
  await engine.dispose();
  return { ms: median(times), p95Ms: percentile(times, 95), maxRssKb: maxRssKb(), details: { iterations } };
}

/** Top-10 search over a flattened corpus of random unit vectors, one query at a time. */
async function searchLatency(count: number, queries: number): Promise<TaskResult> {
  const dim = 384;
  const rows = randomUnitVectors(count, dim, 42);
  const flatStarted = performance.now();
  const corpus = flattenCorpus(rows, { dim });
  const flattenMs = performance.now() - flatStarted;
  const queryData = randomUnitVectors(queries + 10, dim, 7);
  const query = (i: number) => queryData.subarray(i * dim, (i + 1) * dim);
  for (let i = 0; i < 10; i++) semanticSearch(query(queries + i), corpus, { topK: 10 });
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const started = performance.now();
    const hits = semanticSearch(query(i), corpus, { topK: 10 });
    times.push(performance.now() - started);
    if (hits[0]?.length !== 10) throw new Error('search returned fewer than 10 hits');
  }
  return { ms: median(times), p95Ms: percentile(times, 95), maxRssKb: maxRssKb(), details: { count, queries, flattenMs } };
}

/**
 * The engine's own work around session.run, each step timed over the whole corpus: tokenising, packing int64
 * feeds (BigInt per element as the engine does, or through an Int32Array view), and mean pooling.
 */
async function overheads(batchSize: number): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const texts = readCorpus(corpusFile);
  const tokenizer = await loadTokenizer(modelDir);
  texts.slice(0, 200).forEach((t) => tokenizer.ids(t));
  const tokenizeRuns = await timeRuns(3, async () => texts.map((t) => tokenizer.ids(t)));
  const tokenized = texts.map((t) => tokenizer.ids(t));
  const packRuns = (fill: FeedFill) =>
    timeRuns(
      5,
      async () => prepareBatches(tokenized, batchSize, tokenizer.padId, fill),
      async () => prepareBatches(tokenized, batchSize, tokenizer.padId, fill),
    );
  const bigintMs = median(await packRuns('bigint'));
  const viewMs = median(await packRuns('int32-view'));
  const batches = prepareBatches(tokenized, batchSize, tokenizer.padId);
  const hidden = batches.map((b) => new Float32Array(b.size * b.seqLength * 384).fill(0.01));
  const poolRuns = await timeRuns(5, async () => batches.forEach((b, k) => meanPoolNormalize(hidden[k]!, b.maskFlags, b.size, b.seqLength, 384)));
  const tokens = tokenized.reduce((sum, t) => sum + t.length, 0);
  const padded = batches.reduce((sum, b) => sum + b.size * b.seqLength, 0);
  return {
    sentences: texts.length,
    maxRssKb: maxRssKb(),
    details: {
      tokenizeMs: median(tokenizeRuns),
      packBigIntMs: bigintMs,
      packInt32ViewMs: viewMs,
      poolMs: median(poolRuns),
      tokens,
      paddedTokens: padded,
      paddingOverhead: padded / tokens - 1,
      meanTokens: tokens / texts.length,
    },
  };
}
