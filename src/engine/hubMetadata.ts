import { z } from 'zod';
import { cancelled } from './errors';
import { errorText, networkError, normalizeDigest, type ExpectedFile, type HubContext } from './hubContext';
import { metadataUrl } from './hubEndpoint';
import type { HubOptions } from './types';

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

export interface RepoMetadata {
  revision: string;
  files: Map<string, ExpectedFile>;
}

/**
 * Asks the hub for every file's size and digest. Mirrors that do not serve the API still send the same
 * facts as `X-Linked-Etag` / `ETag` headers on `resolve`, so an unusable answer is logged, not fatal.
 */
export async function fetchMetadata(hub: HubOptions, ctx: HubContext): Promise<RepoMetadata | undefined> {
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
