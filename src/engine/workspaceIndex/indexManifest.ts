/**
 * The manifest of a workspace index: the one file that says which segments are live and where each indexed file's
 * chunks are. It is only ever replaced whole (temp file + fsync + rename), so a reader sees one generation or the
 * next, never a mix.
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { IndexFormatError } from './indexErrors';
import { chunksFile, isSegmentName, vectorFile } from './segmentFiles';

/** Bumped when a release can no longer read the previous layout; an older index is then rebuilt. */
export const INDEX_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'minilm-index.json';
const FORMAT_MARK = 'minilm-workspace-index';

/** What the vectors depend on; a different identity means the caller resets the index. */
export interface IndexIdentity {
  /**
   * Where the vectors were computed: absent for this machine's engine (indexes written before remote backends have
   * none), else the remote API (`tei`, `openai`, `ollama`). `model` is then the server's model identity, never its URL.
   */
  readonly backend?: string;
  readonly model: string;
  readonly dtype: string;
  readonly dimension: number;
  readonly chunker: string;
  readonly fingerprint: string;
}

/** One indexed file, as the incremental indexer needs it to decide what to re-embed. */
export interface FileEntry {
  /** Relative POSIX path, the key of the index. */
  readonly path: string;
  /** Content hash of the file when it was embedded (the indexer's choice of hash). */
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly chunks: number;
}

export interface SegmentRecord {
  readonly name: string;
  readonly rows: number;
  readonly vectorBytes: number;
  readonly chunkBytes: number;
}

/** A file entry with where its chunks live: rows `[row, row + chunks)` of `segment`, and that byte range of its JSONL. */
export interface StoredFile extends FileEntry {
  /** Null for a file without chunks (empty or whitespace only): it is indexed, with nothing to search. */
  readonly segment: string | null;
  readonly row: number;
  readonly chunkOffset: number;
  readonly chunkBytes: number;
}

export interface Manifest {
  readonly format: typeof FORMAT_MARK;
  readonly version: number;
  /** Incremented by every commit; part of segment names. */
  readonly generation: number;
  readonly writtenAt: string;
  readonly identity: IndexIdentity | null;
  /** Live segments, oldest first. Search rows follow this order, then the row order inside each segment. */
  readonly segments: readonly SegmentRecord[];
  /** Every indexed file, ordered by (segment order, row). */
  readonly files: readonly StoredFile[];
}

const count = z.number().int().nonnegative();
const manifestSchema = z.object({
  format: z.literal(FORMAT_MARK),
  version: z.literal(INDEX_FORMAT_VERSION),
  generation: count,
  writtenAt: z.string(),
  identity: z
    .object({
      backend: z.string().optional(),
      model: z.string(),
      dtype: z.string(),
      dimension: z.number().int().positive(),
      chunker: z.string(),
      fingerprint: z.string(),
    })
    .nullable(),
  segments: z.array(z.object({ name: z.string().refine(isSegmentName), rows: count, vectorBytes: count, chunkBytes: count })),
  // Checked by isStoredFile: zod took ~150 ms (cold, load 14) for 5,000 entries, the loop below ~5 ms.
  files: z.array(z.unknown()),
});

function isStoredFile(value: unknown): value is StoredFile {
  const f = value as Record<string, unknown> | null;
  const countField = (key: string) => Number.isInteger(f![key]) && (f![key] as number) >= 0;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.path === 'string' &&
    f.path !== '' &&
    typeof f.hash === 'string' &&
    typeof f.mtimeMs === 'number' &&
    (f.segment === null || typeof f.segment === 'string') &&
    ['size', 'chunks', 'row', 'chunkOffset', 'chunkBytes'].every(countField)
  );
}

export function emptyManifest(generation = 0): Manifest {
  return { format: FORMAT_MARK, version: INDEX_FORMAT_VERSION, generation, writtenAt: new Date().toISOString(), identity: null, segments: [], files: [] };
}

export function manifestPath(dir: string): string {
  return path.join(dir, MANIFEST_FILE);
}

/** Temp files `write-file-atomic` leaves beside the manifest when its writer is killed (`<name>.<uint32>`). */
export function isManifestTemp(fileName: string): boolean {
  return fileName.startsWith(`${MANIFEST_FILE}.`) && /^\d+$/.test(fileName.slice(MANIFEST_FILE.length + 1));
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest)}\n`;
}

/** Identifies one manifest file version: a commit renames a new inode into place, so any commit changes it. */
export function manifestStamp(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

export function sameIdentity(a: IndexIdentity | null | undefined, b: IndexIdentity | null | undefined): boolean {
  if (!a || !b) return false;
  return (
    (a.backend ?? 'local') === (b.backend ?? 'local') &&
    a.model === b.model &&
    a.dtype === b.dtype &&
    a.dimension === b.dimension &&
    a.chunker === b.chunker &&
    a.fingerprint === b.fingerprint
  );
}

/** "all-MiniLM-L6-v2 (384 dimensions)", or for a remote backend "the tei backend's model X (384 dimensions)". */
export function identityLabel(identity: Pick<IndexIdentity, 'backend' | 'model' | 'dimension'>): string {
  const model = identity.backend === undefined || identity.backend === 'local' ? identity.model : `the ${identity.backend} backend's ${identity.model}`;
  return `${model} (${identity.dimension} dimensions)`;
}

