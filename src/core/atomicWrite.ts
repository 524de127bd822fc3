import { randomBytes } from 'node:crypto';
import { promises as fsp, closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** Something that can be written: whole content, or a producer that writes chunks (for large exports). */
export type AtomicContent = string | Uint8Array | ((write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>);

export interface AtomicWriteOptions {
  /** Checked before every chunk and before the rename; an abort leaves the target untouched and no temp file. */
  readonly signal?: AbortSignal;
  /** File mode of a newly created file (default 0o666 before umask). */
  readonly mode?: number;
}

/** The temp file sits in the target's folder so that the final rename stays on one file system (and is atomic). */
function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `target` so that readers see either the old file or the complete new one, never a partial file: the
 * content goes to a temp file in the same folder, is flushed to disk (fsync), then renamed over the target.
 * If writing fails, the producer throws, or `signal` aborts, the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(target: string, content: AtomicContent, options: AtomicWriteOptions = {}): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const temp = tempPathFor(target);
  const handle = await fsp.open(temp, 'wx', options.mode ?? 0o666);
  let renamed = false;
  try {
    const write = async (chunk: string | Uint8Array): Promise<void> => {
      signal?.throwIfAborted();
      await handle.writeFile(chunk);
    };
    if (typeof content === 'function') await content(write);
    else await write(content);
    await handle.sync();
    await handle.close();
    signal?.throwIfAborted();
    await fsp.rename(temp, target);
    renamed = true;
    await syncFolder(path.dirname(target));
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(temp).catch(() => undefined);
    }
  }
}

/** Synchronous variant for CLI code paths that write one small file. */
export function writeFileAtomicSync(target: string, content: string | Uint8Array, options: { mode?: number } = {}): void {
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', options.mode ?? 0o666);
  let closed = false;
  let renamed = false;
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temp, target);
    renamed = true;
  } finally {
    if (!closed) {
      try {
        closeSync(fd);
      } catch {
        /* already failing; the original error matters */
      }
    }
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        /* nothing to remove */
      }
    }
  }
}

/** Makes the rename itself durable. Not every platform can fsync a folder (Windows cannot); that is not an error. */
async function syncFolder(folder: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(folder, 'r');
    await handle.sync();
  } catch {
    /* best effort */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
