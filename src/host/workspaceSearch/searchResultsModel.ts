// What the Semantic Search view and the quick pick show for a ranking of index chunks. Pure (the translator is a
// parameter), so the grouping, the score bar and the preview are unit-tested without VS Code.
import type { Translate } from '../../shared/translate';

/** One ranked chunk of one workspace folder. Lines are 1-based and inclusive, as the index stores them. */
export interface WorkspaceHit {
  /** Name of the workspace folder (shown when several are open). */
  readonly folder: string;
  /** Absolute path of the folder on disk. */
  readonly folderPath: string;
  /** POSIX path relative to the folder. */
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly score: number;
}

export interface FileGroup {
  readonly folder: string;
  readonly folderPath: string;
  readonly path: string;
  /** Best score among its matches: files are ordered by it. */
  readonly best: number;
  /** Best first. */
  readonly hits: readonly WorkspaceHit[];
}

/** Groups hits by file, files ordered by their best hit (ties by path), hits by score (ties by line). */
export function groupByFile(hits: readonly WorkspaceHit[]): FileGroup[] {
  const groups = new Map<string, WorkspaceHit[]>();
  for (const hit of hits) {
    const key = `${hit.folderPath}\u0000${hit.path}`;
    const list = groups.get(key);
    if (list) list.push(hit);
    else groups.set(key, [hit]);
  }
  return [...groups.values()]
    .map((list) => {
      const sorted = [...list].sort((a, b) => b.score - a.score || a.startLine - b.startLine);
      const first = sorted[0]!;
      return { folder: first.folder, folderPath: first.folderPath, path: first.path, best: first.score, hits: sorted };
    })
    .sort((a, b) => b.best - a.best || a.path.localeCompare(b.path));
}

const BAR_CELLS = 5;

/**
 * A small bar for a cosine score, e.g. ▰▰▰▱▱. Scores of unrelated text sit near 0 and good matches above 0.5, so
 * the bar spans 0..1 (negative scores show empty).
 */
export function scoreBar(score: number, cells: number = BAR_CELLS): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(score) ? score : 0));
  const filled = Math.round(clamped * cells);
  return '▰'.repeat(filled) + '▱'.repeat(cells - filled);
}

/** `0.812 ▰▰▰▰▱`: the description of a match. */
export function scoreLabel(score: number): string {
  return `${score.toFixed(3)} ${scoreBar(score)}`;
}

const PREVIEW_CHARS = 120;

/** The first non-blank line of a chunk, trimmed and shortened with an ellipsis: the label of a match. */
export function previewLine(text: string, maxChars: number = PREVIEW_CHARS): string {
  const line =
    text
      .split(/\r\n|\r|\n/)
      .find((l) => l.trim() !== '')
      ?.trim()
      .replace(/\s+/g, ' ') ?? '';
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

/** `docs/guide.md:12` or `docs/guide.md:12-18`; prefixed with the folder name when several folders are open. */
export function locationLabel(hit: Pick<WorkspaceHit, 'folder' | 'path' | 'startLine' | 'endLine'>, multiRoot: boolean): string {
  const lines = hit.startLine === hit.endLine ? `${hit.startLine}` : `${hit.startLine}-${hit.endLine}`;
  return `${multiRoot ? `${hit.folder}/` : ''}${hit.path}:${lines}`;
}

/** The status bar text for an index: `$(search) 1,234 chunks`. */
export function indexCountLabel(chunks: number, t: Translate): string {
  return t('$(search) {0} chunks', chunks.toLocaleString('en-US'));
}

/** Merges per-folder rankings into one, best first, keeping `topK`. */
export function mergeRankings(rankings: readonly (readonly WorkspaceHit[])[], topK: number): WorkspaceHit[] {
  return rankings
    .flat()
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path) || a.startLine - b.startLine)
    .slice(0, topK);
}

/** Whether a hit covers any line of `lines` (1-based inclusive) in the same file: Find Similar leaves those out. */
export function overlaps(
  hit: Pick<WorkspaceHit, 'folderPath' | 'path' | 'startLine' | 'endLine'>,
  place: { folderPath: string; path: string; startLine: number; endLine: number },
): boolean {
  return hit.folderPath === place.folderPath && hit.path === place.path && hit.startLine <= place.endLine && place.startLine <= hit.endLine;
}
