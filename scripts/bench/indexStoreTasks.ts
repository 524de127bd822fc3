/**
 * Workspace index store measurements (src/engine/workspaceIndex/indexStore.ts) on synthetic chunks: random unit
 * vectors and code-like texts, 20 chunks a file. `build` writes the index and times commits in one process;
 * `open` runs in a fresh process and times open + first search (which loads the vectors) against a naive baseline
 * in the same process: read the vector files whole and flattenCorpus them.
 *
 *   node out/scripts/bench/task.js '{"kind":"indexStoreBuild","dir":"/tmp/idx","chunks":100000}'
 *   node out/scripts/bench/task.js '{"kind":"indexStoreOpen","dir":"/tmp/idx","queries":50}'
 */
import fs from 'node:fs';
import path from 'node:path';
import { flattenCorpus, semanticSearch } from '../../src/core';
import { IndexStore, type FileUpdate, type IndexIdentity } from '../../src/engine/workspaceIndex/indexStore';
import { median } from './stats';
import { randomUnitVectors } from './syntheticVectors';
import type { TaskResult } from './tasks';

const DIM = 384;
export const BENCH_DIM = DIM;
const CHUNKS_PER_FILE = 20;
const IDENTITY: IndexIdentity = { model: 'bench/synthetic', dtype: 'fp32', dimension: DIM, chunker: 'bench', fingerprint: 'bench' };
export const BENCH_IDENTITY = IDENTITY;
const DEFAULT_TEXT_CHARS = 800;

function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

function chunkText(row: number, chars: number): string {
  let text = '';
  for (let line = 0; text.length < chars; line++) text += `  const value${row}_${line} = compute(${row}, ${line}); // line ${line}\n`;
  return text.slice(0, chars);
}

/** `rows` chunks from row `firstRow` on, 20 to a file, their vectors taken from the same rows of `vectors`. */
function syntheticFiles(vectors: Float32Array, firstRow: number, rows: number, textChars: number, version = 'v1'): FileUpdate[] {
  const files: FileUpdate[] = [];
  for (let start = firstRow; start < firstRow + rows; start += CHUNKS_PER_FILE) {
    const n = Math.min(CHUNKS_PER_FILE, firstRow + rows - start);
    const filePath = `src/module${Math.floor(start / CHUNKS_PER_FILE)}.ts`;
    files.push({
      path: filePath,
      hash: `${version}-${start}`,
      size: n * textChars,
      mtimeMs: 1_700_000_000_000,
      chunks: Array.from({ length: n }, (_, i) => ({ path: filePath, startLine: 40 * i + 1, endLine: 40 * i + 40, text: chunkText(start + i, textChars) })),
      vectors: Array.from({ length: n }, (_, i) => vectors.subarray((start + i) * DIM, (start + i + 1) * DIM)),
    });
  }
  return files;
}

/** The bench's one-file change: src/module0.ts (20 chunks) with vectors of `seed`. */
export function oneFileUpdate(seed: number, version: string, textChars = DEFAULT_TEXT_CHARS): FileUpdate {
  return syntheticFiles(randomUnitVectors(CHUNKS_PER_FILE, DIM, seed), 0, CHUNKS_PER_FILE, textChars, version)[0]!;
}

/**
 * Writes a fresh index of `chunks` chunks in one commit, then times a one-file replace and the search after it
 * (the store's default scan: int8 from 20,000 chunks on).
 */
export async function indexStoreBuild(spec: { dir: string; chunks: number; textChars?: number }): Promise<TaskResult> {
  const textChars = spec.textChars ?? DEFAULT_TEXT_CHARS;
  fs.rmSync(spec.dir, { recursive: true, force: true });
  const vectors = randomUnitVectors(spec.chunks, DIM, 42);
  const updated = syntheticFiles(vectors, 0, spec.chunks, textChars);
  const store = await IndexStore.open(spec.dir);
  let started = performance.now();
  await store.commit({ identity: IDENTITY, removed: [], updated });
  const commitMs = performance.now() - started;
  const bytes = store.bytesOnDisk();

  const query = randomUnitVectors(1, DIM, 7);
  started = performance.now();
  await store.search([query], 10);
  const firstSearchMs = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    await store.search([query], 10);
    warm.push(performance.now() - started);
  }
  // The indexer's everyday case: one saved file re-embedded; the next search reloads the live rows.
  const one = oneFileUpdate(9, 'v2', textChars);
  started = performance.now();
  await store.commit({ identity: IDENTITY, removed: [], updated: [one] });
  const oneFileCommitMs = performance.now() - started;
  started = performance.now();
  await store.search([query], 10);
  const searchAfterCommitMs = performance.now() - started;
  await store.close();
  return {
    maxRssKb: process.resourceUsage().maxRSS,
    details: {
      chunks: spec.chunks,
      files: updated.length,
      textChars,
      commitMs,
      bytes,
      firstSearchMs,
      warmSearchMs: median(warm),
      oneFileCommitMs,
      searchAfterCommitMs,
    },
  };
}

/**
 * In a fresh process: open (read-only) + first top-10 search, RSS added, warm search; then the baseline in the
 * same process (vector files read whole, flattenCorpus, semanticSearch).
 */
export async function indexStoreOpen(spec: { dir: string; queries: number }): Promise<TaskResult> {
  const queries = randomUnitVectors(spec.queries, DIM, 11);
  const query = (i: number) => queries.subarray(i * DIM, (i + 1) * DIM);
  const rssBefore = rssMb();
  let started = performance.now();
  const store = await IndexStore.open(spec.dir, { readOnly: true });
  const openMs = performance.now() - started;
  started = performance.now();
  const [first] = await store.search([query(0)], 10);
  const openAndFirstSearchMs = openMs + performance.now() - started;
  if (first?.length !== 10) throw new Error('the index returned fewer than 10 hits');
  const rssAdded = rssMb() - rssBefore;
  const warm: number[] = [];
  for (let i = 1; i < spec.queries; i++) {
    started = performance.now();
    await store.search([query(i)], 10);
    warm.push(performance.now() - started);
  }
  const chunks = store.chunkCount();
  const bytes = store.bytesOnDisk();
  await store.close();

  started = performance.now();
  const parts = fs
    .readdirSync(spec.dir)
    .filter((n) => n.endsWith('.vectors'))
    .sort()
    .map((n) => fs.readFileSync(path.join(spec.dir, n)));
  const all = Buffer.concat(parts);
  const corpus = flattenCorpus(new Float32Array(all.buffer, all.byteOffset, all.byteLength / 4), { dim: DIM });
  semanticSearch(query(0), corpus, { topK: 10 });
  const baselineMs = performance.now() - started;
  const direct: number[] = [];
  for (let i = 1; i < spec.queries; i++) {
    started = performance.now();
    semanticSearch(query(i), corpus, { topK: 10 });
    direct.push(performance.now() - started);
  }
  return {
    ms: openAndFirstSearchMs,
    maxRssKb: process.resourceUsage().maxRSS,
    details: {
      chunks,
      bytes,
      openMs,
      openAndFirstSearchMs,
      rssAddedMb: rssAdded,
      warmSearchMs: median(warm),
      baselineLoadAndSearchMs: baselineMs,
      directSearchMs: median(direct),
    },
  };
}
