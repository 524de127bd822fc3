import fs from 'node:fs';
import path from 'node:path';
import { RELEASE_PINNED } from './modelCatalogue';
import { hasDigest, pinnedRevisionFor, type PinnedFile } from './pinnedDigests';
import { readRecordedDigests, recordAsPin } from './recordedDigests';
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
 * Hashes the model's files (model.onnx: about 0.2-0.5 s) against the digests that say what they should be, first
 * found of: the ones pinned in this release for a model from the cache, the ones recorded when an unpinned model was
 * first downloaded (`minilm-digests.json`), or a `SHA256SUMS` file (sha256sum's format) in a model folder.
 * Throws, naming the file, when a digest record is there but unreadable.
 */
export async function checkModelDigests(info: Pick<ModelInfo, 'dir' | 'origin'>): Promise<FolderDigests | undefined> {
  const pin = info.origin ? pinnedRevisionFor(RELEASE_PINNED, info.origin.repository, info.origin.revision) : undefined;
  if (pin)
    return {
      against: `the digests pinned for ${pin.repository}@${pin.revision.slice(0, 7)}`,
      files: await checkFiles(info.dir, pin.files, 'the hub publishes none pinned in this release'),
    };
  const record = readRecordedDigests(info.dir);
  if (record) {
    return {
      against: `the digests recorded when ${record.repository}@${record.revision.slice(0, 7)} was downloaded from ${record.endpoint}`,
      files: await checkFiles(info.dir, recordAsPin(record).files, 'none was recorded'),
    };
  }
  const sums = path.join(info.dir, SUMS_FILE);
  if (!fs.existsSync(sums)) return undefined;
  const listed: Record<string, PinnedFile> = {};
  for (const line of fs.readFileSync(sums, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](?:\.\/)?(.+)$/i.exec(line.trim());
    if (match) listed[match[2]!] = { sha256: match[1]!.toLowerCase(), source: SUMS_FILE };
  }
  return { against: `${SUMS_FILE} in the folder`, files: await checkFiles(info.dir, listed, '') };
}

/** Each listed file of `dir` against its expected digest (SHA-256, or git's blob id for files the hub keeps in git). */
async function checkFiles(dir: string, expected: Readonly<Record<string, PinnedFile>>, whyNoDigest: string): Promise<FileDigestCheck[]> {
  const files: FileDigestCheck[] = [];
  for (const [file, wanted] of Object.entries(expected)) {
    const full = path.join(dir, ...file.split('/'));
    if (!fs.existsSync(full)) files.push({ file, status: 'absent' });
    else if (!hasDigest(wanted)) files.push({ file, status: 'no digest', detail: whyNoDigest });
    else if (wanted.sha256) files.push(compare(file, await sha256File(full), wanted.sha256));
    else files.push(compare(file, await gitBlobSha1File(full), wanted.gitBlobSha1!));
  }
  return files;
}

function compare(file: string, actual: string, wanted: string): FileDigestCheck {
  return actual === wanted ? { file, status: 'matches' } : { file, status: 'differs', detail: `${actual.slice(0, 12)}…, expected ${wanted.slice(0, 12)}…` };
}
