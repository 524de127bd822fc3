import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { EngineError, cancelled } from './errors';
import { RELEASE_PINNED } from './modelCatalogue';
import { DEFAULT_REPOSITORY, PINNED_REVISION, hasDigest, pinnedRevisionFor, type PinnedTable } from './pinnedDigests';
import { gitBlobSha1File, hashFileInto } from './sha256File';
import { requiredFiles, type DownloadProgress, type Dtype, type HubOptions } from './types';

export { DEFAULT_REPOSITORY, PINNED_REVISION } from './pinnedDigests';
export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/**
 * Nothing the engine downloads can be larger: ONNX files are protobuf messages, which cannot exceed 2 GiB. A
 * response of unknown length is cut off here rather than allowed to fill the disk.
 */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

export const MIRROR_HINT =
  'Check the network connection, or set HF_ENDPOINT (or the "minilm.hubEndpoint" setting) to a mirror such as https://hf-mirror.com.';

/** What the hub reports for one file of a repository at a revision. */
export interface HubFile {
  path: string;
  sha256?: string;
  size?: number;
}

interface ExpectedFile extends HubFile {
  /** Git blob id, reported for files kept in git rather than LFS. */
  gitBlobSha1?: string;
}

export interface DownloadRequest {
  hub: HubOptions;
  /** Repository-relative paths such as `onnx/model.onnx`. */
  files: string[];
  /** Final model folder: it appears complete or not at all. */
  destDir: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  log?: (message: string) => void;
  fetchImpl?: typeof fetch;
  /** A response that sends no bytes for this long is treated as a dropped connection (default 60 s). */
  idleTimeoutMs?: number;
  /**
   * Digests to hold each repository and revision to, instead of what the server reports. Defaults to the
   * table shipped in this release; tests pin their fake files here.
   */
  pinned?: PinnedTable;
}

/** Files the engine needs from the hub for one dtype (small ones first, so a bad endpoint fails fast). */
export function filesForDtype(dtype: Dtype): string[] {
  return requiredFiles(dtype);
}

export function defaultHub(env: NodeJS.ProcessEnv = process.env): HubOptions {
  const endpoint = env.HF_ENDPOINT?.trim();
  return {
    endpoint: normalizeEndpoint(endpoint ? endpoint : DEFAULT_ENDPOINT),
    repository: DEFAULT_REPOSITORY,
    revision: PINNED_REVISION,
  };
}

export function fileUrl(hub: HubOptions, file: string): string {
  return `${trimSlashes(hub.endpoint)}/${encodeSegments(hub.repository)}/resolve/${encodeURIComponent(hub.revision)}/${encodeSegments(file)}`;
}

/** The hub's file listing with LFS sha256 and sizes (`HfApi.model_info(files_metadata=True)`). */
export function metadataUrl(hub: HubOptions): string {
  return `${trimSlashes(hub.endpoint)}/api/models/${encodeSegments(hub.repository)}/revision/${encodeURIComponent(hub.revision)}?blobs=true`;
}

/** Folder beside `destDir` that holds `.part` files between attempts. */
export function stagingDirFor(destDir: string): string {
  return `${path.resolve(destDir)}.partial`;
}

