import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../src/engine/errors';
import {
  PINNED_REVISION,
  defaultHub,
  downloadModel,
  fileUrl,
  filesForDtype,
  metadataUrl,
  stagingDirFor,
  type DownloadRequest,
} from '../../../src/engine/hubDownload';
import type { DownloadProgress, HubOptions } from '../../../src/engine/types';
import { fakeModelFiles, pinnedTableFor, sha256, startLocalHub, type LocalHub } from '../../helpers/localHubServer';
import { PINNED_DIGESTS } from '../../../src/engine/pinnedDigests';

const FP32 = filesForDtype('fp32');
const Q8 = filesForDtype('q8');

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the download succeeded`);
}

/** Every file below `dir`, as repository-relative paths. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return out.sort();
}

describe('hubDownload', function () {
  let hub: LocalHub;
  let tmp: string;
  let destDir: string;
  let logs: string[];

  const options = (): HubOptions => ({ endpoint: hub.endpoint, repository: hub.repository, revision: hub.revision });
  const request = (extra: Partial<DownloadRequest> = {}): DownloadRequest => ({
    hub: options(),
    files: FP32,
    destDir,
    log: (m) => logs.push(m),
    ...extra,
  });

  async function assertIdentical(files: string[]): Promise<void> {
    for (const file of files) {
      const actual = await readFile(path.join(destDir, ...file.split('/')));
      assert.ok(actual.equals(hub.files.get(file)!.content), `${file} differs from the served bytes`);
    }
  }

  beforeEach(async function () {
    hub = await startLocalHub();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'minilm-hub-'));
    destDir = path.join(tmp, 'models', 'all-MiniLM-L6-v2');
    logs = [];
  });

  afterEach(async function () {
    await hub.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('downloads every file byte-identical, verifies it and leaves no staging folder', async function () {
    const progress: DownloadProgress[] = [];
    await downloadModel(request({ onProgress: (p) => progress.push(p) }));

    assert.deepEqual(await listFiles(destDir), [...FP32].sort());
    await assertIdentical(FP32);
    assert.equal(existsSync(stagingDirFor(destDir)), false, 'staging folder left behind');

    const total = FP32.reduce((sum, f) => sum + hub.files.get(f)!.content.length, 0);
    const last = progress.at(-1)!;
    assert.equal(last.file, 'onnx/model.onnx');
    assert.equal(last.overallTotal, total);
    assert.equal(last.overallReceived, total);
    const modelEvents = progress.filter((p) => p.file === 'onnx/model.onnx');
    assert.ok(modelEvents.length > 2, 'expected intermediate progress for the model file');
    for (let i = 1; i < modelEvents.length; i++) assert.ok(modelEvents[i]!.received >= modelEvents[i - 1]!.received);

    assert.ok(
      logs.some((m) => m.includes('onnx/model.onnx') && m.includes('sha256') && m.includes('verified')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => m.includes('config.json') && m.includes('git blob') && m.includes('verified')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => m.includes(fileUrl(options(), 'onnx/model.onnx'))),
      'the URL of each file is logged',
    );
  });

  it('asks the hub API for the digests of the pinned revision', async function () {
    await downloadModel(request());
    const api = hub.requests.filter((r) => r.url.startsWith('/api/'));
    assert.equal(api.length, 1);
    assert.equal(api[0]!.url, `/api/models/${hub.repository}/revision/${hub.revision}?blobs=true`);
  });

  it('fails with DOWNLOAD_FAILED when the connection drops, then resumes with a Range request', async function () {
    const model = hub.files.get('onnx/model.onnx')!.content;
    hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 1024 * 1024 };

    const error = await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    assert.match(error.message, /127\.0\.0\.1:\d+/, 'names the host');
    assert.match(error.message, /HF_ENDPOINT/);
    assert.match(error.message, /hf-mirror\.com/);
    assert.equal(existsSync(destDir), false, 'no model folder after a failed download');
    const part = path.join(stagingDirFor(destDir), 'onnx', 'model.onnx.part');
    const kept = (await stat(part)).size;
    assert.ok(kept > 0 && kept < model.length, `part should hold a prefix, has ${kept} bytes`);

    hub.requests.length = 0;
    await downloadModel(request());

    const ranged = hub.requestsFor('onnx/model.onnx').filter((r) => r.range);
    assert.ok(ranged.length > 0, 'the second attempt must send a Range header');
    for (const r of ranged) {
      const from = Number(/^bytes=(\d+)-$/.exec(r.range!)?.[1]);
      assert.ok(from > 0, `Range ${r.range} should start after byte 0`);
      assert.equal(from, kept, 'resumes exactly where the part ends');
    }
    assert.ok(
      logs.some((m) => m.includes(`resuming onnx/model.onnx from byte ${kept}`)),
      logs.join('\n'),
    );
    await assertIdentical(FP32);
    assert.deepEqual(await listFiles(destDir), [...FP32].sort());
  });

  it('verifies complete parts of an interrupted attempt locally instead of fetching them again', async function () {
    hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 256 * 1024 };
    await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    hub.requests.length = 0;
    await downloadModel(request());
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      assert.equal(hub.requestsFor(file).length, 0, `${file} was fetched again`);
      assert.ok(
        logs.some((m) => m.includes(`${file} already fully downloaded`)),
        logs.join('\n'),
      );
    }
    await assertIdentical(FP32);
  });

  it('downloads again a complete part that was damaged on disk', async function () {
    hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 256 * 1024 };
    await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    const part = path.join(stagingDirFor(destDir), 'tokenizer.json.part');
    const damaged = Buffer.from(hub.files.get('tokenizer.json')!.content);
    damaged[0] ^= 0xff;
    await writeFile(part, damaged);
    await downloadModel(request());
    await assertIdentical(FP32);
    assert.ok(
      logs.some((m) => m.includes('earlier part of tokenizer.json is damaged')),
      logs.join('\n'),
    );
  });

  it('treats a stalled response as a dropped connection and keeps the part', async function () {
    hub.faults.slow = { file: 'onnx/model.onnx', chunkBytes: 64 * 1024, delayMs: 3000 };
    const error = await rejectsWith(downloadModel(request({ idleTimeoutMs: 200 })), 'DOWNLOAD_FAILED');
    assert.match(error.message, /stalled/);
    assert.match(error.message, /hf-mirror\.com/);
    assert.equal(existsSync(destDir), false);
    assert.equal((await stat(path.join(stagingDirFor(destDir), 'onnx', 'model.onnx.part'))).size, 64 * 1024);
  });

  it('refuses files for which the hub reports no checksum at all', async function () {
    hub.faults.noApi = true;
    hub.faults.noDigestHeaders = true;
    const error = await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    assert.match(error.message, /no checksum/);
    assert.equal(existsSync(destDir), false);
  });

  it('starts over when the server ignores the Range header', async function () {
    hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 512 * 1024 };
    await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    hub.faults.ignoreRange = true;
    await downloadModel(request());
    await assertIdentical(FP32);
    assert.ok(
      logs.some((m) => m.includes('does not resume')),
      logs.join('\n'),
    );
  });

  it('rejects a corrupted LFS file with CHECKSUM_MISMATCH and deletes the part', async function () {
    hub.faults.corrupt = ['onnx/model.onnx'];
    const error = await rejectsWith(downloadModel(request()), 'CHECKSUM_MISMATCH');
    const expected = sha256(hub.files.get('onnx/model.onnx')!.content);
    assert.match(error.message, /onnx\/model\.onnx/);
    assert.ok(error.message.includes(expected), 'names the expected digest');
    assert.match(error.message, /got [0-9a-f]{64}/, 'names the actual digest');
    assert.equal(existsSync(destDir), false);
    assert.equal(existsSync(path.join(stagingDirFor(destDir), 'onnx', 'model.onnx.part')), false, 'damaged part is deleted');

    hub.faults.corrupt = [];
    await downloadModel(request());
    await assertIdentical(FP32);
  });

  it('rejects a corrupted small (git) file by its blob id', async function () {
    hub.faults.corrupt = ['tokenizer.json'];
    const error = await rejectsWith(downloadModel(request()), 'CHECKSUM_MISMATCH');
    assert.match(error.message, /tokenizer\.json/);
    assert.match(error.message, /git blob/);
    assert.equal(existsSync(destDir), false);
  });

  it('verifies from X-Linked-Etag and ETag headers when the hub API is unavailable', async function () {
    hub.faults.noApi = true;
    await downloadModel(request());
    await assertIdentical(FP32);
    assert.ok(
      logs.some((m) => m.includes('file list unavailable')),
      logs.join('\n'),
    );

    await rm(destDir, { recursive: true });
    hub.faults.corrupt = ['onnx/model.onnx'];
    await rejectsWith(downloadModel(request()), 'CHECKSUM_MISMATCH');
    // The good parts of the attempt above would be reused; start clean so config.json is fetched again.
    await rm(stagingDirFor(destDir), { recursive: true });
    hub.faults.corrupt = ['config.json'];
    await rejectsWith(downloadModel(request()), 'CHECKSUM_MISMATCH');
  });

  it("takes git blob ids from the hub's own resolve-cache redirect, not from a CDN", async function () {
    hub.faults.noApi = true;
    hub.faults.resolveCache = true;
    await downloadModel(request());
    await assertIdentical(FP32);
    assert.ok(
      hub.requests.some((r) => r.url.startsWith('/api/resolve-cache/')),
      'the redirect was followed',
    );

    await rm(destDir, { recursive: true });
    hub.faults.corrupt = ['tokenizer_config.json'];
    const error = await rejectsWith(downloadModel(request()), 'CHECKSUM_MISMATCH');
    assert.match(error.message, /tokenizer_config\.json/);
  });

  it('cancels mid-file with CANCELLED and leaves nothing in destDir', async function () {
    hub.faults.slow = { file: 'onnx/model.onnx', chunkBytes: 64 * 1024, delayMs: 20 };
    const controller = new AbortController();
    const error = await rejectsWith(
      downloadModel(
        request({
          signal: controller.signal,
          onProgress: (p) => {
            if (p.file === 'onnx/model.onnx' && p.received > 0) controller.abort();
          },
        }),
      ),
      'CANCELLED',
    );
    assert.ok(error);
    assert.equal(existsSync(destDir), false);
  });

  it('cancels before any request when the signal is already aborted', async function () {
    await rejectsWith(downloadModel(request({ signal: AbortSignal.abort() })), 'CANCELLED');
    assert.equal(hub.requests.length, 0);
  });

  it('leaves an existing good model untouched when a new download fails', async function () {
    await downloadModel(request());
    const before = new Map<string, Buffer>();
    for (const file of await listFiles(destDir)) before.set(file, await readFile(path.join(destDir, file)));

    // Re-downloading the same dtype, interrupted half-way.
    hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 256 * 1024 };
    await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    // Adding the other dtype, corrupted.
    hub.faults.corrupt = ['onnx/model_quantized.onnx'];
    await rejectsWith(downloadModel(request({ files: Q8 })), 'CHECKSUM_MISMATCH');
    // Adding the other dtype, cancelled.
    hub.faults.corrupt = [];
    hub.faults.slow = { file: 'onnx/model_quantized.onnx', chunkBytes: 16 * 1024, delayMs: 20 };
    const controller = new AbortController();
    await rejectsWith(
      downloadModel(
        request({
          files: Q8,
          signal: controller.signal,
          onProgress: (p) => p.file === 'onnx/model_quantized.onnx' && p.received > 0 && controller.abort(),
        }),
      ),
      'CANCELLED',
    );

    assert.deepEqual(await listFiles(destDir), [...before.keys()]);
    for (const [file, content] of before) assert.ok((await readFile(path.join(destDir, file))).equals(content), `${file} changed`);
  });

  it('adds the other dtype to an existing model folder after verifying it', async function () {
    await downloadModel(request());
    await writeFile(path.join(destDir, 'notes.txt'), 'kept');
    await downloadModel(request({ files: Q8 }));
    assert.deepEqual(await listFiles(destDir), [...new Set([...FP32, ...Q8, 'notes.txt'])].sort());
    await assertIdentical([...FP32, ...Q8]);
    assert.equal(await readFile(path.join(destDir, 'notes.txt'), 'utf8'), 'kept');
  });

  it('explains a missing repository or revision (HTTP 404)', async function () {
    const error = await rejectsWith(downloadModel(request({ hub: { ...options(), repository: 'nobody/missing-model' } })), 'DOWNLOAD_FAILED');
    assert.match(error.message, /not found/);
    assert.match(error.message, /nobody\/missing-model/);
    assert.match(error.message, /repository and revision/);

    const byRevision = await rejectsWith(downloadModel(request({ hub: { ...options(), revision: 'f'.repeat(40) } })), 'DOWNLOAD_FAILED');
    assert.match(byRevision.message, /not found/);
    assert.equal(existsSync(destDir), false);
  });

  it('explains a file that the repository does not have', async function () {
    const error = await rejectsWith(downloadModel(request({ files: ['config.json', 'onnx/model_fp16.onnx'] })), 'DOWNLOAD_FAILED');
    assert.match(error.message, /onnx\/model_fp16\.onnx/);
    assert.match(error.message, /not found/);
    assert.equal(existsSync(destDir), false);
  });

  it('explains a gated or private repository (HTTP 401)', async function () {
    hub.faults.status = 401;
    const error = await rejectsWith(downloadModel(request()), 'DOWNLOAD_FAILED');
    assert.match(error.message, /401/);
    assert.match(error.message, /gated/);
  });

  it('reports an unreachable hub with the host and a mirror hint', async function () {
    const endpoint = hub.endpoint;
    await hub.close();
    const error = await rejectsWith(downloadModel(request({ hub: { ...options(), endpoint } })), 'DOWNLOAD_FAILED');
    assert.ok(error.message.includes(new URL(endpoint).host), error.message);
    assert.match(error.message, /hf-mirror\.com/);
    hub = await startLocalHub(); // afterEach closes it
  });

  it('rejects file paths that escape the model folder', async function () {
    for (const bad of ['../evil.json', '/etc/passwd', 'onnx//model.onnx', 'a\\b.json', '']) {
      await rejectsWith(downloadModel(request({ files: [bad] })), 'INVALID_INPUT');
    }
    assert.equal(hub.requests.length, 0);
  });

  it('discards parts left by another revision', async function () {
    const part = path.join(stagingDirFor(destDir), 'onnx', 'model.onnx.part');
    await mkdir(path.dirname(part), { recursive: true });
    await writeFile(path.join(stagingDirFor(destDir), '.source.json'), JSON.stringify({ repository: hub.repository, revision: 'a'.repeat(40) }));
    await writeFile(part, Buffer.alloc(1000, 7));
    await downloadModel(request());
    await assertIdentical(FP32);
    assert.ok(
      hub.requestsFor('onnx/model.onnx').every((r) => r.range === undefined),
      'a stale part must not be resumed',
    );
  });
});

/** Setup shared by the suites below: a fresh fake hub, temp folder and log per test. */
function hubFixture() {
  const f = {
    hub: undefined as unknown as LocalHub,
    tmp: '',
    destDir: '',
    logs: [] as string[],
    options: (): HubOptions => ({ endpoint: f.hub.endpoint, repository: f.hub.repository, revision: f.hub.revision }),
    request: (extra: Partial<DownloadRequest> = {}): DownloadRequest => ({
      hub: f.options(),
      files: FP32,
      destDir: f.destDir,
      log: (m) => f.logs.push(m),
      ...extra,
    }),
    partOf: (file: string) => path.join(stagingDirFor(f.destDir), ...file.split('/')) + '.part',
    /** The genuine files' digests, as a release would pin them. */
    pins: () => pinnedTableFor(f.hub.repository, f.hub.revision, f.hub.files.values()),
    async assertIdentical(files: string[]): Promise<void> {
      for (const file of files) {
        const actual = await readFile(path.join(f.destDir, ...file.split('/')));
        assert.ok(actual.equals(f.hub.files.get(file)!.content), `${file} differs from the genuine bytes`);
      }
    },
  };
  beforeEach(async function () {
    f.hub = await startLocalHub();
    f.tmp = await mkdtemp(path.join(os.tmpdir(), 'minilm-hub-'));
    f.destDir = path.join(f.tmp, 'models', 'all-MiniLM-L6-v2');
    f.logs = [];
  });
  afterEach(async function () {
    await f.hub.close();
    await rm(f.tmp, { recursive: true, force: true });
  });
  return f;
}

describe("hubDownload: a pinned revision is held to the digests in the release, not the server's word", function () {
  const f = hubFixture();

  it('installs the pinned files when their bytes match, without asking the server for digests', async function () {
    await downloadModel(f.request({ pinned: f.pins() }));
    await f.assertIdentical(FP32);
    assert.equal(f.hub.requests.filter((r) => r.url.startsWith('/api/models/')).length, 0, 'the file list is not needed');
    assert.ok(
      f.logs.some((m) => m.includes('is pinned in this release')),
      f.logs.join('\n'),
    );
    assert.ok(
      f.logs.some((m) => m.includes('onnx/model.onnx') && m.includes('verified against the digest the Hugging Face hub publishes')),
      f.logs.join('\n'),
    );
  });

  it('refuses a hostile mirror whose file list and headers all match its own other bytes, and installs nothing', async function () {
    const pinned = f.pins();
    f.hub.faults.hostile = [...FP32];
    // The mirror is self-consistent: its file list vouches for the bytes it serves, so its word alone would pass them.
    const listing = (await (await fetch(metadataUrl(f.options()))).json()) as { siblings: Array<{ rfilename: string; lfs?: { sha256: string } }> };
    const listed = listing.siblings.find((s) => s.rfilename === 'onnx/model.onnx')!.lfs!.sha256;
    assert.equal(listed, sha256(f.hub.served('onnx/model.onnx')));

    // config.json comes first: its pinned size and git blob id refuse the mirror's version.
    const small = await rejectsWith(downloadModel(f.request({ pinned })), 'CHECKSUM_MISMATCH');
    assert.match(small.message, /config\.json/);
    assert.equal(existsSync(f.destDir), false, 'nothing installed');
    assert.equal(existsSync(f.partOf('config.json')), false, 'the refused part is deleted');

    f.hub.faults.hostile = ['onnx/model.onnx'];
    const error = await rejectsWith(downloadModel(f.request({ pinned })), 'CHECKSUM_MISMATCH');
    assert.match(error.message, /onnx\/model\.onnx/);
    assert.ok(error.message.includes(sha256(f.hub.files.get('onnx/model.onnx')!.content)), 'names the pinned digest');
    assert.ok(error.message.includes(sha256(f.hub.served('onnx/model.onnx'))), 'names the digest of what was received');
    assert.equal(existsSync(f.destDir), false, 'nothing installed');
    assert.equal(existsSync(f.partOf('onnx/model.onnx')), false, 'the refused part is deleted');
  });

  it('uses the table shipped in this release for Xenova/all-MiniLM-L6-v2 at the pinned commit', async function () {
    await f.hub.close();
    // A mirror of the pinned revision serving fake weights, with a file list and headers that vouch for them.
    f.hub = await startLocalHub({ revision: PINNED_REVISION, files: fakeModelFiles(2 * 1024 * 1024) });
    assert.equal(f.hub.repository, 'Xenova/all-MiniLM-L6-v2');

    // q8: the published size refuses these 512 KiB.
    const q8 = await rejectsWith(downloadModel(f.request({ files: ['onnx/model_quantized.onnx'] })), 'CHECKSUM_MISMATCH');
    assert.match(q8.message, /22972370/);
    // fp32: the published size refuses them before a byte is written.
    const fp32 = await rejectsWith(downloadModel(f.request({ files: ['onnx/model.onnx'] })), 'CHECKSUM_MISMATCH');
    assert.match(fp32.message, /90387606/);
    assert.equal(existsSync(f.partOf('onnx/model.onnx')), false);
    // An endless answer stops at the published size.
    f.hub.faults.endless = { file: 'onnx/model_quantized.onnx', bytes: 64 * 1024 * 1024 };
    const endless = await rejectsWith(downloadModel(f.request({ files: ['onnx/model_quantized.onnx'] })), 'CHECKSUM_MISMATCH');
    assert.match(endless.message, /22972370/);
    assert.ok(f.hub.sent.get('onnx/model_quantized.onnx')! < 22_972_370 + 24 * 1024 * 1024, `sent ${f.hub.sent.get('onnx/model_quantized.onnx')}`);
    assert.equal(existsSync(f.destDir), false, 'nothing installed');
  });

  it('refuses files of a pinned commit that have no published digest in the table, before any request', async function () {
    // The shipped table has a digest for every file; a table entry without one (a file the hub publishes no digest
    // for) must be refused rather than taken on the server's word.
    const pinned = f.pins().map((entry) => ({ ...entry, files: { ...entry.files, 'tokenizer.json': { source: 'none published' } } }));
    const error = await rejectsWith(downloadModel(f.request({ pinned })), 'DOWNLOAD_FAILED');
    assert.match(error.message, /tokenizer\.json of .* at the pinned revision/);
    assert.match(error.message, /cannot be verified/);
    assert.match(error.message, /model folder/);
    assert.equal(f.hub.requests.length, 0, 'nothing was asked of the server');
    assert.equal(existsSync(f.destDir), false);
  });

  it('the shipped table pins every file the engine downloads of the default revision', () => {
    const pin = PINNED_DIGESTS.find((entry) => entry.repository === 'Xenova/all-MiniLM-L6-v2' && entry.revision === PINNED_REVISION);
    assert.ok(pin);
    for (const file of new Set([...filesForDtype('fp32'), ...filesForDtype('q8')])) {
      const pinnedFile = pin.files[file];
      assert.ok(pinnedFile && (pinnedFile.sha256 || pinnedFile.gitBlobSha1) && pinnedFile.size, `${file} has no digest and size`);
    }
  });

  it('keeps the digests the hub reports for a revision that is not pinned, and says so', async function () {
    await downloadModel(f.request());
    await f.assertIdentical(FP32);
    assert.ok(
      f.logs.some((m) => m.includes('is not pinned in this release') && m.includes('reports')),
      f.logs.join('\n'),
    );
    assert.ok(
      f.logs.some((m) => m.includes('verified against the digests') && m.includes('reported')),
      f.logs.join('\n'),
    );
  });

  it('does not follow a server that names another commit for a requested commit', async function () {
    f.hub.faults.apiSha = 'd'.repeat(40);
    await downloadModel(f.request());
    const resolves = f.hub.requests.filter((r) => r.url.includes('/resolve/'));
    assert.ok(resolves.length > 0 && resolves.every((r) => r.url.includes(`/resolve/${f.hub.revision}/`)), resolves.map((r) => r.url).join('\n'));
    assert.ok(
      f.logs.some((m) => m.includes('keeping the requested commit')),
      f.logs.join('\n'),
    );
  });
});

describe('hubDownload: answers that are not the file', function () {
  const f = hubFixture();

  it('refuses an HTML error page sent with status 200, deletes the part and does not resume after it', async function () {
    f.hub.faults.dropAfterBytes = { file: 'onnx/model.onnx', bytes: 256 * 1024 };
    await rejectsWith(downloadModel(f.request()), 'DOWNLOAD_FAILED');
    assert.ok(existsSync(f.partOf('onnx/model.onnx')), 'a dropped connection keeps its part for a resume');

    await refuseHtmlPageThenDownload({ files: ['onnx/model.onnx'] }, /not the file/);
  });

  it('refuses an HTML page without Content-Length once it ends short, and deletes the part', async function () {
    await refuseHtmlPageThenDownload({ files: ['onnx/model.onnx'], chunked: true }, /error page/);
  });

  /** The page is refused, its part deleted and nothing installed; the next attempt downloads afresh, not resumed. */
  async function refuseHtmlPageThenDownload(page: NonNullable<LocalHub['faults']['htmlPage']>, message: RegExp): Promise<void> {
    f.hub.faults.htmlPage = page;
    const error = await rejectsWith(downloadModel(f.request()), 'CHECKSUM_MISMATCH');
    assert.match(error.message, message);
    assert.equal(existsSync(f.partOf('onnx/model.onnx')), false, 'the part is deleted');
    assert.equal(existsSync(f.destDir), false, 'nothing installed');

    f.hub.faults.htmlPage = undefined;
    f.hub.requests.length = 0;
    await downloadModel(f.request());
    await f.assertIdentical(FP32);
    assert.ok(
      f.hub.requestsFor('onnx/model.onnx').every((r) => r.range === undefined),
      'nothing resumed after the page',
    );
  }

  it('refuses an HTML page in place of a pinned small file', async function () {
    f.hub.faults.htmlPage = { files: ['tokenizer.json'], chunked: true };
    await rejectsWith(downloadModel(f.request({ pinned: f.pins() })), 'CHECKSUM_MISMATCH');
    assert.equal(existsSync(f.partOf('tokenizer.json')), false);
    assert.equal(existsSync(f.destDir), false);
  });

  it('stops reading an answer that runs past the expected size, and deletes it', async function () {
    const size = f.hub.files.get('onnx/model.onnx')!.content.length;
    f.hub.faults.endless = { file: 'onnx/model.onnx', bytes: 64 * 1024 * 1024 };
    const error = await rejectsWith(downloadModel(f.request()), 'CHECKSUM_MISMATCH');
    assert.match(error.message, new RegExp(`more than the ${size} bytes`));
    // Socket buffers between the two ends hold a few MiB the client never asked for.
    const sent = f.hub.sent.get('onnx/model.onnx')!;
    assert.ok(sent < size + 24 * 1024 * 1024, `the server got to send ${sent} bytes for a ${size}-byte file`);
    assert.equal(existsSync(f.partOf('onnx/model.onnx')), false, 'the part is deleted');
    assert.equal(existsSync(f.destDir), false, 'nothing installed');
  });

  it('deletes a complete part it cannot verify instead of keeping it for a resume', async function () {
    f.hub.faults.noApi = true;
    f.hub.faults.noDigestHeaders = true;
    await rejectsWith(downloadModel(f.request()), 'DOWNLOAD_FAILED');
    assert.equal(existsSync(f.partOf('config.json')), false);
  });
});

describe('hub settings', function () {
  it('defaultHub uses HF_ENDPOINT when set', function () {
    assert.equal(defaultHub({ HF_ENDPOINT: 'https://hf-mirror.com/' }).endpoint, 'https://hf-mirror.com');
    assert.equal(defaultHub({ HF_ENDPOINT: '  ' }).endpoint, 'https://huggingface.co');
    assert.equal(defaultHub({}).endpoint, 'https://huggingface.co');
  });

  it('defaultHub pins the transformers.js repository to a commit', function () {
    const hub = defaultHub({});
    assert.equal(hub.repository, 'Xenova/all-MiniLM-L6-v2');
    assert.equal(hub.revision, PINNED_REVISION);
    assert.match(hub.revision, /^[0-9a-f]{40}$/);
  });

  it('defaultHub rejects an endpoint that is not an http(s) URL', function () {
    assert.throws(
      () => defaultHub({ HF_ENDPOINT: 'hf-mirror.com' }),
      (e: unknown) => e instanceof EngineError && e.code === 'INVALID_INPUT',
    );
    assert.throws(
      () => defaultHub({ HF_ENDPOINT: 'ftp://example.com' }),
      (e: unknown) => e instanceof EngineError && e.code === 'INVALID_INPUT',
    );
  });

  it('fileUrl keeps the hub layout and encodes each path segment', function () {
    const hub: HubOptions = { endpoint: 'https://hf-mirror.com/', repository: 'Xenova/all-MiniLM-L6-v2', revision: PINNED_REVISION };
    assert.equal(fileUrl(hub, 'onnx/model.onnx'), `https://hf-mirror.com/Xenova/all-MiniLM-L6-v2/resolve/${PINNED_REVISION}/onnx/model.onnx`);
    assert.equal(
      fileUrl({ ...hub, revision: 'refs/pr/1' }, 'dir with space/ä#1?.json'),
      'https://hf-mirror.com/Xenova/all-MiniLM-L6-v2/resolve/refs%2Fpr%2F1/dir%20with%20space/%C3%A4%231%3F.json',
    );
    assert.equal(metadataUrl(hub), `https://hf-mirror.com/api/models/Xenova/all-MiniLM-L6-v2/revision/${PINNED_REVISION}?blobs=true`);
  });

  it("filesForDtype lists config, tokenizer and the dtype's weights", function () {
    assert.deepEqual(filesForDtype('fp32'), ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    assert.deepEqual(filesForDtype('q8'), ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']);
  });
});
