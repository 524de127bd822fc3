import fs from 'node:fs';
import path from 'node:path';
import { RELEASE_PINNED } from './modelCatalogue';
import { hasDigest, pinnedRevisionFor } from './pinnedDigests';
import { gitBlobSha1File, sha256File } from './sha256File';
import type { ModelInfo } from './types';

/** One file of a model folder compared with the digest written down for it. */
export interface FileDigestCheck {
  file: string;
  status: 'matches' | 'differs' | 'absent' | 'no digest';
  detail?: string;
}

/** Where the expected digests came from, and each file's result; undefined when the folder has none to compare with. */
export interface FolderDigests {
  against: string;
  files: FileDigestCheck[];
}

/** `sha256sum` output beside the model, as shipped in the shared models folder. */
const SUMS_FILE = 'SHA256SUMS';

/**
 * Hashes the model's files (model.onnx: about 0.2-0.5 s) against the digests that say what they should be: the ones
 * pinned in this release for a model from the cache, or a `SHA256SUMS` file (sha256sum's format) in a model folder.
 */
export async function checkModelDigests(info: Pick<ModelInfo, 'dir' | 'origin'>): Promise<FolderDigests | undefined> {
  const pin = info.origin ? pinnedRevisionFor(RELEASE_PINNED, info.origin.repository, info.origin.revision) : undefined;
  if (pin) {
    const files: FileDigestCheck[] = [];
    for (const [file, expected] of Object.entries(pin.files)) {
      const full = path.join(info.dir, ...file.split('/'));
      if (!fs.existsSync(full)) files.push({ file, status: 'absent' });
      else if (!hasDigest(expected)) files.push({ file, status: 'no digest', detail: 'the hub publishes none pinned in this release' });
      else if (expected.sha256) files.push(compare(file, await sha256File(full), expected.sha256));
      else files.push(compare(file, await gitBlobSha1File(full), expected.gitBlobSha1!));
    }
    return { against: `the digests pinned for ${pin.repository}@${pin.revision.slice(0, 7)}`, files };
  }
  const sums = path.join(info.dir, SUMS_FILE);
  if (!fs.existsSync(sums)) return undefined;
  const files: FileDigestCheck[] = [];
  for (const line of fs.readFileSync(sums, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](?:\.\/)?(.+)$/i.exec(line.trim());
    if (!match) continue;
    const file = match[2]!;
    const full = path.join(info.dir, ...file.split('/'));
    files.push(fs.existsSync(full) ? compare(file, await sha256File(full), match[1]!.toLowerCase()) : { file, status: 'absent' });
  }
  return { against: `${SUMS_FILE} in the folder`, files };
}

function compare(file: string, actual: string, wanted: string): FileDigestCheck {
  return actual === wanted ? { file, status: 'matches' } : { file, status: 'differs', detail: `${actual.slice(0, 12)}…, expected ${wanted.slice(0, 12)}…` };
}
