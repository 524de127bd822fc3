/**
 * Query latency of the workspace index's store candidates (issue 11): top-10 over `count` random 384-d unit vectors
 * (seeded) with the float32 flat scan (semanticSearch over a FlatCorpus) against the int8 corpus with its exact
 * float32 rescoring, on one thread and with the scan split over two (one worker). The three run in the same
 * process, query by query in rotating order, so their ratios compare runs made under the same load; every int8
 * answer is checked against the float32 one.
 *
 *   npx tsc -b && node out/scripts/bench/indexSearch.js [--count 1000000] [--queries 200]
 */
import os from 'node:os';
import { flattenCorpus, semanticSearch, type SearchHit } from '../../src/core';
import { buildInt8Corpus } from '../../src/core/int8Corpus';
import { Int8ScanWorkers } from '../../src/engine/int8ScanWorkers';
import { randomUnitVectors } from './syntheticVectors';
import { median, percentile } from './stats';

const DIM = 384;
const TOP_K = 10;
const WARM_UP = 10;

export interface IndexMethod {
  readonly id: 'fp32' | 'int8' | 'int8_2threads';
  readonly label: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface IndexSearchResult {
  ms: number;
  p95Ms: number;
  maxRssKb: number;
  details: {
    count: number;
    queries: number;
    methods: IndexMethod[];
    candidatesP50: number;
    candidatesMax: number;
    /** Queries where an int8 answer differed from the float32 one (ids or scores): must be 0. */
    mismatches: number;
    flattenMs: number;
    int8BuildMs: number;
    fp32BytesPer100k: number;
    int8BytesPer100k: number;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
}

export async function indexSearchLatency(count: number, queries: number): Promise<IndexSearchResult> {
  const loadAverageStart = os.loadavg();
  let rows: Float32Array | null = randomUnitVectors(count, DIM, 42);
  let started = performance.now();
  const flat = flattenCorpus(rows, { dim: DIM });
  const flattenMs = performance.now() - started;
  rows = null; // 1.5 GB at 1M rows: let it go before the int8 copy
  started = performance.now();
  const int8 = buildInt8Corpus(flat);
  const int8BuildMs = performance.now() - started;
  const rescore = (ids: readonly number[]) => ids.map((id) => flat.data.subarray(id * DIM, (id + 1) * DIM));
  const workers = new Int8ScanWorkers(1);
  const queryData = randomUnitVectors(queries + WARM_UP, DIM, 7);
  const query = (i: number) => queryData.subarray(i * DIM, (i + 1) * DIM);

  const times: Record<IndexMethod['id'], number[]> = { fp32: [], int8: [], int8_2threads: [] };
  const candidates: number[] = [];
  let mismatches = 0;
  try {
    for (let i = 0; i < queries + WARM_UP; i++) {
      const q = query(i);
      const answers: Partial<Record<IndexMethod['id'], SearchHit[]>> = {};
      const run: Record<IndexMethod['id'], () => Promise<SearchHit[]>> = {
        fp32: async () => semanticSearch(q, flat, { topK: TOP_K })[0]!,
        int8: async () => {
          const result = await int8.searchDetailed(q, TOP_K, rescore);
          if (i >= WARM_UP) candidates.push(result.candidates);
          return result.hits;
        },
        int8_2threads: async () => (await int8.searchDetailed(q, TOP_K, rescore, { threads: workers })).hits,
      };
      const order = (['fp32', 'int8', 'int8_2threads'] as const).map((_, k, all) => all[(i + k) % all.length]!);
      for (const id of order) {
        const t = performance.now();
        answers[id] = await run[id]();
        if (i >= WARM_UP) times[id].push(performance.now() - t);
      }
      const expected = JSON.stringify(answers.fp32);
      if (JSON.stringify(answers.int8) !== expected || JSON.stringify(answers.int8_2threads) !== expected) mismatches++;
    }
  } finally {
    await workers.close();
  }
  const label: Record<IndexMethod['id'], string> = {
    fp32: 'fp32 flat scan (semanticSearch)',
    int8: 'int8 scan + exact fp32 rescoring, 1 thread',
    int8_2threads: 'int8 scan + exact fp32 rescoring, 2 threads',
  };
  const methods = (Object.keys(times) as IndexMethod['id'][]).map((id) => ({
    id,
    label: label[id],
    p50Ms: median(times[id]),
    p99Ms: percentile(times[id], 99),
  }));
  const per100k = (bytes: number) => (bytes / count) * 100_000;
  return {
    ms: median(times.int8_2threads),
    p95Ms: percentile(times.int8_2threads, 95),
    maxRssKb: process.resourceUsage().maxRSS,
    details: {
      count,
      queries,
      methods,
      candidatesP50: median(candidates),
      candidatesMax: Math.max(...candidates),
      mismatches,
      flattenMs,
      int8BuildMs,
      fp32BytesPer100k: per100k(flat.data.byteLength + flat.inverseNorms.byteLength),
      int8BytesPer100k: per100k(int8.bytes),
      loadAverageStart,
      loadAverageEnd: os.loadavg(),
    },
  };
}

if (require.main === module) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number.parseInt(process.argv[i + 1] ?? '', 10) : fallback;
  };
  indexSearchLatency(arg('--count', 1_000_000), arg('--queries', 200)).then(
    (result) => console.log(JSON.stringify(result.details, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
