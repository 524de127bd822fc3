import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from './errors';
import { hasDigest, type PinnedRevision } from './pinnedDigests';
import { gitBlobSha1File, sha256File } from './sha256File';

/** Versions of files (path, inode, size, mtime, digest) this process has already checked, or is checking. */
const checked = new Map<string, Promise<void>>();

/**
 * Checks the files of a cached model of a pinned revision against the digests the hub publishes, before they are
 * loaded: a cache filled by an older release (which trusted the server's digests) or changed on disk since is
 * never loaded. Each version of a file is hashed once per process: model.onnx (90 MB) took 0.15–0.47 s,
 * model_quantized.onnx 30–65 ms, on 2 busy cores (load 7–10); a repeated check costs a stat (~0.2 ms).
 */
export async function checkPinnedCache(
  dir: string,
  files: string[],
  pin: PinnedRevision,
  log: (message: string) => void,
  /** Where the digests come from, as the error and the log say it (default: the pinned table). */
  source: { published: string; digest: string } = {
    published: `the Hugging Face hub publishes for ${pin.repository}@${pin.revision}`,
    digest: 'the pinned digest',
  },
): Promise<void> {
  for (const file of files) {
    const expected = pin.files[file];
    if (!hasDigest(expected)) {
      log(`cache ${file}: the hub publishes no digest pinned in this release for it; not verified`);
      continue;
    }
    const full = path.join(dir, ...file.split('/'));
    const info = await stat(full);
    const key = [full, info.dev, info.ino, info.size, info.mtimeMs, expected.sha256 ?? expected.gitBlobSha1].join('\0');
    let pending = checked.get(key);
    if (!pending) {
      pending = checkFile(full, file, info.size, expected, source, dir, log);
      checked.set(key, pending);
      pending.catch(() => checked.delete(key));
    }
    await pending;
  }
}

async function checkFile(
  full: string,
  file: string,
  size: number,
  expected: NonNullable<PinnedRevision['files'][string]>,
  source: { published: string; digest: string },
  dir: string,
  log: (message: string) => void,
): Promise<void> {
  if (expected.size !== undefined && size !== expected.size) {
    throw damaged(full, dir, `it has ${size} bytes, and ${source.published} ${expected.size}`);
  }
  const started = performance.now();
  const [kind, actual, wanted] = expected.sha256
    ? ['SHA-256', await sha256File(full), expected.sha256]
    : ['git blob id', await gitBlobSha1File(full), expected.gitBlobSha1!];
  if (actual !== wanted) throw damaged(full, dir, `its ${kind} is ${actual}, and ${source.published} ${wanted}`);
  log(`cache ${file}: ${size} bytes, ${kind} matches ${source.digest} (checked in ${(performance.now() - started).toFixed(0)} ms)`);
}

function damaged(full: string, dir: string, why: string): EngineError {
  return new EngineError(
    'CHECKSUM_MISMATCH',
    `The cached model file ${full} is damaged or was replaced: ${why}. It was not loaded. Delete it (or the whole folder ${dir}) and download the model again ("minilm download", or the "MiniLM: Download Model" command).`,
  );
}
