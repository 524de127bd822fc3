// The files of one workspace folder that the semantic index should read, and the ones it skipped with a reason.
// Which files count follows VS Code's search: ignore files as ripgrep applies them with --no-require-git (see
// ignoreFiles.ts), files.exclude + search.exclude globs, hidden files included, symbolic links followed.
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { globMatcher, type GlobMatcher } from './globFilter';
import { isIgnored, readFolderIgnores, type FolderIgnores } from './ignoreFiles';
import { hasBinaryExtension, isLockFile } from './skipRules';
import type { CandidateFile, SkippedFile, SkipReason } from './types';
import { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES } from './walkDefaults';

export { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES } from './walkDefaults';

export interface WalkOptions {
  /** The folder to walk (a workspace folder). */
  readonly root: string;
  /** Globs relative to root (`minilm.index.include`); when given and not empty, only files they match (or whose folder they match). */
  readonly include?: readonly string[];
  /**
   * Globs relative to root that leave files and whole folders out: `files.exclude` + `search.exclude` +
   * `minilm.index.exclude` as the extension merges them. Replaces {@link DEFAULT_EXCLUDES} when given.
   */
  readonly exclude?: readonly string[];
  /** Honour `.gitignore`, `.ignore`, `.rgignore` and `.git/info/exclude` (VS Code's search.useIgnoreFiles). Default true. */
  readonly useGitIgnore?: boolean;
  /** Larger files are skipped as `too-large`. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
}

export interface WalkResult {
  /** Sorted by path. */
  readonly files: CandidateFile[];
  /** Sorted by path. Files left out by ignore files or globs are not listed: they were never candidates. */
  readonly skipped: SkippedFile[];
}

/** Entries of one folder examined at once: enough to keep the fs thread pool busy, few enough to stay fair. */
const STAT_BATCH = 64;

interface Folder {
  readonly absolutePath: string;
  /** Root-relative POSIX path; '' for the root. */
  readonly path: string;
  /** Real paths of this folder and every folder above it in the walk: a link to one of them is a loop. */
  readonly ancestors: readonly string[];
  readonly ignores: readonly FolderIgnores[];
  /** An include glob matched this folder or one above it. */
  readonly included: boolean;
}

type Outcome =
  | { readonly kind: 'file'; readonly file: CandidateFile }
  | { readonly kind: 'folder'; readonly folder: Folder }
  | { readonly kind: 'skipped'; readonly skipped: SkippedFile };

/**
 * Lists the candidate files under `options.root`. Always leaves out `.git`; follows symbolic links whose target is
 * inside the root (a link back to a folder being walked is not followed again) and reports the others as
 * `outside-root`. Rejects with the signal's reason when aborted, and with one line when the root is not a
 * readable folder.
 */
export async function walkFiles(options: WalkOptions): Promise<WalkResult> {
  const root = path.resolve(options.root);
  const rootReal = await realRootFolder(root);
  const walk: WalkContext = {
    rootReal,
    exclude: globMatcher(options.exclude ?? DEFAULT_EXCLUDES, 'exclude glob'),
    include: options.include && options.include.length > 0 ? globMatcher(options.include, 'include glob') : undefined,
    useIgnoreFiles: options.useGitIgnore ?? true,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    signal: options.signal,
    files: [],
    skipped: [],
  };
  const top: Folder = { absolutePath: root, path: '', ancestors: [rootReal], ignores: [], included: !walk.include };
  await visitFolder(walk, top);
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: walk.files.sort(byPath), skipped: walk.skipped.sort(byPath) };
}

interface WalkContext {
  readonly rootReal: string;
  readonly exclude: GlobMatcher;
  readonly include: GlobMatcher | undefined;
  readonly useIgnoreFiles: boolean;
  readonly maxFileBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly files: CandidateFile[];
  readonly skipped: SkippedFile[];
}

