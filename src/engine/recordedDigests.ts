/**
 * Digests recorded when a model that this release does not pin (another repository, a branch, another commit) is
 * first downloaded. The download itself is checked against what the hub reports; from then on the cached files are
 * held to this record as a pinned revision is held to its table, so a file changed on disk afterwards is never
 * loaded. The record (`minilm-digests.json` in the model folder) also says where the files came from and when.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicWrite';
import type { PinnedRevision } from './pinnedDigests';
import { sha256File } from './sha256File';

export const RECORDED_DIGESTS_FILE = 'minilm-digests.json';
const FORMAT = 'minilm-recorded-digests';

const recordSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  repository: z.string().min(1),
  revision: z.string().min(1),
  endpoint: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative(), recordedAt: z.string() })),
});
export type RecordedDigests = z.infer<typeof recordSchema>;

/** The record in `dir`, or undefined when there is none; a record that does not parse is an error naming it. */
export function readRecordedDigests(dir: string): RecordedDigests | undefined {
  const file = path.join(dir, RECORDED_DIGESTS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = recordSchema.safeParse(parsed);
  if (!record.success) throw new Error(`${file} is not a digest record this release can read: delete the folder ${dir} and download the model again.`);
  return record.data;
}

/** The record as a pinned revision, for checkPinnedCache. */
export function recordAsPin(record: RecordedDigests): PinnedRevision {
  return {
    repository: record.repository,
    revision: record.revision,
    files: Object.fromEntries(
      Object.entries(record.files).map(([name, f]) => [name, { sha256: f.sha256, size: f.size, source: `recorded at ${f.recordedAt}` }]),
    ),
  };
}

/**
 * Adds `files` (just downloaded into `dir` and checked against the hub's digests) to the record, keeping what it
 * already holds for other files, and writes it atomically.
 */
export async function recordDigests(
  dir: string,
  source: { repository: string; revision: string; endpoint: string },
  files: readonly string[],
): Promise<RecordedDigests> {
  const previous = readRecordedDigestsOrNone(dir);
  const recordedAt = new Date().toISOString();
  const entries = { ...(previous && previous.repository === source.repository && previous.revision === source.revision ? previous.files : {}) };
  for (const name of files) {
    const full = path.join(dir, ...name.split('/'));
    const { size } = await fs.promises.stat(full);
    entries[name] = { sha256: await sha256File(full), size, recordedAt };
  }
  const record: RecordedDigests = { format: FORMAT, version: 1, ...source, files: entries };
  await writeFileAtomic(path.join(dir, RECORDED_DIGESTS_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

function readRecordedDigestsOrNone(dir: string): RecordedDigests | undefined {
  try {
    return readRecordedDigests(dir);
  } catch {
    return undefined; // an unreadable record is replaced by the new one
  }
}
