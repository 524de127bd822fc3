// One candidate file → its text and content hash, or the reason it cannot be indexed.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { decodeTextBytes } from '../../core/textDecoding';
import type { CandidateFile, SkipReason } from './types';
import { DEFAULT_MAX_FILE_BYTES } from './walkDefaults';

export type IndexableFile =
  | { readonly kind: 'text'; readonly text: string; /** SHA-256 hex of the raw bytes (BOM included). */ readonly hash: string }
  | { readonly kind: 'skipped'; readonly reason: SkipReason; readonly note?: string };

export interface ReadIndexableOptions {
  /** The file may have grown since the walk: larger ones are skipped as `too-large`. Default 1 MiB. */
  readonly maxFileBytes?: number;
}

/**
 * Reads a file once: binary (a NUL byte in the first 8000 bytes, git's test), strict UTF-8 with its BOM dropped,
 * or UTF-16 with a BOM; anything else is skipped as `undecodable` with a note naming the offending byte.
 */
export async function readIndexableFile(file: CandidateFile, options: ReadIndexableOptions = {}): Promise<IndexableFile> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let bytes: Buffer;
  try {
    const handle = await open(file.absolutePath, 'r');
    try {
      // Size from the open handle, so that a file swapped for a large one after the walk is not read whole.
      const { size } = await handle.stat();
      if (size > maxFileBytes) return { kind: 'skipped', reason: 'too-large', note: `${size} bytes > ${maxFileBytes}` };
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { kind: 'skipped', reason: 'unreadable', note: code };
  }
  const decoded = decodeTextBytes(bytes);
  if (decoded.kind !== 'text') return { kind: 'skipped', reason: decoded.kind, note: decoded.note };
  return { kind: 'text', text: decoded.text, hash: createHash('sha256').update(bytes).digest('hex') };
}
