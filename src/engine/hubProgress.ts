import type { DownloadProgress } from './types';
import type { ExpectedFile } from './hubContext';

export type ProgressListener = (progress: DownloadProgress) => void;

/** Sums the files of one download into one progress report, at most one report per 256 KiB. */
export class OverallProgress {
  private readonly done = new Map<string, number>();
  private readonly sizes: Map<string, number | undefined>;
  private lastEmitted = -Infinity;

  constructor(files: ExpectedFile[]) {
    this.sizes = new Map(files.map((f) => [f.path, f.size]));
  }

  fileProgress(file: string, received: number, total: number | undefined, emit: ProgressListener | undefined): void {
    if (total !== undefined) this.sizes.set(file, total);
    // Every chunk would flood a webview with messages; 256 KiB steps are smooth enough for a bar.
    if (received - this.lastEmitted < 256 * 1024 && received !== total) return;
    this.lastEmitted = received;
    emit?.(this.snapshot(file, received, total));
  }

  fileDone(file: string, size: number, emit: ProgressListener | undefined): void {
    this.sizes.set(file, size);
    this.done.set(file, size);
    this.lastEmitted = -Infinity;
    emit?.(this.snapshot(file, size, size));
  }

  private snapshot(file: string, received: number, total: number | undefined): DownloadProgress {
    let overallReceived = received;
    for (const [name, size] of this.done) if (name !== file) overallReceived += size;
    const sizes = [...this.sizes.values()];
    const overallTotal = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a + (b ?? 0), 0) : undefined;
    return { file, received, total, overallReceived, overallTotal };
  }
}