export async function downloadModel(req: DownloadRequest): Promise<void> {
  let hub = validateHub(req.hub);
  const files = validateFiles(req.files);
  const destDir = path.resolve(req.destDir);
  const staging = stagingDirFor(destDir);
  const log = req.log ?? (() => undefined);
  const pin = pinnedRevisionFor(req.pinned ?? RELEASE_PINNED, hub.repository, hub.revision);
  const ctx: Context = {
    fetch: req.fetchImpl ?? globalThis.fetch,
    signal: req.signal,
    log,
    idleTimeoutMs: req.idleTimeoutMs ?? 60_000,
    pinned: Boolean(pin),
  };
  throwIfAborted(req.signal);

  let expected: ExpectedFile[];
  if (pin) {
    hub = { ...hub, repository: pin.repository, revision: pin.revision };
    // Refuse before any request: a file of the pinned revision is installed on the hub's published digest or not at all.
    const unverifiable = files.filter((file) => !hasDigest(pin.files[file]));
    if (unverifiable.length > 0) throw unverifiableError(hub, unverifiable);
    expected = files.map((file) => {
      const { sha256, gitBlobSha1, size } = pin.files[file]!;
      return { path: file, sha256, gitBlobSha1, size };
    });
    log(`Hub: ${hub.repository}@${hub.revision} is pinned in this release: each file is checked against the digest the Hugging Face hub publishes for it, whatever ${hostOf(hub.endpoint)} reports.`);
  } else {
    const metadata = await fetchMetadata(hub, ctx);
    const resolved = metadata?.revision ?? hub.revision;
    if (resolved !== hub.revision) {
      // A commit names its bytes: a server answering with another one is not followed.
      if (isCommit(hub.revision)) log(`Hub: ${hostOf(hub.endpoint)} lists commit ${resolved} for ${hub.revision}; keeping the requested commit.`);
      else {
        log(`Hub: revision ${hub.revision} is commit ${resolved}; downloading that commit.`);
        hub = { ...hub, revision: resolved };
      }
    }
    if (metadata) {
      const missing = files.filter((file) => !metadata.files.has(file));
      if (missing.length > 0) {
        throw new EngineError(
          'DOWNLOAD_FAILED',
          `${missing.join(', ')} not found in ${hub.repository} at revision ${hub.revision} on ${hostOf(hub.endpoint)}. Check the repository and revision settings.`,
        );
      }
    }
    expected = files.map((file) => metadata?.files.get(file) ?? { path: file });
    log(`Hub: ${hub.repository}@${hub.revision} is not pinned in this release: files are checked against the digests ${hostOf(hub.endpoint)} reports (its file list or download headers).`);
  }

  await mkdir(staging, { recursive: true });
  const releaseLock = await acquireLock(staging);
  try {
    await discardStaleParts(staging, hub, ctx.pinned, log);
    const overall = new OverallProgress(expected);
    for (const file of expected) {
      throwIfAborted(req.signal);
      await downloadFile(ctx, hub, file, partPathFor(staging, file.path), overall, req.onProgress);
    }
    throwIfAborted(req.signal);
    await install(staging, destDir, files, log);
    await rm(staging, { recursive: true, force: true });
  } finally {
    await releaseLock();
  }
  const trust = ctx.pinned ? 'the digests pinned in this release' : `the digests ${hostOf(hub.endpoint)} reported`;
  log(`Hub: ${files.length} file(s) of ${hub.repository}@${hub.revision} verified against ${trust} and installed in ${destDir}.`);
}

interface Context {
  fetch: typeof fetch;
  signal: AbortSignal | undefined;
  log: (message: string) => void;
  idleTimeoutMs: number;
  /** The revision is in the pinned table: server-reported digests are ignored. */
  pinned: boolean;
}

function unverifiableError(hub: HubOptions, files: string[]): EngineError {
  const them = files.length === 1 ? 'it' : 'them';
  return new EngineError(
    'DOWNLOAD_FAILED',
    `${files.join(', ')} of ${hub.repository} at the pinned revision ${hub.revision} cannot be verified: this release pins no digest published by the Hugging Face hub for ${them}, and files of the pinned revision are never installed on a server's word. Nothing was downloaded. Place the model files in a folder and point the model folder setting (or MINILM_MODEL_DIR, --model-dir) at it.`,
  );
}

// ---------------------------------------------------------------------------------------------- metadata

const metadataSchema = z.object({
  sha: z.string().optional(),
  siblings: z.array(
    z.object({
      rfilename: z.string(),
      size: z.number().optional(),
      blobId: z.string().optional(),
      lfs: z.object({ sha256: z.string(), size: z.number() }).nullish(),
    }),
  ),
});

