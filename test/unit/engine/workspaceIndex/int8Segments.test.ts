import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ScoreFunction } from '../../../../src/core/flatCorpus';
import { semanticSearch } from '../../../../src/core/semanticSearch';
import { inRowOrder } from '../../../../src/engine/workspaceIndex/commitPlan';
import { IndexStore, type FileUpdate, type IndexIdentity, type StoreHit } from '../../../../src/engine/workspaceIndex/indexStore';
import { readManifest, type Manifest } from '../../../../src/engine/workspaceIndex/indexManifest';
import { loadInt8Segments, SegmentCodes } from '../../../../src/engine/workspaceIndex/int8Segments';
import { CODES_FILE_MIN_ROWS } from '../../../../src/engine/workspaceIndex/segmentCodesFile';
import { randomUnitVectors } from '../../core/testVectors';
import { MIN_ROWS_PER_THREAD } from '../../../../src/core/int8Corpus';

const DIM = 384;
const IDENTITY: IndexIdentity = { model: 'test-model', dtype: 'fp32', dimension: DIM, chunker: 'lines-v1', fingerprint: 'int8' };

function file(filePath: string, vectors: Float32Array[], hash = 'v1'): FileUpdate {
  return {
    path: filePath,
    hash,
    size: vectors.length,
    mtimeMs: 1,
    chunks: vectors.map((_, i) => ({ path: filePath, startLine: i + 1, endLine: i + 1, text: `${filePath} #${i}` })),
    vectors,
  };
}

async function manifestOf(dir: string): Promise<Manifest> {
  const read = await readManifest(dir);
  assert.equal(read.kind, 'ok');
  return (read as { manifest: Manifest }).manifest;
}

/**
 * What the store must answer: semanticSearch over the live vectors (as this test committed them) in index row
 * order, which the manifest gives (segment order, then row).
 */
async function expected(dir: string, live: Map<string, Float32Array[]>, query: Float32Array, topK: number, score: ScoreFunction) {
  const manifest = await manifestOf(dir);
  const rows: { path: string; chunk: number; vector: Float32Array }[] = [];
  for (const f of inRowOrder(manifest.files, manifest.segments)) live.get(f.path)!.forEach((vector, chunk) => rows.push({ path: f.path, chunk, vector }));
  const [hits] = semanticSearch(
    [query],
    rows.map((r) => r.vector),
    { topK, scoreFunction: score },
  );
  return hits!.map((h) => ({ text: `${rows[h.corpus_id]!.path} #${rows[h.corpus_id]!.chunk}`, score: h.score }));
}

const answer = (hits: readonly StoreHit[]) => hits.map((h) => ({ text: h.text, score: h.score }));

