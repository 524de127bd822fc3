import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError } from './errors';
import type { HubOptions } from './types';

// The staging folder beside the model folder: `.part` files kept between attempts, a lock against a second
// download, and the install that makes the model folder appear complete or not at all.

/** Folder beside `destDir` that holds `.part` files between attempts. */
export function stagingDirFor(destDir: string): string {
  return `${path.resolve(destDir)}.partial`;
}

export function partPathFor(staging: string, file: string): string {
  return path.join(staging, ...file.split('/')) + '.part';
}

const COMPLETE_DIR = '.complete';
const LOCK_FILE = '.lock';
const SOURCE_FILE = '.source.json';

/** Parts of another repository, revision or trust would only fail their checksum after a long resume. */
export async function discardStaleParts(staging: string, hub: HubOptions, pinned: boolean, log: (m: string) => void): Promise<void> {
  const source = JSON.stringify({ repository: hub.repository, revision: hub.revision, digests: pinned ? 'pinned' : 'hub' });
  const previous = await readFile(path.join(staging, SOURCE_FILE), 'utf8').catch(() => undefined);
  if (previous !== undefined && previous !== source) {
    log(`Hub: discarding partial files of ${previous} in ${staging}.`);
  }
  if (previous !== source) {
    for (const entry of await readdir(staging)) {
      if (entry !== LOCK_FILE) await rm(path.join(staging, entry), { recursive: true, force: true });
    }
    await writeFile(path.join(staging, SOURCE_FILE), source);
  }
  await rm(path.join(staging, COMPLETE_DIR), { recursive: true, force: true });
}

/** Two downloads appending to the same `.part` would corrupt it. A lock left by a dead process is taken over. */
export async function acquireLock(staging: string): Promise<() => Promise<void>> {
  const lockPath = path.join(staging, LOCK_FILE);
  const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, token, { flag: 'wx' });
      return async () => {
        const current = await readFile(lockPath, 'utf8').catch(() => undefined);
        if (current === token) await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).split(' ')[0]);
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new EngineError(
          'DOWNLOAD_FAILED',
          `Another download into ${staging} is in progress (process ${holder}). Wait for it to finish, or stop it and try again.`,
        );
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new EngineError('DOWNLOAD_FAILED', `Could not lock ${staging} for downloading. Delete ${lockPath} and try again.`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves verified parts into place. A new `destDir` appears in one rename; into an existing folder (another
 * dtype's files) the files are renamed one by one, model weights last, so the folder never holds a model
 * file whose tokenizer and config are missing.
 */
export async function install(staging: string, destDir: string, files: string[], log: (m: string) => void): Promise<void> {
  const complete = path.join(staging, COMPLETE_DIR);
  await rm(complete, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(complete, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(partPathFor(staging, file), target);
  }
  if (!(await exists(destDir))) {
    try {
      await rename(complete, destDir);
      log(`Hub: created ${destDir}.`);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw error;
    }
  }
  const ordered = [...files].sort((a, b) => Number(a.endsWith('.onnx')) - Number(b.endsWith('.onnx')));
  for (const file of ordered) {
    const target = path.join(destDir, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(complete, ...file.split('/')), target);
  }
  log(`Hub: added ${files.join(', ')} to ${destDir}.`);
}

export async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
