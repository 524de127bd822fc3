import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  IndexFormatError,
  IndexFullError,
  IndexLockedError,
  IndexStore,
  INDEX_FORMAT_VERSION,
  type FileUpdate,
  type IndexIdentity,
  type StoreHit,
} from '../../../../src/engine/workspaceIndex/indexStore';
import { MANIFEST_FILE } from '../../../../src/engine/workspaceIndex/indexManifest';
import { LOCK_FILE } from '../../../../src/engine/workspaceIndex/writerLock';
import { AFTER_IDENTITY, PAUSED } from './pausingCommit';

const DIM = 8;
const IDENTITY: IndexIdentity = { model: 'test-model', dtype: 'fp32', dimension: DIM, chunker: 'lines-v1', fingerprint: 'abc' };

/** Basis vector e_k scaled by `scale`, plus `tilt` on the next coordinate (so near-ties are deliberate). */
function vec(k: number, scale = 1, tilt = 0): Float32Array {
  const v = new Float32Array(DIM);
  v[k % DIM] = scale;
  v[(k + 1) % DIM] = tilt;
  return v;
}

/** A file whose chunk i has lines [10i+1, 10i+10], the text "<path> #i", and vectors[i]. */
function file(filePath: string, vectors: Float32Array[], hash = `hash-${filePath}`): FileUpdate {
  return {
    path: filePath,
    hash,
    size: 100 * vectors.length,
    mtimeMs: 1_700_000_000_000.5,
    chunks: vectors.map((_, i) => ({ path: filePath, startLine: 10 * i + 1, endLine: 10 * i + 10, text: `${filePath} #${i}` })),
    vectors,
  };
}

const texts = (hits: readonly StoreHit[]) => hits.map((h) => h.text);
const segmentFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort();
const manifestJson = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { version: number; generation: number; segments: { name: string; rows: number }[] };