interface RepoMetadata {
  revision: string;
  files: Map<string, ExpectedFile>;
}

/**
 * Asks the hub for every file's size and digest. Mirrors that do not serve the API still send the same
 * facts as `X-Linked-Etag` / `ETag` headers on `resolve`, so an unusable answer is logged, not fatal.
 */
async function fetchMetadata(hub: HubOptions, ctx: Context): Promise<RepoMetadata | undefined> {
  const url = metadataUrl(hub);
  ctx.log(`Hub: GET ${url}`);
  const timeout = AbortSignal.timeout(ctx.idleTimeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await ctx.fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    throw networkError(ctx, timeout.aborted ? new Error(`no answer within ${Math.round(ctx.idleTimeoutMs / 1000)} s`) : error, 'the file list', url);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    ctx.log(`Hub: file list unavailable (HTTP ${response.status}); using the digests in the download headers.`);
    return undefined;
  }
  let parsed: z.infer<typeof metadataSchema>;
  try {
    parsed = metadataSchema.parse(await response.json());
  } catch (error) {
    if (ctx.signal?.aborted) throw cancelled();
    if (timeout.aborted) throw networkError(ctx, new Error('the file list stalled'), 'the file list', url);
    ctx.log(`Hub: file list unreadable (${errorText(error)}); using the digests in the download headers.`);
    return undefined;
  }
  const files = new Map<string, ExpectedFile>();
  for (const sibling of parsed.siblings) {
    files.set(sibling.rfilename, {
      path: sibling.rfilename,
      size: sibling.lfs?.size ?? sibling.size,
      sha256: sibling.lfs ? normalizeDigest(sibling.lfs.sha256, 64) : undefined,
      gitBlobSha1: sibling.lfs ? undefined : normalizeDigest(sibling.blobId, 40),
    });
  }
  const revision = parsed.sha && /^[0-9a-f]{40}$/.test(parsed.sha) ? parsed.sha : hub.revision;
  return { revision, files };
}

// ---------------------------------------------------------------------------------------------- one file

