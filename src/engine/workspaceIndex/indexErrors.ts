/** Failures of the workspace index store, each with a one-line message that says what to do. */

/** The index on disk was written by a newer release: this one must not read or overwrite it. */
export class IndexFormatError extends Error {
  constructor(
    readonly dir: string,
    readonly foundVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `The index in ${dir} was written by a newer MiniLM Studio (index format ${foundVersion}, this release reads format ${supportedVersion}): update MiniLM Studio, or rebuild the index with --rebuild.`,
    );
    this.name = 'IndexFormatError';
  }
}

/** A commit would make the index larger than its cap; nothing was written. */
export class IndexFullError extends Error {
  constructor(
    readonly dir: string,
    /** Size the index would have after the commit. */
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `The index in ${dir} would grow to ${megabytes(bytes)}, over its size cap of ${megabytes(maxBytes)}: exclude large folders from indexing, or raise the cap (setting minilm.index.maxSizeMB, CLI --max-size-mb).`,
    );
    this.name = 'IndexFullError';
  }
}

/** Who holds the writer lock of an index, as written in its lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** Another process (or another store object in this one) is writing the index. */
export class IndexLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid}${holder.pid === process.pid ? ' (this process)' : ''} on ${holder.host}, since ${holder.since}`
      : 'another process (its lock file is being written)';
    super(`The index in ${dir} is being written by ${who}: close that MiniLM window or command first; if that process is gone, delete ${lockFile}.`);
    this.name = 'IndexLockedError';
  }
}

/** Sizes in the unit of the minilm.index.maxSizeMB setting (1 MB = 1024 × 1024 bytes). */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
