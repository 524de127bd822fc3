import { createHash } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError, cancelled } from './errors';
import { httpError, networkError, normalizeDigest, type ExpectedFile, type HubContext } from './hubContext';
import { MIRROR_HINT, fileUrl, hostOf } from './hubEndpoint';
import type { OverallProgress, ProgressListener } from './hubProgress';
import { sizeOf } from './hubStaging';
import { verify, verifyCompletePart } from './hubVerify';
import { hashFileInto } from './sha256File';
import type { HubOptions } from './types';

// One file fetched into its `.part`: resumed with a Range request, bounded in size, stopped when idle, verified.

/**
 * Nothing the engine downloads can be larger: ONNX files are protobuf messages, which cannot exceed 2 GiB. A
 * response of unknown length is cut off here rather than allowed to fill the disk.
 */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

export async function downloadFile(
  ctx: HubContext,
  hub: HubOptions,
  expected: ExpectedFile,
  partPath: string,
  overall: OverallProgress,
  onProgress: ProgressListener | undefined,
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
  ctx: HubContext,
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

function mergeFacts(ctx: HubContext, file: string, expected: ExpectedFile, headers: HeaderFacts): ExpectedFile {
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
function pinnedFacts(ctx: HubContext, expected: ExpectedFile, headers: HeaderFacts, url: string): ExpectedFile {
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
