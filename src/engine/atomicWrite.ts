import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import writeFileAtomicLibrary from 'write-file-atomic';

/** Something that can be written: whole content, or a producer that writes chunks (for large exports). */
export type AtomicContent = string | Uint8Array | ((write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>);

export interface AtomicWriteOptions {
  /** Checked before every chunk and once all content is written; an abort leaves the target untouched and no temp file. */
  readonly signal?: AbortSignal;
  /** Mode of a newly created file, applied as given (default 0o666 less the umask). An existing file keeps its mode. */
  readonly mode?: number;
}

/**
 * How a target is written. `replace`: a regular file (or a new one), replaced atomically. `stream`: a FIFO or a
 * character device (`/dev/null`, a terminal), which must stay what it is: the content is streamed into it.
 */
export type WriteMode = 'replace' | 'stream';

/** A target that cannot be written, with the reason in words a user can act on. */
export class WriteTargetError extends Error {
  constructor(
    /** The path as the caller gave it. */
    readonly target: string,
    /** What is wrong, e.g. "the folder /a/b does not exist". */
    readonly reason: string,
    /** The errno code behind it, when there is one (ENOENT, EACCES, EISDIR, ...). */
    readonly code?: string,
  ) {
    super(`cannot write ${target}: ${reason}`);
    this.name = 'WriteTargetError';
  }
}

/**
 * Writes `target` so that readers see either the old file or the complete new one, never a partial file.
 * The regular-file case is `write-file-atomic`'s: a temp file next to the target, flushed to disk, renamed over it;
 * a symbolic link is written through (the link stays a link) and an existing file keeps its mode and owner. What
 * this adds: content produced in chunks is streamed into that temp file instead of being held in memory whole,
 * `signal` aborts, a link to a file that does not exist yet creates that file, and a FIFO or a character device is
 * streamed into rather than replaced. On failure or abort the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(target: string, content: AtomicContent, options: AtomicWriteOptions = {}): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const existing = await statOrUndefined(target);
  if (existing && streamable(existing)) {
    await writeChunks(target, 'w', content, signal);
    return;
  }
  if (existing && !existing.isFile()) throw new WriteTargetError(target, `it is ${kindOf(existing)}`, existing.isDirectory() ? 'EISDIR' : undefined);
  const file = await linkTarget(target);
  let written = false;
  await writeFileAtomicLibrary(file, '', {
    mode: existing ? undefined : options.mode,
    // The library awaits this hook before it flushes and renames the temp file, so the content can be streamed in;
    // the empty `data` it then writes at offset 0 changes nothing.
    tmpfileCreated: async (temp: string) => {
      await writeChunks(temp, 'r+', content, signal);
      written = true;
    },
  });
  // Guards an upgrade of the library that stops awaiting the hook: the rename would then race the content.
  if (!written) throw new Error(`write-file-atomic renamed ${file} before its content was written`);
}

/** Synchronous variant for scripts that write one small file (`write-file-atomic`'s own sync path). */
export function writeFileAtomicSync(target: string, content: string | Uint8Array, options: { mode?: number } = {}): void {
  const data = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  writeFileAtomicLibrary.sync(target, data, { mode: options.mode });
}

/**
 * Checks, without writing anything, that {@link writeFileAtomic} can write `target`: it is a regular file, a new
 * file in an existing writable folder, or a writable FIFO or character device. Call it before long work so that a
 * typo fails at once. Throws a {@link WriteTargetError} naming the part of the path that is wrong.
 */
export async function checkWriteTarget(target: string): Promise<WriteMode> {
  let existing: Stats | undefined;
  try {
    existing = await fsp.stat(target);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOTDIR') throw new WriteTargetError(target, await fileInPath(target), code);
    if (code !== 'ENOENT') throw new WriteTargetError(target, writeFailureReason(error), code);
  }
  if (existing && streamable(existing)) {
    try {
      await fsp.access(target, fsConstants.W_OK);
    } catch (error) {
      throw new WriteTargetError(target, writeFailureReason(error), errnoCode(error));
    }
    return 'stream';
  }
  if (existing && !existing.isFile()) throw new WriteTargetError(target, `it is ${kindOf(existing)}`, existing.isDirectory() ? 'EISDIR' : undefined);
  const file = await linkTarget(target).catch((error: unknown) => {
    throw new WriteTargetError(target, writeFailureReason(error), errnoCode(error));
  });
  await checkFolderWritable(target, path.dirname(file));
  return 'replace';
}

/**
 * Checks that files can be created in `folder`, or that `folder` can be created (its parent exists and is
 * writable). Throws a {@link WriteTargetError} for `target`, the path as the caller named it.
 */
export async function checkFolderWritable(target: string, folder: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await fsp.stat(folder);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new WriteTargetError(target, `the folder ${folder} does not exist (create it first)`, code);
    if (code === 'ENOTDIR') throw new WriteTargetError(target, await fileInPath(folder), code);
    throw new WriteTargetError(target, writeFailureReason(error), code);
  }
  if (!stats.isDirectory()) throw new WriteTargetError(target, `${folder} is ${kindOf(stats)}, not a folder`, 'ENOTDIR');
  // Creating a file is the only reliable test: access(W_OK) says yes to root on read-only mounts and in /sys.
  const probe = path.join(folder, `.minilm-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await fsp.open(probe, 'wx')).close();
  } catch (error) {
    throw new WriteTargetError(target, `the folder ${folder} is not writable (${writeFailureReason(error)})`, errnoCode(error));
  }
  await fsp.unlink(probe).catch(() => undefined);
}

/** A failed write or check in a few words: "permission denied", "no space left on device", ... */
export function writeFailureReason(error: unknown): string {
  const code = errnoCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A FIFO or a character device cannot be replaced by a rename without breaking whoever reads it. */
function streamable(stats: Stats): boolean {
  return stats.isFIFO() || stats.isCharacterDevice();
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  return 'a file';
}

async function statOrUndefined(target: string): Promise<Stats | undefined> {
  try {
    return await fsp.stat(target);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The file a path finally names, following symbolic links in its last component even when the last link points
 * to a file that does not exist yet (a rename over the link itself would replace the link with a file).
 */
async function linkTarget(target: string): Promise<string> {
  let current = path.resolve(target);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await fsp.readlink(current);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') return current;
      throw error;
    }
    current = path.resolve(path.dirname(current), link);
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${target}`), { code: 'ELOOP' });
}

/** For a path one of whose folders is a file (ENOTDIR): "X is a file, not a folder", naming the first such X. */
async function fileInPath(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const parts: string[] = [];
  for (let dir = path.dirname(absolute); dir !== path.dirname(dir); dir = path.dirname(dir)) parts.unshift(dir);
  for (const dir of parts) {
    const stats = await fsp.stat(dir).catch(() => undefined);
    if (stats && !stats.isDirectory()) return `${dir} is ${kindOf(stats)}, not a folder`;
  }
  return 'a part of the path is not a folder';
}

/** Opens `file` and writes the content in order, checking `signal` before each chunk and at the end. */
async function writeChunks(file: string, flags: 'w' | 'r+', content: AtomicContent, signal: AbortSignal | undefined): Promise<void> {
  const handle = await fsp.open(file, flags);
  try {
    // FileHandle.writeFile writes all of a chunk (looping over short writes) from the current position.
    const write = async (chunk: string | Uint8Array): Promise<void> => {
      signal?.throwIfAborted();
      await handle.writeFile(chunk);
    };
    if (typeof content === 'function') await content(write);
    else await write(content);
    signal?.throwIfAborted();
  } catch (error) {
    // The first failure is the one to report, not a failing close after it.
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}
