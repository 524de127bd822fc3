import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { WriteTargetError, checkFolderWritable, checkWriteTarget, writeFailureReason, writeFileAtomic } from '../engine/atomicWrite';
import { CliError } from './cliError';

/** Content for stdout or a file: text, bytes, or text produced piece by piece (large outputs stay streamed). */
export type OutputContent = string | Uint8Array | Iterable<string>;

/** What `--out` names: one file, or (for `--format tsv`) a folder that receives several files. */
export type OutKind = 'file' | 'folder';

const FLUSH_AT = 1 << 16;

/** Writes to a stream, waiting for 'drain' when its buffer is full so memory stays bounded. */
export async function writeToStream(stream: NodeJS.WritableStream, content: OutputContent): Promise<void> {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    if (!stream.write(content)) await once(stream, 'drain');
    return;
  }
  for (const chunk of batched(content)) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
}

/** Small pieces joined into chunks of about 64 kB, so that neither a stream nor a file gets one call per number. */
function* batched(pieces: Iterable<string>): Iterable<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= FLUSH_AT) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * `/dev/stdout` and `/dev/stderr` (and their `/dev/fd/N`, `/proc/self/fd/N` spellings) are this process's own
 * streams: written as such, they also work when the shell redirected them to a file (`> out.json`, `>> log`), which
 * opening or replacing the path would truncate or swap out from under the shell.
 */
function standardStream(file: string): NodeJS.WritableStream | undefined {
  if (process.platform === 'win32') return undefined;
  const match = /^\/(?:dev\/(stdout|stderr)|dev\/fd\/([12])|proc\/self\/fd\/([12]))$/.exec(path.resolve(file));
  if (!match) return undefined;
  return match[1] === 'stdout' || match[2] === '1' || match[3] === '1' ? process.stdout : process.stderr;
}

/**
 * Checks, before any work, that `--out` can be written: for a file, a regular file or a new file in an existing
 * writable folder, or a FIFO or device to stream into; for a folder (`--format tsv`), an existing writable folder
 * (whose output files are not folders) or a new one in an existing writable parent. Throws a one-line
 * {@link CliError} naming what is wrong.
 */
export async function checkOutTarget(out: string | undefined, kind: OutKind, files: readonly string[] = []): Promise<void> {
  if (out === undefined || out === '-') return;
  if (kind === 'file' && standardStream(out)) return;
  const target = path.resolve(out);
  try {
    if (kind === 'file') {
      await checkWriteTarget(target);
      return;
    }
    const stats = await fs.promises.stat(target).catch(() => undefined);
    if (!stats) {
      await checkFolderWritable(target, path.dirname(target));
      return;
    }
    if (!stats.isDirectory())
      throw new WriteTargetError(target, `it is not a folder; --format tsv writes ${files.join(' and ')} into a folder: give a folder path`);
    await checkFolderWritable(target, target);
    for (const file of files) await checkWriteTarget(path.join(target, file));
  } catch (error) {
    throw outError(out, error, kind);
  }
}

/**
 * Creates the folder `--out-dir` names (with its parents, as `mkdir -p`) and checks that files can be created in
 * it, before any work. Returns its absolute path.
 */
export async function prepareOutDir(dir: string, option = '--out-dir'): Promise<string> {
  const folder = path.resolve(dir);
  try {
    await fs.promises.mkdir(folder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      // A file in the way: the check below names it.
      if (error.code !== 'EEXIST' && error.code !== 'ENOTDIR') throw error;
    });
    await checkFolderWritable(folder, folder);
  } catch (error) {
    if (error instanceof WriteTargetError) throw new CliError(`cannot write ${option} ${folder}: ${error.reason}`);
    throw new CliError(`cannot write ${option} ${folder}: ${writeFailureReason(error)}`);
  }
  return folder;
}

/**
 * Writes `content` atomically to `file`, streams it into a FIFO or device, or streams it to stdout when no file is
 * given. `option` names the file in error messages.
 */
export async function emit(content: OutputContent, file?: string, option = '--out'): Promise<void> {
  const stream = file === undefined || file === '-' ? process.stdout : standardStream(file);
  if (stream) {
    await writeToStream(stream, content);
    return;
  }
  try {
    await writeFileAtomic(path.resolve(file!), producerOf(content));
  } catch (error) {
    // The reader of a named pipe went away (`head` on the other end): as for stdout, not an error.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw outError(file!, error, 'file', option);
  }
}

/** Writes several files into the folder `--out DIR` (created if missing, its parent must exist), each atomically. */
export async function emitToFolder(folder: string, files: readonly { name: string; content: OutputContent }[]): Promise<string[]> {
  const dir = path.resolve(folder);
  const written: string[] = [];
  try {
    await fs.promises.mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    for (const { name, content } of files) {
      const file = path.join(dir, name);
      await writeFileAtomic(file, producerOf(content));
      written.push(file);
    }
  } catch (error) {
    throw outError(folder, error, 'folder');
  }
  return written;
}

function producerOf(content: OutputContent): string | Uint8Array | ((write: (chunk: string) => Promise<void>) => Promise<void>) {
  if (typeof content === 'string' || content instanceof Uint8Array) return content;
  return async (write) => {
    for (const chunk of batched(content)) await write(chunk);
  };
}

/** A failure to write `--out` as one line; anything that is not about the file system is rethrown as is. */
function outError(out: string, error: unknown, kind: OutKind, option = '--out'): unknown {
  const target = path.resolve(out);
  if (error instanceof WriteTargetError) {
    const hint = kind === 'file' && error.code === 'EISDIR' ? '; give a file path (only --format tsv writes into a folder)' : '';
    const what = error.target === target ? `${option} ${target}` : `${error.target} (in ${option} ${target})`;
    return new CliError(`cannot write ${what}: ${error.reason}${hint}`);
  }
  if (/^E[A-Z]+$/.test((error as NodeJS.ErrnoException | undefined)?.code ?? '')) {
    return new CliError(`cannot write ${option} ${target}: ${writeFailureReason(error)}`);
  }
  return error;
}

/** Binary output is refused on a terminal, where it would only print garbage. */
export function checkBinaryTarget(file: string | undefined, format: string): void {
  if ((file === undefined || file === '-' || standardStream(file) === process.stdout) && process.stdout.isTTY) {
    throw new CliError(`--format ${format} is binary: write it to a file with --out FILE (or pipe stdout)`);
  }
}