async function downloadFile(
  ctx: Context,
  hub: HubOptions,
  expected: ExpectedFile,
  partPath: string,
  overall: OverallProgress,
  onProgress: DownloadRequest['onProgress'],
): Promise<void> {
  const file = expected.path;
  const url = fileUrl(hub, file);
  await mkdir(path.dirname(partPath), { recursive: true });

  let existing = await sizeOf(partPath);
  if (expected.size !== undefined && existing > expected.size) {
    ctx.log(`Hub: ${file}.part is larger than the expected ${expected.size} bytes; starting over.`);
    await unlink(partPath);
    existing = 0;
  }
  if (expected.size !== undefined && existing === expected.size && (expected.sha256 || expected.gitBlobSha1)) {
    if (await verifyCompletePart(ctx, expected, partPath, url)) {
      overall.fileDone(file, existing, onProgress);
      return;
    }
    existing = 0;
  }

  for (let attempt = 0; ; attempt++) {
    const idle = new IdleTimer(ctx.idleTimeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, idle.signal]) : idle.signal;
    try {
      const opened = await openResolve(ctx, url, existing, signal, idle);
      const facts = ctx.pinned ? pinnedFacts(ctx, expected, opened.facts, url) : mergeFacts(ctx, file, expected, opened.facts);
      const { response } = opened;

      if (response.status === 416 && existing > 0) {
        const total = parseContentRangeTotal(response.headers.get('content-range'));
        await response.body?.cancel().catch(() => undefined);
        if (total === existing && (await verifyCompletePart(ctx, facts, partPath, url))) {
          overall.fileDone(file, existing, onProgress);
          return;
        }
        if (attempt > 0) throw httpError(hub, file, url, response.status);
        if (total !== existing) ctx.log(`Hub: the server refused to resume ${file} at byte ${existing}; starting over.`);
        await unlink(partPath).catch(() => undefined);
        existing = 0;
        continue;
      }
      if (response.status !== 200 && response.status !== 206) {
        await response.body?.cancel().catch(() => undefined);
        throw httpError(hub, file, url, response.status);
      }
      let append = false;
      if (response.status === 206) {
        const start = parseContentRangeStart(response.headers.get('content-range'));
        if (start !== existing) {
          await response.body?.cancel().catch(() => undefined);
          if (attempt > 0) throw httpError(hub, file, url, response.status);
          ctx.log(`Hub: ${file}: the server answered a different range (${response.headers.get('content-range')}); starting over.`);
          await unlink(partPath).catch(() => undefined);
          existing = 0;
          continue;
        }
        append = true;
        ctx.log(`Hub: resuming ${file} from byte ${existing}.`);
      } else if (existing > 0) {
        ctx.log(`Hub: the server does not resume ${file}; downloading it again from the start.`);
      }

      const startAt = append ? existing : 0;
      // The most bytes the file may have: what is pinned or listed, else the hard ceiling.
      const limit = facts.size ?? MAX_FILE_BYTES;
      const announced = contentLength(response);
      if (announced !== undefined) {
        const end = startAt + announced;
        if ((facts.size !== undefined && end !== facts.size) || end > limit) {
          await response.body?.cancel().catch(() => undefined);
          await unlink(partPath).catch(() => undefined);
          const wanted = facts.size !== undefined ? `${facts.size}` : `at most ${limit}`;
          throw new EngineError(
            'CHECKSUM_MISMATCH',
            `${hostOf(url)} answered ${file} with ${end} bytes where ${wanted} were expected: that is not the file (an error page, or other bytes). Nothing of it was kept; try again, or use another hub endpoint.`,
          );
        }
      }
      const fromResponse = totalFromResponse(response, startAt);
      const total = facts.size ?? (fromResponse !== undefined && fromResponse <= limit ? fromResponse : undefined);
      const hash = createHash('sha256');
      if (append) await hashFileInto(hash, partPath);
      const written = await streamToFile(response, partPath, append, hash, idle, limit - startAt, (received) => {
        overall.fileProgress(file, startAt + received, total, onProgress);
      });
      if (written === undefined) {
        await unlink(partPath).catch(() => undefined);
        throw new EngineError(
          'CHECKSUM_MISMATCH',
          `${hostOf(url)} sent more than the ${limit} bytes ${file} can have; the download was stopped there and deleted, nothing was installed. Try again, or use another hub endpoint.`,
        );
      }
      const size = startAt + written;
      if (facts.size !== undefined && size < facts.size) {
        // The server ended the response normally (a dropped connection is an error, handled below): these bytes
        // are all it meant to send, so they are not a prefix of the file worth resuming.
        await unlink(partPath).catch(() => undefined);
        throw new EngineError(
          'CHECKSUM_MISMATCH',
          `${hostOf(url)} ended its answer for ${file} after ${size} of ${facts.size} bytes: that is not the file (an error page?). The download was deleted; try again, or use another hub endpoint.`,
        );
      }
      await verify(ctx, { ...facts, size: facts.size ?? total }, partPath, url, hash.digest('hex'));
      overall.fileDone(file, size, onProgress);
      return;
    } catch (error) {
      if (ctx.signal?.aborted) throw cancelled();
      if (error instanceof EngineError) throw error;
      if (idle.fired) {
        const at = await sizeOf(partPath);
        throw new EngineError(
          'DOWNLOAD_FAILED',
          `The download of ${file} from ${hostOf(url)} stalled (no data for ${Math.round(ctx.idleTimeoutMs / 1000)} s). ${MIRROR_HINT} The partial file is kept and the next attempt resumes from byte ${at}.`,
        );
      }
      throw networkError(ctx, error, file, url, await sizeOf(partPath));
    } finally {
      idle.stop();
    }
  }
}

