// VS Code style globs (files.exclude, search.exclude, minilm.index.include / exclude) over root-relative paths.
import picomatch from 'picomatch';

/** Tests a root-relative POSIX path (file or folder) against a list of globs; false for an empty list. */
export type GlobMatcher = (relativePath: string) => boolean;

/**
 * Compiles globs the way VS Code's search hands them to ripgrep: relative to the workspace folder, backslashes
 * read as `/`, a leading `/` or `./` and a trailing `/` dropped, and `*` matching names that start with a dot.
 * Throws one line naming the glob when picomatch cannot compile it.
 */
export function globMatcher(globs: readonly string[], settingName = 'glob'): GlobMatcher {
  const normalized = globs.map(normalizeGlob).filter((glob) => glob.length > 0);
  if (normalized.length === 0) return () => false;
  const tests = normalized.map((glob) => {
    try {
      return picomatch(glob, { dot: true });
    } catch (error) {
      const shown = glob.length > 80 ? `${glob.slice(0, 80)}…` : glob;
      throw new Error(`Invalid ${settingName} "${shown}": ${(error as Error).message}`);
    }
  });
  return (relativePath) => tests.some((test) => test(relativePath));
}

/**
 * Whether the walker leaves `relativePath` out through an exclude glob: the path itself or one of its folders matches
 * (a glob that matches a folder leaves out all of it). A file watcher asks this before it schedules an update.
 */
export function excludedByGlobs(exclude: GlobMatcher, relativePath: string): boolean {
  const parts = relativePath.split('/');
  for (let i = 1; i <= parts.length; i++) if (exclude(parts.slice(0, i).join('/'))) return true;
  return false;
}

/**
 * The globs VS Code exclude settings turn on, given in order (`files.exclude`, then `search.exclude`): a later
 * setting overrides an earlier one for the same key, as search does when it merges the two, and the keys left
 * `true` are returned. Sibling clauses (`{ "when": "$(basename).ts" }`) are left out: they need the folder
 * listing, which the walker does not match on.
 */
export function enabledGlobs(...settings: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>): string[] {
  const merged = new Map<string, unknown>();
  for (const setting of settings) for (const [glob, value] of Object.entries(setting ?? {})) merged.set(glob, value);
  return [...merged].filter(([, value]) => value === true).map(([glob]) => glob);
}

function normalizeGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  else if (g.startsWith('/')) g = g.slice(1);
  while (g.endsWith('/')) g = g.slice(0, -1);
  return g;
}