async function realRootFolder(root: string): Promise<string> {
  try {
    const real = await realpath(root);
    if (!(await stat(real)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    return real;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a folder' : `${code ?? error}`;
    throw new Error(`Cannot index ${root}: ${why}.`);
  }
}

async function visitFolder(walk: WalkContext, folder: Folder): Promise<void> {
  walk.signal?.throwIfAborted();
  let entries: Dirent[];
  try {
    entries = await readdir(folder.absolutePath, { withFileTypes: true });
  } catch (error) {
    walk.skipped.push(skip(folder.path, 'unreadable', `folder: ${errorCode(error)}`));
    return;
  }
  const own = walk.useIgnoreFiles ? await readFolderIgnores(folder.absolutePath, folder.path, entries) : undefined;
  const ignores = own ? [...folder.ignores, own] : folder.ignores;

  const subfolders: Folder[] = [];
  for (let i = 0; i < entries.length; i += STAT_BATCH) {
    walk.signal?.throwIfAborted();
    const outcomes = await Promise.all(entries.slice(i, i + STAT_BATCH).map((e) => examine(walk, folder, ignores, e)));
    for (const outcome of outcomes) {
      if (outcome?.kind === 'file') walk.files.push(outcome.file);
      else if (outcome?.kind === 'skipped') walk.skipped.push(outcome.skipped);
      else if (outcome?.kind === 'folder') subfolders.push(outcome.folder);
    }
  }
  // One folder at a time: the open handles and pending promises stay bounded by STAT_BATCH, whatever the tree.
  for (const subfolder of subfolders) await visitFolder(walk, subfolder);
}

async function examine(walk: WalkContext, parent: Folder, ignores: readonly FolderIgnores[], entry: Dirent): Promise<Outcome | undefined> {
  const name = entry.name;
  if (name === '.git') return undefined;
  const relativePath = parent.path === '' ? name : `${parent.path}/${name}`;
  const absolutePath = path.join(parent.absolutePath, name);

  let stats: Stats | undefined;
  let real: string;
  let isFolder: boolean;
  if (entry.isSymbolicLink()) {
    try {
      real = await realpath(absolutePath);
      stats = await stat(real);
    } catch (error) {
      return { kind: 'skipped', skipped: skip(relativePath, 'unreadable', `broken symbolic link: ${errorCode(error)}`) };
    }
    if (real !== walk.rootReal && !real.startsWith(walk.rootReal + path.sep)) {
      return { kind: 'skipped', skipped: skip(relativePath, 'outside-root', `symbolic link to ${real}`) };
    }
    if (!stats.isDirectory() && !stats.isFile()) return undefined;
    isFolder = stats.isDirectory();
  } else if (entry.isDirectory() || entry.isFile()) {
    real = path.join(parent.ancestors[parent.ancestors.length - 1], name);
    isFolder = entry.isDirectory();
  } else {
    return undefined; // sockets, FIFOs, devices: nothing to read
  }

  if (walk.exclude(relativePath)) return undefined;
  if (isIgnored(ignores, relativePath, isFolder)) return undefined;
  const included = parent.included || (walk.include?.(relativePath) ?? true);

  if (isFolder) {
    if (parent.ancestors.includes(real)) return undefined; // a link back up the walk: following it would loop
    const folder = { absolutePath, path: relativePath, ancestors: [...parent.ancestors, real], ignores, included };
    return { kind: 'folder', folder };
  }
  if (!included) return undefined;
  if (isLockFile(name)) return { kind: 'skipped', skipped: skip(relativePath, 'lockfile') };
  if (hasBinaryExtension(name)) return { kind: 'skipped', skipped: skip(relativePath, 'binary', 'by extension') };
  try {
    stats ??= await stat(absolutePath);
  } catch (error) {
    return { kind: 'skipped', skipped: skip(relativePath, 'unreadable', errorCode(error)) };
  }
  if (stats.size > walk.maxFileBytes) {
    return { kind: 'skipped', skipped: skip(relativePath, 'too-large', `${stats.size} bytes > ${walk.maxFileBytes}`) };
  }
  return { kind: 'file', file: { path: relativePath, absolutePath, size: stats.size, mtimeMs: stats.mtimeMs } };
}

function skip(relativePath: string, reason: SkipReason, note?: string): SkippedFile {
  return note === undefined ? { path: relativePath, reason } : { path: relativePath, reason, note };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