/**
 * A part left complete by an earlier attempt (which stopped before installing) needs no network, only a
 * check. Bytes that fail it were damaged on this disk, not by the hub: download again instead of failing.
 */
async function verifyCompletePart(ctx: Context, expected: ExpectedFile, partPath: string, url: string): Promise<boolean> {
  ctx.log(`Hub: ${expected.path} already fully downloaded (${await sizeOf(partPath)} bytes); verifying.`);
  try {
    await verify(ctx, expected, partPath, url);
    return true;
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'CHECKSUM_MISMATCH') throw error;
    ctx.log(`Hub: the earlier part of ${expected.path} is damaged; downloading it again. (${error.message})`);
    return false;
  }
}

interface HeaderFacts {
  sha256?: string;
  size?: number;
  gitBlobSha1?: string;
}

/**
 * GET with redirects followed by hand: the hub's own response carries `X-Linked-Etag` (sha256) and
 * `X-Linked-Size` before it redirects LFS files to a CDN, whose response does not.
 */
async function openResolve(
  ctx: Context,
  url: string,
  existing: number,
  signal: AbortSignal,
  idle: IdleTimer,
): Promise<{ response: Response; facts: HeaderFacts }> {
  const facts: HeaderFacts = {};
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'minilm-studio' };
  if (existing > 0) headers.range = `bytes=${existing}-`;
  let current = url;
  for (let hop = 0; hop <= 10; hop++) {
    ctx.log(`Hub: GET ${current}${existing > 0 ? ` (Range: bytes=${existing}-)` : ''}`);
    idle.touch();
    const response = await ctx.fetch(current, { headers, redirect: 'manual', signal });
    idle.touch();
    const linkedEtag = normalizeDigest(response.headers.get('x-linked-etag'), 64);
    const linkedSize = Number(response.headers.get('x-linked-size') ?? NaN);
    facts.sha256 ??= linkedEtag;
    if (Number.isSafeInteger(linkedSize) && linkedSize >= 0) facts.size ??= linkedSize;
    // The hub may first redirect small files to its own /api/resolve-cache/…; a CDN's ETag is not a git blob id.
    if (!linkedEtag && new URL(current).origin === new URL(url).origin) {
      facts.gitBlobSha1 ??= normalizeDigest(response.headers.get('etag'), 40);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => undefined);
      current = new URL(location, current).toString();
      continue;
    }
    return { response, facts };
  }
  throw new EngineError('DOWNLOAD_FAILED', `Too many redirects while downloading ${url}. ${MIRROR_HINT}`);
}

function mergeFacts(ctx: Context, file: string, expected: ExpectedFile, headers: HeaderFacts): ExpectedFile {
  if (expected.sha256 && headers.sha256 && expected.sha256 !== headers.sha256) {
    ctx.log(`Hub: ${file}: the file list says sha256 ${expected.sha256}, the download headers ${headers.sha256}; checking against the file list.`);
  }
  return {
    path: file,
    size: expected.size ?? headers.size,
    sha256: expected.sha256 ?? headers.sha256,
    gitBlobSha1: expected.sha256 || headers.sha256 ? expected.gitBlobSha1 : (expected.gitBlobSha1 ?? headers.gitBlobSha1),
  };
}

/** For a pinned revision the server's digests only earn a log line when they disagree. */
function pinnedFacts(ctx: Context, expected: ExpectedFile, headers: HeaderFacts, url: string): ExpectedFile {
  const differs =
    (headers.sha256 && expected.sha256 && headers.sha256 !== expected.sha256) ||
    (headers.size !== undefined && expected.size !== undefined && headers.size !== expected.size);
  if (differs) {
    ctx.log(
      `Hub: ${expected.path}: ${hostOf(url)} reports ${headers.size ?? '?'} bytes, sha256 ${headers.sha256 ?? '?'}; checking against the pinned ${expected.size ?? '?'} bytes, sha256 ${expected.sha256}.`,
    );
  }
  return expected;
}

