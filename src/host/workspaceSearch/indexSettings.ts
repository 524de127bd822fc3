// The `minilm.index.*` settings (plus VS Code's files.exclude and search.exclude) as the indexer takes them. No vscode
// import: the caller passes a reader for each configuration section, so the rules are unit-tested.

/** Reads one key of a configuration section (`WorkspaceConfiguration.get`, scoped to the workspace folder). */
export type ReadSetting = (section: 'minilm.index' | 'files' | 'search', key: string) => unknown;

export interface IndexSettings {
  /** Build the index on the first workspace search, and keep it current while files change. */
  readonly autoUpdate: boolean;
  /** Only files matching these globs (relative to the workspace folder); undefined: every file. */
  readonly include: readonly string[] | undefined;
  /** minilm.index.exclude, then the true-valued patterns of files.exclude and search.exclude. */
  readonly exclude: readonly string[];
  readonly useGitIgnore: boolean;
  readonly maxFileBytes: number;
  readonly maxBytes: number;
}

export const INDEX_DEFAULTS = { autoUpdate: true, useGitIgnore: true, maxFileKB: 1024, maxSizeMB: 500 } as const;

const KIB = 1024;
const MIB = 1024 * 1024;

export function readIndexSettings(read: ReadSetting): IndexSettings {
  const include = globList(read('minilm.index', 'include'));
  return {
    autoUpdate: booleanOr(read('minilm.index', 'autoUpdate'), INDEX_DEFAULTS.autoUpdate),
    include: include.length > 0 ? include : undefined,
    exclude: unique([
      ...globList(read('minilm.index', 'exclude')),
      ...enabledPatterns(read('files', 'exclude')),
      ...enabledPatterns(read('search', 'exclude')),
    ]),
    useGitIgnore: booleanOr(read('minilm.index', 'useGitIgnore'), INDEX_DEFAULTS.useGitIgnore),
    maxFileBytes: positiveOr(read('minilm.index', 'maxFileKB'), INDEX_DEFAULTS.maxFileKB) * KIB,
    maxBytes: positiveOr(read('minilm.index', 'maxSizeMB'), INDEX_DEFAULTS.maxSizeMB) * MIB,
  };
}

/**
 * The patterns of a files.exclude / search.exclude object that are switched on. A `{ "when": … }` value (exclude a
 * file only when a sibling exists) needs the sibling's presence, which the walker does not check: such patterns are
 * left out rather than applied unconditionally, so no file is hidden that VS Code shows.
 */
export function enabledPatterns(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([pattern, on]) => on === true && pattern.trim() !== '')
    .map(([pattern]) => pattern);
}

function globList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function positiveOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
