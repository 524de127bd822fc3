/** Files a workspace index considers, and why others were left out. Paths are relative to the root, POSIX. */
export interface CandidateFile {
  /** Relative POSIX path from the walked root, e.g. `docs/guide.md`. */
  readonly path: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** `outside-root`: a symbolic link whose target lies outside the walked root (not followed). */
export type SkipReason = 'binary' | 'lockfile' | 'too-large' | 'undecodable' | 'unreadable' | 'outside-root';

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  /** What exactly, for the user: the size, the byte that is not UTF-8, the error code, the link target. */
  readonly note?: string;
}

/** One chunk as the store keeps it. Lines are 1-based and inclusive. */
export interface ChunkRecord {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}