export type ManifestRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly manifest: Manifest; readonly stamp: string }
  /** Present but unusable (older format, damaged, a segment missing): the caller rebuilds. */
  | { readonly kind: 'rebuild'; readonly reason: string; readonly generation: number; readonly stamp: string };

/**
 * Reads and checks the manifest of `dir`, and that every segment it names is on disk with the promised size.
 * Throws {@link IndexFormatError} for a newer format, which this release must neither read nor overwrite.
 */
export async function readManifest(dir: string): Promise<ManifestRead> {
  // A writer may replace the manifest and delete the segments it no longer names between our reads: a segment
  // missing under a manifest that has since changed is that race, not damage, so read the new one.
  for (let attempt = 1; ; attempt++) {
    const read = await readManifestOnce(dir);
    if (read.kind !== 'rebuild' || attempt === 3) return read;
    const now = await fsp.stat(manifestPath(dir)).then(manifestStamp, () => undefined);
    if (now === read.stamp) return read;
  }
}

async function readManifestOnce(dir: string): Promise<ManifestRead> {
  const file = manifestPath(dir);
  let text: string;
  let stats: Stats;
  try {
    // Stat first: a rename between the two calls then shows up as a changed stamp on the next check.
    stats = await fsp.stat(file);
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'rebuild', reason: `${MANIFEST_FILE} is not valid JSON`, generation: 0, stamp: manifestStamp(stats) };
  }
  const version = (raw as { version?: unknown } | null)?.version;
  const generation = Number.isInteger((raw as { generation?: unknown }).generation) ? (raw as { generation: number }).generation : 0;
  if (typeof version === 'number' && version > INDEX_FORMAT_VERSION) throw new IndexFormatError(dir, version, INDEX_FORMAT_VERSION);
  const stamp = manifestStamp(stats);
  if (version !== INDEX_FORMAT_VERSION)
    return { kind: 'rebuild', reason: `index format ${String(version)} is older than ${INDEX_FORMAT_VERSION}`, generation, stamp };
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'rebuild', reason: `${MANIFEST_FILE} is damaged (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`, generation, stamp };
  }
  const bad = parsed.data.files.findIndex((f) => !isStoredFile(f));
  if (bad >= 0) return { kind: 'rebuild', reason: `${MANIFEST_FILE} is damaged (files.${bad} is not a file entry)`, generation, stamp };
  const manifest = parsed.data as Manifest;
  const problem = inconsistency(manifest) ?? (await missingSegmentFile(dir, manifest));
  if (problem) return { kind: 'rebuild', reason: problem, generation, stamp };
  return { kind: 'ok', manifest, stamp };
}

/** A reason the manifest contradicts itself, or undefined. */
function inconsistency(manifest: Manifest): string | undefined {
  const dimension = manifest.identity?.dimension ?? 0;
  const segments = new Map(manifest.segments.map((s) => [s.name, s]));
  if (segments.size !== manifest.segments.length) return 'a segment is listed twice';
  for (const s of manifest.segments) {
    if (s.vectorBytes !== s.rows * dimension * Float32Array.BYTES_PER_ELEMENT) return `segment ${s.name} has the wrong vector size`;
  }
  const paths = new Set<string>();
  for (const f of manifest.files) {
    if (paths.has(f.path)) return `${f.path} is listed twice`;
    paths.add(f.path);
    if (f.segment === null) {
      if (f.chunks !== 0) return `${f.path} has chunks but no segment`;
      continue;
    }
    const s = segments.get(f.segment);
    if (!s) return `${f.path} names an unknown segment ${f.segment}`;
    if (f.row + f.chunks > s.rows || f.chunkOffset + f.chunkBytes > s.chunkBytes) return `${f.path} lies outside segment ${f.segment}`;
  }
  return undefined;
}

async function missingSegmentFile(dir: string, manifest: Manifest): Promise<string | undefined> {
  for (const s of manifest.segments) {
    for (const [file, bytes] of [
      [vectorFile(dir, s.name), s.vectorBytes],
      [chunksFile(dir, s.name), s.chunkBytes],
    ] as const) {
      const size = await fsp.stat(file).then(
        (st) => st.size,
        () => -1,
      );
      if (size < 0) return `${path.basename(file)} is missing`;
      if (size !== bytes) return `${path.basename(file)} has ${size} bytes, the manifest says ${bytes}`;
    }
  }
  return undefined;
}