/**
 * Writes the body to the part, at most `limit` bytes. Returns the bytes written, or undefined when the body
 * went past `limit`: the rest is not read, so an endless answer costs at most `limit` bytes of disk.
 */
async function streamToFile(
  response: Response,
  partPath: string,
  append: boolean,
  hash: ReturnType<typeof createHash>,
  idle: IdleTimer,
  limit: number,
  onBytes: (received: number) => void,
): Promise<number | undefined> {
  const handle = await open(partPath, append ? 'a' : 'w');
  let received = 0;
  try {
    if (!response.body) return 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        idle.touch();
        if (received + value.length > limit) {
          await reader.cancel().catch(() => undefined);
          return undefined;
        }
        // Hash only what reached the file, so a resumed part and its digest always agree.
        await handle.write(value);
        hash.update(value);
        received += value.length;
        onBytes(received);
      }
    } finally {
      reader.releaseLock();
    }
  } finally {
    await handle.close();
  }
  return received;
}

async function verify(ctx: Context, expected: ExpectedFile, partPath: string, url: string, sha256?: string): Promise<void> {
  const file = expected.path;
  const size = await sizeOf(partPath);
  const against = ctx.pinned ? 'the digest the Hugging Face hub publishes (pinned in this release)' : `the digest ${hostOf(url)} reported`;
  const damaged = 'The download was deleted and nothing was installed; try again, or use another hub endpoint.';
  if (expected.size !== undefined && size !== expected.size) {
    await unlink(partPath).catch(() => undefined);
    throw new EngineError('CHECKSUM_MISMATCH', `${file} from ${hostOf(url)} has ${size} bytes, expected ${expected.size}. ${damaged}`);
  }
  if (expected.sha256) {
    const actual = sha256 ?? (await sha256Of(partPath));
    if (actual !== expected.sha256) {
      await unlink(partPath).catch(() => undefined);
      throw new EngineError(
        'CHECKSUM_MISMATCH',
        `${file} from ${hostOf(url)} failed its SHA-256 check against ${against}: expected ${expected.sha256}, got ${actual}. ${damaged}`,
      );
    }
    ctx.log(`Hub: ${file}: ${size} bytes, sha256 ${actual} verified against ${against}.`);
    return;
  }
  if (expected.gitBlobSha1) {
    const actual = await gitBlobSha1File(partPath);
    if (actual !== expected.gitBlobSha1) {
      await unlink(partPath).catch(() => undefined);
      throw new EngineError(
        'CHECKSUM_MISMATCH',
        `${file} from ${hostOf(url)} failed its git blob check against ${against}: expected ${expected.gitBlobSha1}, got ${actual}. ${damaged}`,
      );
    }
    ctx.log(`Hub: ${file}: ${size} bytes, git blob ${actual} verified against ${against}.`);
    return;
  }
  // Nothing to check against: refuse rather than install bytes nobody vouched for. Unverifiable bytes are not
  // kept either: a later attempt would resume after them.
  await unlink(partPath).catch(() => undefined);
  throw new EngineError(
    'DOWNLOAD_FAILED',
    `${hostOf(url)} reported no checksum for ${file}, so it cannot be verified; it was deleted. Use an endpoint that serves the Hugging Face API or its X-Linked-Etag / ETag headers (for example https://huggingface.co or https://hf-mirror.com).`,
  );
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, file);
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------- staging

function partPathFor(staging: string, file: string): string {
  return path.join(staging, ...file.split('/')) + '.part';
}

const COMPLETE_DIR = '.complete';
const LOCK_FILE = '.lock';
const SOURCE_FILE = '.source.json';

