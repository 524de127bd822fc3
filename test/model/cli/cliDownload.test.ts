import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PINNED_REVISION } from '../../../src/engine/hubDownload';
import { startLocalHub, type LocalHub } from '../../helpers/localHubServer';
import { repoRoot } from '../../helpers/sharedPaths';

/** Spawned asynchronously: the fake hub runs in this process and must keep answering. */
function minilm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('minilm download (local fake hub, no network)', function () {
  let hub: LocalHub;
  let cache: string;

  before(async () => {
    execFileSync(process.execPath, ['esbuild.mjs', '--only=cli,worker'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    hub = await startLocalHub();
  });
  after(() => hub.close());
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-download-'));
    // the server reads this very object: clear it rather than replace it
    for (const key of Object.keys(hub.faults)) delete hub.faults[key as keyof typeof hub.faults];
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('downloads the named revision into the cache with a progress bar on stderr, prints the folder, and reuses it', async () => {
    const args = ['download', '--hub-endpoint', hub.endpoint, '--revision', hub.revision, '--cache-dir', cache, '--progress'];
    const first = await minilm(args);
    assert.equal(first.status, 0, first.stderr);
    const folder = first.stdout.trim();
    // The fake hub's revision is not pinned in this release: its files are kept apart from pinned ones.
    assert.equal(folder, path.join(cache, 'unpinned', 'Xenova', 'all-MiniLM-L6-v2', hub.revision));
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      assert.ok(fs.readFileSync(path.join(folder, file)).equals(hub.files.get(file)!.content), file);
    }
    assert.match(first.stderr, /downloading \[/);

    const before = hub.requestsFor('onnx/model.onnx').length;
    const second = await minilm(args);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), folder);
    assert.match(second.stderr, /already in the cache/);
    assert.equal(hub.requestsFor('onnx/model.onnx').length, before);
  });

  it('takes the endpoint from HF_ENDPOINT and ignores MINILM_MODEL_DIR (the cache is the point)', async () => {
    const run = await minilm(['download', '--dtype', 'q8', '--revision', hub.revision, '--cache-dir', cache], {
      HF_ENDPOINT: hub.endpoint,
      MINILM_MODEL_DIR: path.join(cache, 'elsewhere'),
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(fs.existsSync(path.join(run.stdout.trim(), 'onnx', 'model_quantized.onnx')));
    assert.equal(run.stderr.includes('downloading ['), false, 'no progress bar when stderr is not a terminal');
  });

  it('a failing hub gives one line on stderr, a non-zero status and no model folder', async () => {
    hub.faults.status = 500;
    const run = await minilm(['download', '--hub-endpoint', hub.endpoint, '--revision', hub.revision, '--cache-dir', cache]);
    assert.notEqual(run.status, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^minilm: /);
    assert.equal(fs.existsSync(path.join(cache, 'unpinned', 'Xenova', 'all-MiniLM-L6-v2', hub.revision, 'onnx', 'model.onnx')), false);
  });

  it('holds a mirror of the pinned default revision to the pinned digests: one line, nothing in the cache', async () => {
    // Fake files for the pinned commit, with a file list and headers that vouch for them.
    const mirror = await startLocalHub({ revision: PINNED_REVISION });
    const pinnedFolder = path.join(cache, 'Xenova', 'all-MiniLM-L6-v2', PINNED_REVISION);
    try {
      for (const dtype of ['fp32', 'q8']) {
        const run = await minilm(['download', '--dtype', dtype, '--hub-endpoint', mirror.endpoint, '--cache-dir', cache]);
        assert.notEqual(run.status, 0);
        assert.equal(run.stdout, '');
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        // The first file fetched, config.json, already fails its pinned git blob id (or size).
        assert.match(run.stderr, /^minilm: .*config\.json.*(git blob|bytes where 650 were expected)/);
        assert.equal(fs.existsSync(pinnedFolder), false, 'nothing installed in the pinned folder');
      }
      assert.ok(mirror.requests.length > 0, 'the mirror was asked');
    } finally {
      await mirror.close();
    }
  });
});