/** The pid of a process that has exited (for stale locks). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('engine/workspaceIndex/indexStore', () => {
  let root: string;
  let dir: string;
  const open: IndexStore[] = [];
  const track = (store: IndexStore) => (open.push(store), store);

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'minilm-store-'));
    dir = path.join(root, 'index');
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates an empty index, then round-trips files, chunks and vectors through a reopen', async () => {
    const writer = track(await IndexStore.open(dir));
    assert.equal(writer.identity(), undefined);
    assert.equal(writer.chunkCount(), 0);
    assert.deepEqual(await writer.search([vec(0)], 5), [[]]);
    assert.ok(existsSync(path.join(dir, MANIFEST_FILE)));

    await writer.commit({
      identity: IDENTITY,
      removed: [],
      updated: [file('docs/a.md', [vec(0), vec(1)]), file('src/b.ts', [vec(2, 2)]), file('empty.txt', [])],
    });
    await writer.close();
    assert.ok(!existsSync(path.join(dir, LOCK_FILE)), 'close releases the lock');

    const reader = track(await IndexStore.open(dir, { readOnly: true }));
    assert.deepEqual(reader.identity(), IDENTITY);
    assert.equal(reader.chunkCount(), 3);
    assert.deepEqual(reader.files().get('src/b.ts'), { path: 'src/b.ts', hash: 'hash-src/b.ts', size: 100, mtimeMs: 1_700_000_000_000.5, chunks: 1 });
    assert.deepEqual(reader.files().get('empty.txt')?.chunks, 0);
    assert.deepEqual([...reader.files().keys()].sort(), ['docs/a.md', 'empty.txt', 'src/b.ts']);
    assert.equal(
      reader.bytesOnDisk(),
      segmentFiles(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0) + statSync(path.join(dir, MANIFEST_FILE)).size,
    );

    const [hits] = await reader.search([vec(2, 1, 0.5)], 3);
    assert.deepEqual(texts(hits!), ['src/b.ts #0', 'docs/a.md #0', 'docs/a.md #1']);
    assert.deepEqual(
      { ...hits![0]!, score: Math.round(hits![0]!.score * 1e6) / 1e6 },
      { path: 'src/b.ts', startLine: 1, endLine: 10, text: 'src/b.ts #0', score: 0.894427 },
    );
    assert.equal(hits![1]!.score, 0, 'cosine of orthogonal vectors');
    const [dot] = await reader.search([vec(2, 1, 0.5)], 1, 'dot');
    assert.equal(dot![0]!.score, 2);
    assert.deepEqual(await reader.readChunks('docs/a.md'), [
      { path: 'docs/a.md', startLine: 1, endLine: 10, text: 'docs/a.md #0' },
      { path: 'docs/a.md', startLine: 11, endLine: 20, text: 'docs/a.md #1' },
    ]);
  });

  it('replaces and removes files incrementally; replaced rows are dead and never returned', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0), vec(1)]), file('b', [vec(3), vec(3, 1, 0.1)]), file('c', [vec(5)])] });
    const before = store.generation();
    // The old rows of b are the best match for e3; after the replace they must not come back, even with a topK
    // larger than the index.
    await store.commit({ identity: IDENTITY, removed: ['c', 'never-indexed'], updated: [file('b', [vec(6)], 'hash-b2'), file('d', [vec(3, 1, 1)])] });
    assert.equal(store.generation(), before + 1);
    assert.deepEqual([...store.files().keys()].sort(), ['a', 'b', 'd']);
    assert.equal(store.files().get('b')?.hash, 'hash-b2');
    assert.equal(store.chunkCount(), 4);
    const [hits] = await store.search([vec(3)], 100);
    assert.equal(hits!.length, 4);
    assert.deepEqual(texts(hits!), ['d #0', 'a #0', 'a #1', 'b #0']);
    assert.ok(!texts(hits!).some((t) => t.startsWith('c')));

    const reopened = track(await IndexStore.open(dir, { readOnly: true }));
    assert.deepEqual(await reopened.search([vec(3)], 100), [hits]);
  });

  it('ranks equal scores by index order (older files first, then row)', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('x', [vec(0), vec(0)]), file('y', [vec(0)])] });
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('w', [vec(0)])] });
    assert.deepEqual(texts((await store.search([vec(0)], 10))[0]!), ['x #0', 'x #1', 'y #0', 'w #0']);
  });

  it('compacts into one segment when dead rows outnumber live ones, and deletes segments left without live rows', async () => {
    const store = track(await IndexStore.open(dir));
    const many = Array.from({ length: 10 }, (_, i) => file(`f${i}`, [vec(i), vec(i + 1)]));
    await store.commit({ identity: IDENTITY, removed: [], updated: many });
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('extra', [vec(7)])] });
    assert.equal(manifestJson(dir).segments.length, 2);
    const grown = store.bytesOnDisk();

    // Replacing 6 of 10 files leaves 12 dead rows against 8 + 1 + 12 = 21 live: no compaction yet.
    await store.commit({ identity: IDENTITY, removed: [], updated: many.slice(0, 6).map((f) => ({ ...f, hash: 'v2' })) });
    assert.equal(manifestJson(dir).segments.length, 3);
    // Removing them all: 20 dead against 1 live: one segment, holding the live row only.
    await store.commit({ identity: IDENTITY, removed: many.map((f) => f.path), updated: [] });
    const { segments } = manifestJson(dir);
    assert.equal(segments.length, 1);
    assert.equal(segments[0]!.rows, 1);
    assert.deepEqual(segmentFiles(dir), [`${segments[0]!.name}.chunks.jsonl`, `${segments[0]!.name}.vectors`]);
    assert.ok(store.bytesOnDisk() < grown);
    assert.deepEqual(texts((await store.search([vec(7)], 10))[0]!), ['extra #0']);
    assert.deepEqual(await store.readChunks('extra'), [{ path: 'extra', startLine: 1, endLine: 10, text: 'extra #0' }]);
  });

  it('compaction keeps every live row, its text and its order', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({
      identity: IDENTITY,
      removed: [],
      updated: [file('keep1', [vec(0, 1, 0.1), vec(0, 1, 0.2)]), file('drop', [vec(0), vec(0), vec(0), vec(0), vec(0)])],
    });
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('keep2', [vec(0, 1, 0.3)])] });
    const expected = texts((await store.search([vec(0)], 10))[0]!).filter((t) => !t.startsWith('drop'));
    await store.commit({ identity: IDENTITY, removed: ['drop'], updated: [] }); // 5 dead > 3 live
    assert.equal(manifestJson(dir).segments.length, 1);
    assert.deepEqual(texts((await store.search([vec(0)], 10))[0]!), expected);
    const reader = track(await IndexStore.open(dir, { readOnly: true }));
    assert.deepEqual(texts((await reader.search([vec(0)], 10))[0]!), expected);
  });

  it('never keeps more than 16 segments', async () => {
    const store = track(await IndexStore.open(dir));
    for (let i = 0; i < 20; i++) await store.commit({ identity: IDENTITY, removed: [], updated: [file(`f${i}`, [vec(i)])] });
    assert.ok(manifestJson(dir).segments.length <= 16);
    assert.equal(store.chunkCount(), 20);
    assert.equal((await store.search([vec(0)], 100))[0]!.length, 20);
  });

  it('replaces everything when the identity changes, and deletes the old segments', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)]), file('b', [vec(1)])] });
    const oldSegments = segmentFiles(dir);
    const other = { ...IDENTITY, model: 'other-model' };
    await store.commit({ identity: other, removed: [], updated: [file('a', [vec(2)])] });
    assert.deepEqual(store.identity(), other);
    assert.deepEqual([...store.files().keys()], ['a']);
    assert.ok(segmentFiles(dir).every((f) => !oldSegments.includes(f)));
    assert.deepEqual(texts((await store.search([vec(1)], 10))[0]!), ['a #0']);
  });

  it('records a remote backend in the identity: the same model from another backend replaces everything; an index without one reads as local', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    assert.equal(JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).identity.backend, undefined);
    const remote: IndexIdentity = { ...IDENTITY, backend: 'tei' };
    await store.commit({ identity: remote, removed: [], updated: [file('b', [vec(1)])] });
    assert.deepEqual([...store.files().keys()], ['b']);
    await store.close();
    const reader = track(await IndexStore.open(dir, { readOnly: true }));
    assert.deepEqual(reader.identity(), remote);
  });

  it('refuses an index written by a newer format with one line naming the fix; --rebuild replaces it', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, MANIFEST_FILE),
      JSON.stringify({ format: 'minilm-workspace-index', version: INDEX_FORMAT_VERSION + 1, generation: 9, layout: 'future' }),
    );
    for (const readOnly of [false, true]) {
      await assert.rejects(IndexStore.open(dir, { readOnly }), (error: unknown) => {
        assert.ok(error instanceof IndexFormatError);
        assert.match(
          error.message,
          /newer MiniLM Studio \(index format 2, this release reads format 1\): update MiniLM Studio, or rebuild the index with --rebuild\.$/,
        );
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    }
    assert.ok(!existsSync(path.join(dir, LOCK_FILE)), 'a failed open releases the lock');

    const store = track(await IndexStore.open(dir, { rebuild: true }));
    assert.equal(store.rebuildReason, 'a rebuild was requested');
    assert.equal(store.identity(), undefined);
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    assert.equal(manifestJson(dir).version, INDEX_FORMAT_VERSION);
    assert.equal(store.rebuildReason, undefined);
  });

  it('opens an older or damaged index empty, with the reason, so that the next commit rebuilds it', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    await store.close();
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;

    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, version: 0 }));
    assert.equal((await track(await IndexStore.open(dir, { readOnly: true }))).rebuildReason, 'index format 0 is older than 1');

    const files = manifest.files as Record<string, unknown>[];
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, files: [{ ...files[0], row: -1 }] }));
    assert.equal((await track(await IndexStore.open(dir, { readOnly: true }))).rebuildReason, `${MANIFEST_FILE} is damaged (files.0 is not a file entry)`);

    const segment = (manifest.segments as { name: string }[])[0]!.name;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
    rmSync(path.join(dir, `${segment}.vectors`));
    const damaged = track(await IndexStore.open(dir));
    assert.equal(damaged.rebuildReason, `${segment}.vectors is missing`);
    assert.equal(damaged.identity(), undefined);
    assert.deepEqual(await damaged.search([vec(0)], 3), [[]]);
    await damaged.commit({ identity: IDENTITY, removed: [], updated: [file('b', [vec(1)])] });
    assert.deepEqual([...damaged.files().keys()], ['b']);
    assert.ok(!segmentFiles(dir).some((f) => f.startsWith(segment)));

    writeFileSync(path.join(dir, MANIFEST_FILE), '{"version": 1, "format": "minilm-workspace-index", "gen');
    assert.equal((await track(await IndexStore.open(dir, { readOnly: true }))).rebuildReason, `${MANIFEST_FILE} is not valid JSON`);
  });

  it('refuses a commit past the size cap before writing anything, with the size, the cap and what to do', async () => {
    const store = track(await IndexStore.open(dir, { maxBytes: 4096 }));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('small', [vec(0)])] });
    const listing = readdirSync(dir).sort();
    const manifestBefore = readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
    const big = Array.from({ length: 40 }, (_, i) => file(`big${i}`, [vec(i)]));
    await assert.rejects(store.commit({ identity: IDENTITY, removed: [], updated: big }), (error: unknown) => {
      assert.ok(error instanceof IndexFullError);
      assert.equal(error.maxBytes, 4096);
      assert.ok(error.bytes > 4096);
      assert.match(
        error.message,
        /would grow to \d+\.\d MB, over its size cap of 0\.0 MB: exclude large folders from indexing, or raise the cap \(setting minilm\.index\.maxSizeMB, CLI --max-size-mb\)\.$/,
      );
      return true;
    });
    assert.deepEqual(readdirSync(dir).sort(), listing);
    assert.equal(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'), manifestBefore);
    assert.deepEqual([...store.files().keys()], ['small']);

    // A commit that does not grow the index is allowed even when a lower cap is already exceeded.
    const lowered = await IndexStore.open(dir, { maxBytes: 10, readOnly: true });
    await lowered.close();
    await store.close();
    const capped = track(await IndexStore.open(dir, { maxBytes: 10 }));
    await capped.commit({ identity: IDENTITY, removed: ['small'], updated: [] });
    assert.equal(capped.chunkCount(), 0);
  });

  it('lets one writer at a time hold the lock, naming the holder; readers need none', async () => {
    const writer = track(await IndexStore.open(dir));
    await assert.rejects(IndexStore.open(dir), (error: unknown) => {
      assert.ok(error instanceof IndexLockedError);
      assert.equal(error.holder?.pid, process.pid);
      assert.match(
        error.message,
        new RegExp(
          `is being written by process ${process.pid} \\(this process\\) on ${hostname()}, since .*: close that MiniLM window or command first; if that process is gone, delete .*${LOCK_FILE}\\.$`,
        ),
      );
      return true;
    });
    const reader = track(await IndexStore.open(dir, { readOnly: true }));
    await assert.rejects(reader.commit({ identity: IDENTITY, removed: [], updated: [] }), /opened read-only/);
    await writer.close();
    track(await IndexStore.open(dir));
  });

  it('takes over a stale lock (its process is gone) but not one from another host', async () => {
    mkdirSync(dir, { recursive: true });
    const lockFile = path.join(dir, LOCK_FILE);
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00.000Z', token: 'old' }));
    const store = track(await IndexStore.open(dir));
    assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid, process.pid);
    await store.close();

    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), host: 'some-other-host', since: '2020-01-01T00:00:00.000Z', token: 'remote' }));
    await assert.rejects(IndexStore.open(dir), IndexLockedError);
  });

  it('names the folder when it cannot be used', async () => {
    writeFileSync(path.join(root, 'a-file'), '');
    await assert.rejects(IndexStore.open(path.join(root, 'a-file')), /^Error: The index folder .*a-file cannot be used: it is a file, not a folder\.$/);
    await assert.rejects(
      IndexStore.open(path.join(root, 'a-file', 'index'), { readOnly: true }),
      /^Error: The index folder .*a-file.index cannot be used: a part of the path is not a folder\.$/,
    );
  });

  it('a search racing a commit of the same store answers from the old or the new index', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('old', [vec(0)])] });
    for (let i = 0; i < 5; i++) {
      const next = file(`new${i}`, [vec(0)]);
      const [, [hits]] = await Promise.all([
        store.commit({ identity: IDENTITY, removed: [i === 0 ? 'old' : `new${i - 1}`], updated: [next] }),
        store.search([vec(0)], 5),
      ]);
      assert.ok([i === 0 ? 'old #0' : `new${i - 1} #0`, `new${i} #0`].includes(texts(hits!).join()), texts(hits!).join());
    }
  });

  it('a reader sees another writer’s commit at its next search', async () => {
    const writer = track(await IndexStore.open(dir));
    await writer.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    const reader = track(await IndexStore.open(dir, { readOnly: true }));
    assert.deepEqual(texts((await reader.search([vec(0)], 5))[0]!), ['a #0']);
    await writer.commit({ identity: IDENTITY, removed: ['a'], updated: [file('b', [vec(0)])] });
    assert.deepEqual(texts((await reader.search([vec(0)], 5))[0]!), ['b #0']);
    assert.deepEqual([...reader.files().keys()], ['b']);
  });

  it('rejects bad input with one clear line and leaves the index unchanged', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    const listing = readdirSync(dir).sort();
    const bad: [FileUpdate[], RegExp][] = [
      [[file('x', [new Float32Array(5)])], /x: vector 0 has dimension 5, the index has 8\.$/],
      [[{ ...file('x', [vec(0)]), vectors: [] }], /x: 1 chunks but 0 vectors\.$/],
      [[file('x', [vec(0, Number.NaN)])], /x: vector 0 holds a non-finite value \(NaN\)\.$/],
      [[file('x', [vec(0)]), file('x', [vec(1)])], /x is updated twice in one commit\.$/],
      [[{ ...file('x', [vec(0)]), chunks: [{ path: 'y', startLine: 1, endLine: 1, text: '' }] }], /x: chunk 0 belongs to y\.$/],
    ];
    for (const [updated, message] of bad) await assert.rejects(store.commit({ identity: IDENTITY, removed: [], updated }), message);
    await assert.rejects(store.search([new Float32Array(3)], 1), /^RangeError: Query 0 has dimension 3, the index has 8\.$/);
    assert.deepEqual(readdirSync(dir).sort(), listing);
    assert.deepEqual([...store.files().keys()], ['a']);
  });

  it('an abort while the segment is written leaves the index as it was and no new files', async () => {
    const store = track(await IndexStore.open(dir));
    await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0)])] });
    const listing = readdirSync(dir).sort();
    const controller = new AbortController();
    const many = Array.from({ length: 300 }, (_, i) =>
      file(
        `m${i}`,
        Array.from({ length: 100 }, (_, j) => vec(j)),
      ),
    );
    const stages: string[] = [];
    await assert.rejects(
      store.commit({
        identity: IDENTITY,
        removed: [],
        updated: many,
        signal: controller.signal,
        onProgress: (p) => {
          stages.push(p.stage);
          if (p.bytesWritten > 0) controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(stages.includes('segment') && !stages.includes('manifest'));
    assert.deepEqual(readdirSync(dir).sort(), listing);
    assert.deepEqual(texts((await store.search([vec(0)], 5))[0]!), ['a #0']);
  });

  describe('crash safety: a writer killed mid-commit', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child = undefined;
    });

    /** Starts the pausing child, waits until it reports `stage`, and returns it still running. */
    async function pauseChildAt(stage: 'segment' | 'manifest' | 'cleanup', rows: number): Promise<ChildProcess> {
      const script = path.join(__dirname, 'pausingCommit.js');
      const started = spawn(process.execPath, [script, dir, stage, String(rows)], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      let out = '';
      let err = '';
      started.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        started.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(`${PAUSED} ${stage}`)) resolve();
        });
        started.on('exit', (code) => reject(new Error(`child exited (${code}) before pausing at ${stage}: ${out} ${err}`)));
      });
      return started;
    }

    async function kill(victim: ChildProcess): Promise<void> {
      const exited = once(victim, 'exit');
      victim.kill('SIGKILL');
      await exited;
    }

    async function previousIndex(): Promise<void> {
      const store = await IndexStore.open(dir);
      await store.commit({ identity: IDENTITY, removed: [], updated: [file('a', [vec(0), vec(1)]), file('b', [vec(2)])] });
      await store.close();
    }

    for (const stage of ['segment', 'manifest'] as const) {
      it(`killed at "${stage}": open() gives the previous index intact; the next commit removes the orphans`, async () => {
        await previousIndex();
        const before = readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
        const oldSegments = segmentFiles(dir);
        const victim = await pauseChildAt(stage, 50_000);

        // While it writes, the child holds the lock, and a reader still sees the previous index.
        await assert.rejects(IndexStore.open(dir), (error: unknown) => error instanceof IndexLockedError && error.holder?.pid === victim.pid);
        const newSegment = segmentFiles(dir).filter((f) => !oldSegments.includes(f));
        assert.equal(newSegment.length, 2, 'the child has created its segment files');
        const vectorsFile = newSegment.find((f) => f.endsWith('.vectors'))!;
        const written = statSync(path.join(dir, vectorsFile)).size;
        if (stage === 'segment') assert.ok(written < 50_000 * DIM * 4, `segment partly written (${written} bytes)`);
        else assert.equal(written, 50_000 * DIM * 4);
        await kill(victim);

        assert.equal(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'), before);
        const store = track(await IndexStore.open(dir)); // the dead child's lock is stale
        assert.deepEqual(store.identity(), IDENTITY);
        assert.equal(store.rebuildReason, undefined);
        assert.deepEqual([...store.files().keys()], ['a', 'b']);
        assert.deepEqual(texts((await store.search([vec(1)], 10))[0]!), ['a #1', 'a #0', 'b #0']);
        assert.ok(segmentFiles(dir).includes(vectorsFile), 'the orphan is still there');

        await store.commit({ identity: IDENTITY, removed: ['b'], updated: [] });
        assert.ok(!segmentFiles(dir).includes(vectorsFile), 'the next commit removed the orphan');
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.startsWith(`${MANIFEST_FILE}.`)),
          [],
        );
      });
    }

    it('killed after the manifest swap: open() gives the new index; the next commit removes the old segments', async () => {
      await previousIndex();
      const oldSegments = segmentFiles(dir);
      await kill(await pauseChildAt('cleanup', 2_000));

      const store = track(await IndexStore.open(dir));
      assert.deepEqual(store.identity(), AFTER_IDENTITY);
      assert.equal(store.chunkCount(), 2_000);
      assert.deepEqual(texts((await store.search([vec(3)], 1))[0]!), ['row 3 of the big change']);
      assert.ok(
        oldSegments.every((f) => segmentFiles(dir).includes(f)),
        'old segments left behind',
      );
      await store.commit({ identity: AFTER_IDENTITY, removed: ['big/file0.txt'], updated: [] });
      assert.ok(oldSegments.every((f) => !segmentFiles(dir).includes(f)));
    });
  });
});
