import { unlink } from 'node:fs/promises';
import { EngineError } from './errors';
import type { ExpectedFile, HubContext } from './hubContext';
import { hostOf } from './hubEndpoint';
import { sizeOf } from './hubStaging';
import { gitBlobSha1File, sha256File } from './sha256File';

// A part is installed only after its size and digest match what is pinned or what the server vouched for.

export async function verify(ctx: HubContext, expected: ExpectedFile, partPath: string, url: string, sha256?: string): Promise<void> {
  const file = expected.path;
  const size = await sizeOf(partPath);
  const against = ctx.pinned ? 'the digest the Hugging Face hub publishes (pinned in this release)' : `the digest ${hostOf(url)} reported`;
  const damaged = 'The download was deleted and nothing was installed; try again, or use another hub endpoint.';
  if (expected.size !== undefined && size !== expected.size) {
    await unlink(partPath).catch(() => undefined);
    throw new EngineError('CHECKSUM_MISMATCH', `${file} from ${hostOf(url)} has ${size} bytes, expected ${expected.size}. ${damaged}`);
  }
  if (expected.sha256) {
    const actual = sha256 ?? (await sha256File(partPath));
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

/**
 * A part left complete by an earlier attempt (which stopped before installing) needs no network, only a
 * check. Bytes that fail it were damaged on this disk, not by the hub: download again instead of failing.
 */
export async function verifyCompletePart(ctx: HubContext, expected: ExpectedFile, partPath: string, url: string): Promise<boolean> {
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
