import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError } from './errors';
import { throwIfAborted, type ExpectedFile, type HubContext } from './hubContext';
import { hostOf, isCommit, validateFiles, validateHub } from './hubEndpoint';
import { downloadFile } from './hubFileFetch';
import { fetchMetadata } from './hubMetadata';
import { OverallProgress } from './hubProgress';
import { acquireLock, discardStaleParts, install, partPathFor, stagingDirFor } from './hubStaging';
import { RELEASE_PINNED } from './modelCatalogue';
import { hasDigest, pinnedRevisionFor, type PinnedTable } from './pinnedDigests';
import { requiredFiles, type DownloadProgress, type Dtype, type HubOptions } from './types';

// Downloads model files from the hub into a folder that appears complete or not at all. The steps live beside it:
// hubEndpoint (where), hubMetadata (what the hub lists), hubFileFetch + hubVerify (one resumable, checked file),
// hubStaging (parts, lock, install) and hubProgress.

export { DEFAULT_REPOSITORY, PINNED_REVISION } from './pinnedDigests';
export { DEFAULT_ENDPOINT, MIRROR_HINT, defaultHub, fileUrl, isCommit, metadataUrl } from './hubEndpoint';
export type { HubFile } from './hubContext';
export { stagingDirFor } from './hubStaging';

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

export async function downloadModel(req: DownloadRequest): Promise<void> {
  let hub = validateHub(req.hub);
  const files = validateFiles(req.files);
  const destDir = path.resolve(req.destDir);
  const staging = stagingDirFor(destDir);
  const log = req.log ?? (() => undefined);
  const pin = pinnedRevisionFor(req.pinned ?? RELEASE_PINNED, hub.repository, hub.revision);
  const ctx: HubContext = {
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
    log(
      `Hub: ${hub.repository}@${hub.revision} is pinned in this release: each file is checked against the digest the Hugging Face hub publishes for it, whatever ${hostOf(hub.endpoint)} reports.`,
    );
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
    log(
      `Hub: ${hub.repository}@${hub.revision} is not pinned in this release: files are checked against the digests ${hostOf(hub.endpoint)} reports (its file list or download headers).`,
    );
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

function unverifiableError(hub: HubOptions, files: string[]): EngineError {
  const them = files.length === 1 ? 'it' : 'them';
  return new EngineError(
    'DOWNLOAD_FAILED',
    `${files.join(', ')} of ${hub.repository} at the pinned revision ${hub.revision} cannot be verified: this release pins no digest published by the Hugging Face hub for ${them}, and files of the pinned revision are never installed on a server's word. Nothing was downloaded. Place the model files in a folder and point the model folder setting (or MINILM_MODEL_DIR, --model-dir) at it.`,
  );
}
