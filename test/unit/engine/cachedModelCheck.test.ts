import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../src/engine/errors';
import { PINNED_REVISION } from '../../../src/engine/hubDownload';
import { resolveModel } from '../../../src/engine/modelResolver';
import type { Dtype, HubOptions } from '../../../src/engine/types';
import { fakeModelFiles, pinnedTableFor, startLocalHub, type FakeRepoFile } from '../../helpers/localHubServer';

function writeFiles(dir: string, files: FakeRepoFile[]): void {
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
}

describe('cached model check (pinned revision)', () => {
  let tmp: string;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const env = {} as NodeJS.ProcessEnv;
  // Nothing listens here: a cache hit must not need the network.
  const offline = (revision: string): HubOptions => ({ endpoint: 'http://127.0.0.1:9', repository: 'org/model', revision });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-cachecheck-'));
    logs.length = 0;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A cache holding genuine fake files of a pinned revision of org/model. */
  function pinnedCache(revision = 'c0ffee00000000000000000000000000000000aa') {
    const files = fakeModelFiles(1024 * 1024);
    const pinned = pinnedTableFor('org/model', revision, files);
    const cacheDir = path.join(tmp, 'cache');
    const hub = offline(revision);
    // A pinned revision keeps the layout <cache>/<owner>/<name>/<commit>.
    const dir = path.join(cacheDir, 'org', 'model', revision);
    writeFiles(dir, files);
    const resolve = (dtype: Dtype = 'fp32') => resolveModel({ dtype, cacheDir, hub, pinned, log, env });
    return { dir, files, pinned, resolve };
  }

  it('checks each file against the pinned digests on the first load in a process, then trusts that version', async () => {
    const { dir, resolve } = pinnedCache();
    assert.deepEqual(await resolve(), {
      dir,
      source: 'cache',
      verification: 'pinned',
      origin: { repository: 'org/model', revision: 'c0ffee00000000000000000000000000000000aa' },
    });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      assert.ok(
        logs.some((m) => m.includes(`cache ${file}:`) && m.includes('matches the pinned digest')),
        logs.join('\n'),
      );
    }
    logs.length = 0;
    assert.deepEqual(await resolve(), {
      dir,
      source: 'cache',
      verification: 'pinned',
      origin: { repository: 'org/model', revision: 'c0ffee00000000000000000000000000000000aa' },
    });
    assert.equal(logs.filter((m) => m.includes('matches the pinned digest')).length, 0, 'the same versions are not hashed again');
  });

  it('refuses a cached file whose bytes changed, names it and says what to do, and never loads it', async () => {
    const { dir, resolve } = pinnedCache();
    await resolve();
    const model = path.join(dir, 'onnx', 'model.onnx');
    const bytes = fs.readFileSync(model);
    bytes[bytes.length >> 1]! ^= 0xff;
    fs.writeFileSync(model, bytes);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(model, later, later);
    await assert.rejects(resolve(), (error: EngineError) => {
      assert.equal(error.code, 'CHECKSUM_MISMATCH');
      assert.ok(error.message.includes(model), error.message);
      assert.match(error.message, /SHA-256/);
      assert.match(error.message, /not loaded/);
      assert.match(error.message, /Delete it/);
      assert.match(error.message, /download the model again/);
      return true;
    });
    // A different size is refused without hashing.
    fs.appendFileSync(path.join(dir, 'tokenizer.json'), ' ');
    await assert.rejects(
      resolve(),
      (error: EngineError) => error.code === 'CHECKSUM_MISMATCH' && /tokenizer\.json/.test(error.message) && /bytes/.test(error.message),
    );
  });

  it('checks the files already in a pinned folder before downloading the missing ones next to them', async () => {
    const hubServer = await startLocalHub({ repository: 'org/model', revision: 'c0ffee00000000000000000000000000000000bb' });
    try {
      const pinned = pinnedTableFor('org/model', hubServer.revision, hubServer.files.values());
      const cacheDir = path.join(tmp, 'cache');
      const hub = { endpoint: hubServer.endpoint, repository: 'org/model', revision: hubServer.revision };
      const dir = path.join(cacheDir, 'org', 'model', hubServer.revision);
      const small = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((p) => hubServer.files.get(p)!);
      writeFiles(dir, small);
      fs.appendFileSync(path.join(dir, 'tokenizer.json'), '\n');
      await assert.rejects(
        resolveModel({ dtype: 'fp32', cacheDir, hub, pinned, allowDownload: true, log, env }),
        (error: EngineError) => error.code === 'CHECKSUM_MISMATCH' && /tokenizer\.json/.test(error.message),
      );
      assert.equal(hubServer.requests.length, 0, 'nothing downloaded next to a damaged file');

      writeFiles(dir, small);
      const resolved = await resolveModel({ dtype: 'fp32', cacheDir, hub, pinned, allowDownload: true, log, env });
      assert.deepEqual(resolved, { dir, source: 'hub', verification: 'pinned', origin: { repository: 'org/model', revision: hubServer.revision } });
      assert.deepEqual(
        [...new Set(hubServer.requests.filter((r) => !r.url.startsWith('/cdn/')).map((r) => r.url.split('/').pop()))],
        ['model.onnx'],
        'only the missing weights were fetched',
      );
    } finally {
      await hubServer.close();
    }
  });

  it('holds a cache of Xenova/all-MiniLM-L6-v2 at the pinned commit to the digests shipped in this release', async () => {
    const cacheDir = path.join(tmp, 'cache');
    // The default repository and revision, at the folder every release has used for them.
    const dir = path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2', PINNED_REVISION);
    // What an older release could have installed from a mirror that vouched for its own bytes.
    writeFiles(dir, fakeModelFiles(2 * 1024 * 1024));

    // The small files come first: the fake config.json fails its published size.
    await assert.rejects(resolveModel({ dtype: 'fp32', cacheDir, log, env }), (error: EngineError) => {
      assert.equal(error.code, 'CHECKSUM_MISMATCH');
      assert.ok(error.message.includes(path.join(dir, 'config.json')), error.message);
      assert.match(error.message, /650/);
      return true;
    });
    await assert.rejects(resolveModel({ dtype: 'q8', cacheDir, log, env }), (error: EngineError) => error.code === 'CHECKSUM_MISMATCH');
    // (Genuine Xenova small files are not available offline, so the weights' pinned SHA-256 is exercised with an
    // injected table in the tests above and against a hostile mirror in test/unit/engine/hubDownload.test.ts.)
  });
});
