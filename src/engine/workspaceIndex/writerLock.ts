/**
 * The writer lock of an index folder: a file holding the writer's pid, host and a random token, created
 * exclusively. The CLI and the extension may both open one index; only one may write it. A lock whose process is
 * gone (same host, no such pid) is stale and taken over; a lock from another host cannot be checked and counts as held.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IndexLockedError, type LockHolder } from './indexErrors';

export const LOCK_FILE = 'minilm-index.lock';
/** A lock file still empty or unreadable after this long was left by a writer killed while creating it. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

interface LockContent extends LockHolder {
  readonly token: string;
}

export class WriterLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly token: string,
  ) {}

  /** Takes the lock of `dir` (which must exist), or throws {@link IndexLockedError} naming the holder. */
  static async acquire(dir: string): Promise<WriterLock> {
    const file = path.join(dir, LOCK_FILE);
    const content: LockContent = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    // Two rounds: the second follows the removal of a stale lock.
    for (let round = 0; round < 2; round++) {
      try {
        const handle = await fsp.open(file, 'wx');
        try {
          await handle.writeFile(JSON.stringify(content));
        } finally {
          await handle.close();
        }
        return new WriterLock(file, content.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = await readLock(file);
      if (found.kind === 'gone') continue;
      if (!isStale(found)) throw new IndexLockedError(dir, file, found.kind === 'held' ? found.holder : undefined);
      await removeIfUnchanged(file, found, content.token);
    }
    throw new IndexLockedError(dir, file, undefined);
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const found = await readLock(this.file);
    if (found.kind === 'held' && found.holder.token === this.token) await fsp.rm(this.file, { force: true });
  }
}

type FoundLock =
  | { readonly kind: 'held'; readonly holder: LockContent }
  | { readonly kind: 'gone' }
  /** Empty or garbled: being written right now, or left by a writer killed while writing it (`old`). */
  | { readonly kind: 'unreadable'; readonly old: boolean };

async function readLock(file: string): Promise<FoundLock> {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = (await fsp.stat(file)).mtimeMs;
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (Number.isInteger(parsed.pid) && typeof parsed.host === 'string' && typeof parsed.since === 'string' && typeof parsed.token === 'string') {
      return { kind: 'held', holder: parsed as LockContent };
    }
  } catch {
    // garbled: judged by its age below
  }
  return { kind: 'unreadable', old: Date.now() - mtimeMs > UNREADABLE_LOCK_GRACE_MS };
}

function isStale(found: Exclude<FoundLock, { kind: 'gone' }>): boolean {
  if (found.kind === 'unreadable') return found.old;
  return found.holder.host === os.hostname() && !processExists(found.holder.pid);
}

/**
 * Removes a stale lock only if it is still the one judged stale. Moving it aside first (rename is atomic) and then
 * comparing means a process that saw the same stale lock a moment later cannot remove the fresh lock of the one
 * that took it over; a fresh lock moved aside by mistake is linked back (link fails rather than overwrite).
 */
async function removeIfUnchanged(file: string, judged: Exclude<FoundLock, { kind: 'gone' }>, token: string): Promise<void> {
  const aside = `${file}.${token}.stale`;
  try {
    await fsp.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readLock(aside);
  const same = judged.kind === 'held' ? moved.kind === 'held' && moved.holder.token === judged.holder.token : moved.kind === 'unreadable';
  if (!same) await fsp.link(aside, file).catch(() => undefined);
  await fsp.rm(aside, { force: true });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