describe('engine/workspaceIndex/int8Segments (store search through int8 codes)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'minilm-int8store-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('answers exactly as semanticSearch over the live rows: after commits, with dead rows, ties across segments, and after compaction', async function () {
    this.timeout(60_000);
    const dir = path.join(root, 'index');
    const writer = await IndexStore.open(dir, { scan: 'int8' });
    const fp32 = await IndexStore.open(dir, { readOnly: true, scan: 'fp32' });
    const reader = await IndexStore.open(dir, { readOnly: true, scan: 'int8' });
    const live = new Map<string, Float32Array[]>();
    const pool = randomUnitVectors(4000, DIM, 101);
    let next = 0;
    const take = (n: number) => pool.slice(next, (next += n));
    const commit = async (removed: string[], updated: FileUpdate[]) => {
      await writer.commit({ identity: IDENTITY, removed, updated });
      for (const r of removed) live.delete(r);
      for (const u of updated) live.set(u.path, [...u.vectors]);
    };
    const queries = randomUnitVectors(3, DIM, 102);
    const check = async (stage: string) => {
      const some = [...live.values()];
      // Queries equal to indexed rows (their exact duplicates in other segments tie to the last bit) and a zero one.
      const probes = [...queries, some[0]![0]!, some[some.length - 1]![1]!, new Float32Array(DIM)];
      for (const store of [writer, reader, fp32]) {
        for (const score of ['cosine', 'dot'] as const) {
          for (const topK of [1, 10, 60]) {
            const got = await store.search(probes, topK, score);
            for (const [q, query] of probes.entries())
              assert.deepEqual(answer(got[q]!), await expected(dir, live, query, topK, score), `${stage}, probe ${q}, top ${topK}, ${score}`);
          }
        }
      }
    };

    await commit(
      [],
      Array.from({ length: 100 }, (_, i) => file(`a${i}`, take(20))),
    );
    await check('one segment');
    // Segment 2: a5 replaced by a copy of a7's rows (exact ties with live rows of segment 1), a6 by new rows;
    // a8, a9 removed. Their old rows stay dead in segment 1.
    await commit(
      ['a8', 'a9'],
      [
        file(
          'a5',
          live.get('a7')!.map((v) => Float32Array.from(v)),
          'v2',
        ),
        file('a6', take(20), 'v2'),
      ],
    );
    const [tied] = await writer.search([live.get('a7')![3]!], 2);
    assert.deepEqual(
      tied!.map((h) => h.text),
      ['a7 #3', 'a5 #3'],
      'an exact tie keeps index order: segment 1 (a7) before segment 2 (a5)',
    );
    await check('two segments, dead rows');
    await commit([], [file('b0', take(30))]);
    await check('three segments');
    // 70 of 100 files of segment 1 removed: dead rows outnumber live ones, the next commit compacts.
    await commit(
      Array.from({ length: 70 }, (_, i) => `a${i + 10}`),
      [],
    );
    assert.equal((await manifestOf(dir)).segments.length, 1, 'compacted');
    await check('compacted');

    const int8Bytes = await reader.vectorBytesInMemory();
    const fp32Bytes = await fp32.vectorBytesInMemory();
    assert.ok(fp32Bytes >= writer.chunkCount() * DIM * 4, `fp32 holds every live row: ${fp32Bytes}`);
    assert.ok(int8Bytes > 0 && int8Bytes < 0.3 * fp32Bytes, `int8 ${int8Bytes} B against fp32 ${fp32Bytes} B`);
    for (const store of [writer, reader, fp32]) await store.close();
  });

  it('after a commit loads only the new segment, and drops the codes of segments no longer live', async () => {
    const dir = path.join(root, 'index');
    const writer = await IndexStore.open(dir);
    const rows = randomUnitVectors(300, DIM, 7);
    await writer.commit({ identity: IDENTITY, removed: [], updated: [file('x', rows.slice(0, 100)), file('y', rows.slice(100, 200))] });
    const codes = new SegmentCodes();
    const first = await loadInt8Segments(dir, await manifestOf(dir), codes, undefined);
    assert.equal(codes.quantised, 1);
    assert.equal(first.rows, 200);

    await writer.commit({ identity: IDENTITY, removed: [], updated: [file('x', rows.slice(200, 210), 'v2')] });
    const second = await loadInt8Segments(dir, await manifestOf(dir), codes, undefined);
    assert.equal(codes.quantised, 2, 'the old segment is not read again');
    assert.equal(second.rows, 110);
    const [hits] = await second.search([rows[5]!], 1, 'cosine');
    assert.notEqual(second.files[hits![0]!.file]!.path, 'x', "x's old rows are dead");

    await writer.commit({ identity: IDENTITY, removed: ['y'], updated: [] }); // 100 dead > 10 live: compaction
    await loadInt8Segments(dir, await manifestOf(dir), codes, undefined);
    assert.equal(codes.quantised, 3);
    await loadInt8Segments(dir, await manifestOf(dir), codes, undefined);
    assert.equal(codes.quantised, 3, 'nothing new, nothing read');
    await writer.close();
  });

  it('a large segment gets a codes file: a fresh process loads it without quantising, with the same answers; a bad one is ignored', async function () {
    this.timeout(60_000);
    const dir = path.join(root, 'index');
    const dim = 16; // small rows: the row count is what decides
    const identity = { ...IDENTITY, dimension: dim };
    const rows = randomUnitVectors(CODES_FILE_MIN_ROWS, dim, 41);
    const files = Array.from({ length: CODES_FILE_MIN_ROWS / 64 }, (_, i) => file(`f${i}`, rows.slice(64 * i, 64 * (i + 1))));
    const writer = await IndexStore.open(dir, { scan: 'int8' });
    await writer.commit({ identity, removed: [], updated: files });
    const [segment] = (await manifestOf(dir)).segments;
    const codesPath = path.join(dir, `${segment!.name}.int8`);
    assert.ok(existsSync(codesPath), 'the commit wrote the codes file');
    await writer.commit({ identity, removed: [], updated: [file('small', rows.slice(0, 3))] });
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.int8')),
      [`${segment!.name}.int8`],
      'small segments get none',
    );
    const onDisk = readdirSync(dir)
      .filter((n) => n.startsWith('seg-') || n === 'minilm-index.json')
      .reduce((n, name) => n + statSync(path.join(dir, name)).size, 0);
    assert.equal(writer.bytesOnDisk(), onDisk, 'the size cap counts the codes file');
    // An index without codes files (written before they existed) gets them at its next commit.
    rmSync(codesPath);
    await writer.commit({ identity, removed: ['small'], updated: [] });
    assert.ok(existsSync(codesPath), 'written again');

    await writer.commit({ identity, removed: [], updated: [file('small', rows.slice(0, 3))] });
    const queries = [...randomUnitVectors(3, dim, 42), rows[100]!];
    const fp32 = await IndexStore.open(dir, { readOnly: true, scan: 'fp32' });
    const reference = await fp32.search(queries, 10);
    const manifest = await manifestOf(dir);
    const codes = new SegmentCodes();
    const view = await loadInt8Segments(dir, manifest, codes, undefined);
    assert.deepEqual([codes.restored, codes.quantised], [1, 1], 'the large segment from its file, the small one quantised');
    const reader = await IndexStore.open(dir, { readOnly: true, scan: 'int8' });
    assert.deepEqual(await reader.search(queries, 10), reference);
    assert.equal((await view.search(queries, 10, 'cosine')).length, queries.length);

    // A file of the wrong size, or with a foreign header, is ignored: the segment is quantised instead.
    truncateSync(codesPath, 100);
    const fallback = new SegmentCodes();
    await loadInt8Segments(dir, manifest, fallback, undefined);
    assert.deepEqual([fallback.restored, fallback.quantised], [0, 2]);
    const fresh = await IndexStore.open(dir, { readOnly: true, scan: 'int8' });
    assert.deepEqual(await fresh.search(queries, 10), reference);

    // A temp file left by a killed writer, and the codes of a segment no longer live, go with the next commits.
    const temp = `${codesPath}.123456`;
    writeFileSync(temp, 'partial');
    await writer.commit({ identity, removed: files.map((f) => f.path), updated: [] }); // compaction: segment 1 dropped
    assert.ok(!existsSync(temp), 'temp file removed');
    assert.ok(!existsSync(codesPath), 'codes of the dropped segment removed');
    for (const store of [writer, fp32, reader, fresh]) await store.close();
  });

  it('starts scan threads only once a live segment is large enough to split, with the same answers', async function () {
    this.timeout(120_000);
    const dir = path.join(root, 'index');
    const dim = 16; // small rows: the row count is what decides
    const identity = { ...IDENTITY, dimension: dim };
    const split = 2 * MIN_ROWS_PER_THREAD;
    const rows = randomUnitVectors(split, dim, 43);
    const writer = await IndexStore.open(dir, { scan: 'int8' });
    await writer.commit({ identity, removed: [], updated: [file('small', rows.slice(0, 30_000))] });
    const queries = randomUnitVectors(3, dim, 44);
    const reader = await IndexStore.open(dir, { readOnly: true, scan: 'int8', scanThreads: 1 });
    assert.equal((await reader.search(queries, 5)).length, 3);
    assert.equal(reader.scanWorkers, 0, 'a 30,000-row segment scans on one thread: no worker started');

    await writer.commit({ identity, removed: ['small'], updated: [file('large', rows)] });
    const fp32 = await IndexStore.open(dir, { readOnly: true, scan: 'fp32' });
    assert.deepEqual(await reader.search(queries, 5), await fp32.search(queries, 5));
    assert.equal(reader.scanWorkers, 1, `a ${split}-row segment is split with one worker`);
    for (const store of [writer, reader, fp32]) await store.close();
  });

  it('validates its options with one clear line', async () => {
    const dir = path.join(root, 'index');
    await assert.rejects(IndexStore.open(dir, { scan: 'fast' as never }), /scan must be "auto", "fp32" or "int8", got fast/);
    await assert.rejects(IndexStore.open(dir, { scanThreads: 99 }), /scanThreads must be an integer from 0 to 16, got 99/);
  });
});
