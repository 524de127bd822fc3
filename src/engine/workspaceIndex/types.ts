/** Files a workspace index considers, and why others were left out. Paths are relative to the root, POSIX. */
export interface CandidateFile {
  /** Relative POSIX path from the walked root, e.g. `docs/guide.md`. */
  readonly path: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export type SkipReason = 'binary' | 'lockfile' | 'too-large' | 'undecodable' | 'unreadable';

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
}

/** One chunk as the store keeps it. Lines are 1-based and inclusive. */
export interface ChunkRecord {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}
