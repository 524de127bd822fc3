/**
 * The index store's two ways of holding vectors, in one fresh process over an index written by indexStoreBuild:
 * the float32 store (every live row in memory, `scan: 'fp32'`) against int8 codes per segment with exact float32
 * rescoring from disk (`scan: 'int8'`), on one thread and with one scan worker. Three read-only stores on the same
 * folder: each one's first search (the load) and the RSS it adds, then top-10 queries in rotating order (p50/p99,
 * every answer compared with the float32 store's), then a writer replaces one file (20 chunks) and each store's
 * next search is timed (the float32 store reloads every live row; the int8 ones read the new segment only). The
 * file is put back afterwards, so the index is the same for the next run.
 *
 *   node out/scripts/bench/task.js '{"kind":"indexStoreModes","dir":"/tmp/idx","queries":200}'
 */
import fs from 'node:fs';
import os from 'node:os';
import { IndexStore, type IndexStoreOptions, type StoreHit } from '../../src/engine/workspaceIndex/indexStore';
import { BENCH_IDENTITY, BENCH_DIM, oneFileUpdate } from './indexStoreTasks';
import { median, percentile } from './stats';
import { randomUnitVectors } from './syntheticVectors';
import type { TaskResult } from './tasks';

const TOP_K = 10;
const WARM_UP = 10;

export interface StoreMode {
  readonly id: 'fp32' | 'int8' | 'int8_2threads';
  readonly label: string;
  /** Open + first search (which loads the vectors). */
  readonly loadMs: number;
  /** RSS added by that load (the stores load one after another, int8 first: it also pays the one-time costs). */
  readonly rssAddedMb: number;
  /** What the store says its vectors take (IndexStore.vectorBytesInMemory). */
  readonly vectorMb: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The first search after another store's one-file commit. */
  readonly searchAfterCommitMs: number;
}

export interface StoreModesDetails {
  readonly chunks: number;
  readonly segments: number;
  readonly queries: number;
  readonly modes: StoreMode[];
  /** Answers (texts and scores) of an int8 store that differ from the float32 store's: must be 0. */
  readonly mismatches: number;
  readonly oneFileCommitMs: number;
  readonly loadAverageStart: number[];
  readonly loadAverageEnd: number[];
}

const rssMb = () => process.memoryUsage().rss / (1024 * 1024);
const same = (a: readonly StoreHit[], b: readonly StoreHit[]) =>
  a.length === b.length && a.every((h, i) => h.text === b[i]!.text && h.path === b[i]!.path && h.score === b[i]!.score);

/** `only`: a subset of the stores (for a p99 without the float32 store's allocations in the same process). */
export async function indexStoreModes(spec: { dir: string; queries: number; only?: StoreMode['id'][] }): Promise<TaskResult> {
  const loadAverageStart = os.loadavg();
  const all: { id: StoreMode['id']; label: string; options: IndexStoreOptions }[] = [
    { id: 'int8', label: 'int8 codes + fp32 rescoring from disk, 1 thread', options: { scan: 'int8' as const } },
    { id: 'int8_2threads', label: 'int8 codes + fp32 rescoring from disk, 2 threads', options: { scan: 'int8' as const, scanThreads: 1 } },
    { id: 'fp32', label: 'fp32 rows in memory (the store before int8)', options: { scan: 'fp32' as const } },
  ];
  const configs = all.filter((c) => !spec.only || spec.only.includes(c.id));
  const queries = randomUnitVectors(spec.queries + WARM_UP, BENCH_DIM, 31);
  const query = (i: number) => queries.subarray(i * BENCH_DIM, (i + 1) * BENCH_DIM);

  const stores: IndexStore[] = [];
  const loads: { loadMs: number; rssAddedMb: number; vectorMb: number }[] = [];
  for (const c of configs) {
    const before = rssMb();
    const started = performance.now();
    const store = await IndexStore.open(spec.dir, { readOnly: true, ...c.options });
    await store.search([query(0)], TOP_K);
    loads.push({ loadMs: performance.now() - started, rssAddedMb: rssMb() - before, vectorMb: (await store.vectorBytesInMemory()) / 2 ** 20 });
    stores.push(store);
  }

  const times: number[][] = configs.map(() => []);
  let mismatches = 0;
  for (let i = 0; i < spec.queries + WARM_UP; i++) {
    const answers: StoreHit[][] = [];
    for (let j = 0; j < stores.length; j++) {
      const s = (i + j) % stores.length; // rotating order: no store always runs first (cold caches) or last
      const started = performance.now();
      const [hits] = await stores[s]!.search([query(i)], TOP_K);
      if (i >= WARM_UP) times[s]!.push(performance.now() - started);
      answers[s] = hits!;
    }
    const fp32 = answers[configs.findIndex((c) => c.id === 'fp32')] ?? answers[0]!;
    for (const a of answers) if (!same(a, fp32)) mismatches++;
  }

  const writer = await IndexStore.open(spec.dir, { scan: 'int8' });
  let started = performance.now();
  await writer.commit({ identity: BENCH_IDENTITY, removed: [], updated: [oneFileUpdate(13, 'v3')] });
  const oneFileCommitMs = performance.now() - started;
  const afterCommit: number[] = [];
  for (const store of stores) {
    started = performance.now();
    await store.search([query(1)], TOP_K);
    afterCommit.push(performance.now() - started);
  }
  const chunks = writer.chunkCount();
  await writer.commit({ identity: BENCH_IDENTITY, removed: [], updated: [oneFileUpdate(9, 'v2')] });
  const segments = fs.readdirSync(spec.dir).filter((n) => n.endsWith('.vectors')).length;
  await writer.close();
  for (const store of stores) await store.close();

  const modes: StoreMode[] = configs.map((c, i) => ({
    id: c.id,
    label: c.label,
    ...loads[i]!,
    p50Ms: median(times[i]!),
    p99Ms: percentile(times[i]!, 99),
    searchAfterCommitMs: afterCommit[i]!,
  }));
  const details: StoreModesDetails = {
    chunks,
    segments,
    queries: spec.queries,
    modes,
    mismatches,
    oneFileCommitMs,
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
  };
  return { maxRssKb: process.resourceUsage().maxRSS, details: details as unknown as Record<string, unknown> };
}