/** Parts of another repository, revision or trust would only fail their checksum after a long resume. */
async function discardStaleParts(staging: string, hub: HubOptions, pinned: boolean, log: (m: string) => void): Promise<void> {
  const source = JSON.stringify({ repository: hub.repository, revision: hub.revision, digests: pinned ? 'pinned' : 'hub' });
  const previous = await readFile(path.join(staging, SOURCE_FILE), 'utf8').catch(() => undefined);
  if (previous !== undefined && previous !== source) {
    log(`Hub: discarding partial files of ${previous} in ${staging}.`);
  }
  if (previous !== source) {
    for (const entry of await readdir(staging)) {
      if (entry !== LOCK_FILE) await rm(path.join(staging, entry), { recursive: true, force: true });
    }
    await writeFile(path.join(staging, SOURCE_FILE), source);
  }
  await rm(path.join(staging, COMPLETE_DIR), { recursive: true, force: true });
}

/** Two downloads appending to the same `.part` would corrupt it. A lock left by a dead process is taken over. */
async function acquireLock(staging: string): Promise<() => Promise<void>> {
  const lockPath = path.join(staging, LOCK_FILE);
  const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, token, { flag: 'wx' });
      return async () => {
        const current = await readFile(lockPath, 'utf8').catch(() => undefined);
        if (current === token) await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).split(' ')[0]);
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new EngineError(
          'DOWNLOAD_FAILED',
          `Another download into ${staging} is in progress (process ${holder}). Wait for it to finish, or stop it and try again.`,
        );
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new EngineError('DOWNLOAD_FAILED', `Could not lock ${staging} for downloading. Delete ${lockPath} and try again.`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves verified parts into place. A new `destDir` appears in one rename; into an existing folder (another
 * dtype's files) the files are renamed one by one, model weights last, so the folder never holds a model
 * file whose tokenizer and config are missing.
 */
async function install(staging: string, destDir: string, files: string[], log: (m: string) => void): Promise<void> {
  const complete = path.join(staging, COMPLETE_DIR);
  await rm(complete, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(complete, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(partPathFor(staging, file), target);
  }
  if (!(await exists(destDir))) {
    try {
      await rename(complete, destDir);
      log(`Hub: created ${destDir}.`);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw error;
    }
  }
  const ordered = [...files].sort((a, b) => Number(a.endsWith('.onnx')) - Number(b.endsWith('.onnx')));
  for (const file of ordered) {
    const target = path.join(destDir, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(complete, ...file.split('/')), target);
  }
  log(`Hub: added ${files.join(', ')} to ${destDir}.`);
}

// ---------------------------------------------------------------------------------------------- progress

class OverallProgress {
  private readonly done = new Map<string, number>();
  private readonly sizes: Map<string, number | undefined>;
  private lastEmitted = -Infinity;

  constructor(files: ExpectedFile[]) {
    this.sizes = new Map(files.map((f) => [f.path, f.size]));
  }

  fileProgress(file: string, received: number, total: number | undefined, emit: DownloadRequest['onProgress']): void {
    if (total !== undefined) this.sizes.set(file, total);
    // Every chunk would flood a webview with messages; 256 KiB steps are smooth enough for a bar.
    if (received - this.lastEmitted < 256 * 1024 && received !== total) return;
    this.lastEmitted = received;
    emit?.(this.snapshot(file, received, total));
  }

  fileDone(file: string, size: number, emit: DownloadRequest['onProgress']): void {
    this.sizes.set(file, size);
    this.done.set(file, size);
    this.lastEmitted = -Infinity;
    emit?.(this.snapshot(file, size, size));
  }

  private snapshot(file: string, received: number, total: number | undefined): DownloadProgress {
    let overallReceived = received;
    for (const [name, size] of this.done) if (name !== file) overallReceived += size;
    const sizes = [...this.sizes.values()];
    const overallTotal = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a + (b ?? 0), 0) : undefined;
    return { file, received, total, overallReceived, overallTotal };
  }
}

class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error('idle timeout'));
    }, this.ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

// ---------------------------------------------------------------------------------------------- helpers

function httpError(hub: HubOptions, file: string, url: string, status: number): EngineError {
  const where = `${hub.repository} at revision ${hub.revision} on ${hostOf(url)}`;
  if (status === 401 || status === 403) {
    return new EngineError(
      'DOWNLOAD_FAILED',
      `The hub refused ${file} from ${where} (HTTP ${status}): the repository does not exist, is private or is gated. Check the repository setting, or place the model files in a local folder.`,
    );
  }
  if (status === 404) {
    return new EngineError(
      'DOWNLOAD_FAILED',
      `${file} was not found in ${where} (HTTP 404): check the repository and revision settings.`,
    );
  }
  return new EngineError('DOWNLOAD_FAILED', `Downloading ${file} from ${where} failed with HTTP ${status}. ${MIRROR_HINT}`);
}

function networkError(ctx: Context, error: unknown, what: string, url: string, kept?: number): EngineError {
  if (ctx.signal?.aborted) return cancelled();
  const resume = kept ? ` The partial file is kept and the next attempt resumes from byte ${kept}.` : '';
  return new EngineError('DOWNLOAD_FAILED', `Could not download ${what} from ${hostOf(url)} (${errorText(error)}). ${MIRROR_HINT}${resume}`);
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail && detail !== error.message ? `${error.message}: ${detail}` : error.message;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function validateHub(hub: HubOptions): HubOptions {
  if (!hub || typeof hub.repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(hub.repository) || hub.repository.split('/').some((s) => s === '.' || s === '..')) {
    throw new EngineError('INVALID_INPUT', `Hub repository "${hub?.repository}" is not of the form owner/name.`);
  }
  if (typeof hub.revision !== 'string' || hub.revision.trim() === '') {
    throw new EngineError('INVALID_INPUT', 'Hub revision is empty: give a commit hash (or a branch such as main).');
  }
  const revision = hub.revision.trim();
  // Commits are hex: one spelled in capitals is the same commit (and, on most file systems, the same folder).
  return { endpoint: normalizeEndpoint(hub.endpoint), repository: hub.repository, revision: isCommit(revision) ? revision.toLowerCase() : revision };
}

/** A full commit hash (any case), as opposed to a branch, tag or abbreviated commit. */
export function isCommit(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}

function validateFiles(files: string[]): string[] {
  if (!Array.isArray(files) || files.length === 0) throw new EngineError('INVALID_INPUT', 'No files to download.');
  for (const file of files) {
    const segments = typeof file === 'string' ? file.split('/') : [];
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
      throw new EngineError('INVALID_INPUT', `"${String(file)}" is not a repository-relative file path.`);
    }
  }
  return [...new Set(files)];
}

function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EngineError('INVALID_INPUT', `Hub endpoint "${endpoint}" is not a URL; use e.g. https://huggingface.co or https://hf-mirror.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EngineError('INVALID_INPUT', `Hub endpoint "${endpoint}" must be an http(s) URL, e.g. https://hf-mirror.com.`);
  }
  return trimSlashes(endpoint.trim());
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

function encodeSegments(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `"abc…"`, `W/"abc…"` or `abc…` → the lowercase hex digest, if it has the expected length. */
function normalizeDigest(value: string | null | undefined, hexLength: 40 | 64): string | undefined {
  if (!value) return undefined;
  const digest = value.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  return digest.length === hexLength && /^[0-9a-f]+$/.test(digest) ? digest : undefined;
}

function parseContentRangeStart(header: string | null): number | undefined {
  const match = header?.match(/^bytes (\d+)-\d+\/(?:\d+|\*)$/);
  return match ? Number(match[1]) : undefined;
}

function parseContentRangeTotal(header: string | null): number | undefined {
  const match = header?.match(/^bytes (?:\d+-\d+|\*)\/(\d+)$/);
  return match ? Number(match[1]) : undefined;
}

function contentLength(response: Response): number | undefined {
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function totalFromResponse(response: Response, offset: number): number | undefined {
  const fromRange = parseContentRangeTotal(response.headers.get('content-range'));
  if (fromRange !== undefined) return fromRange;
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && length >= 0 ? offset + length : undefined;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
