// .gitignore-style rules as VS Code's search applies them. VS Code runs ripgrep with `--no-require-git`
// (getRgArgs in ripgrepFileSearch.ts and ripgrepTextSearchEngine.ts, VS Code 1.100), so ignore files count in
// a plain folder exactly as in a git repository; the index follows that, not ripgrep's own default.
//
// Which files: `.gitignore`, `.ignore` and `.rgignore` in the root and every folder below it, and
// `.git/info/exclude` where `.git` is a folder. Not the user's global excludes file and not ignore files above the
// root: VS Code's defaults (search.useGlobalIgnoreFiles and search.useParentIgnoreFiles off) leave both out.
//
// Precedence, as in ripgrep's `ignore` crate: a `.rgignore` verdict beats `.ignore`, which beats `.gitignore`,
// which beats `.git/info/exclude`; within one kind the deepest folder with a matching rule decides, and within one
// file the last matching rule. `.gitignore` rules stop at a nested repository: folders above one that holds its
// own `.git` do not apply to it.
import { readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The ignore rules one folder adds, each relative to that folder. */
export interface FolderIgnores {
  /** Root-relative POSIX path of the folder; '' for the root. */
  readonly folder: string;
  readonly rgignore?: Ignore;
  readonly dotIgnore?: Ignore;
  readonly gitignore?: Ignore;
  readonly gitInfoExclude?: Ignore;
  /** The folder holds `.git` (a folder, or a file as in worktrees and submodules). */
  readonly isRepositoryRoot: boolean;
}

/**
 * Reads the ignore files among a folder's entries. Undefined when the folder adds nothing, so that the stack only
 * grows where rules change. An ignore file that cannot be read is passed over, as ripgrep does after a warning.
 */
export async function readFolderIgnores(absoluteFolder: string, folder: string, entries: readonly Dirent[]): Promise<FolderIgnores | undefined> {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const rulesOf = async (name: string, ...subPath: string[]): Promise<Ignore | undefined> => {
    const entry = byName.get(name);
    if (!entry || (subPath.length === 0 && entry.isDirectory())) return undefined;
    const text = await readFile(path.join(absoluteFolder, name, ...subPath), 'utf8').catch(() => undefined);
    // Case-sensitive like git on Linux and like ripgrep without --ignore-file-case-insensitive.
    return text === undefined ? undefined : ignore({ ignoreCase: false }).add(text.replace(/^\uFEFF/, ''));
  };
  const git = byName.get('.git');
  const [rgignore, dotIgnore, gitignore, gitInfoExclude] = await Promise.all([
    rulesOf('.rgignore'),
    rulesOf('.ignore'),
    rulesOf('.gitignore'),
    git?.isDirectory() ? rulesOf('.git', 'info', 'exclude') : undefined,
  ]);
  const isRepositoryRoot = git !== undefined;
  if (!rgignore && !dotIgnore && !gitignore && !gitInfoExclude && !isRepositoryRoot) return undefined;
  return { folder, rgignore, dotIgnore, gitignore, gitInfoExclude, isRepositoryRoot };
}

type Verdict = 'ignore' | 'keep' | undefined;

/** Whether the rules of `stack` (root first, the entry's own folder last) leave out a root-relative path. */
export function isIgnored(stack: readonly FolderIgnores[], relativePath: string, isDirectory: boolean): boolean {
  let rg: Verdict;
  let dot: Verdict;
  let git: Verdict;
  let exclude: Verdict;
  let insideNestedRepository = false;
  for (let i = stack.length - 1; i >= 0; i--) {
    const rules = stack[i];
    const local = rules.folder === '' ? relativePath : relativePath.slice(rules.folder.length + 1);
    rg ??= verdictOf(rules.rgignore, local, isDirectory);
    dot ??= verdictOf(rules.dotIgnore, local, isDirectory);
    if (!insideNestedRepository) {
      git ??= verdictOf(rules.gitignore, local, isDirectory);
      exclude ??= verdictOf(rules.gitInfoExclude, local, isDirectory);
    }
    insideNestedRepository ||= rules.isRepositoryRoot;
  }
  return (rg ?? dot ?? git ?? exclude) === 'ignore';
}

function verdictOf(rules: Ignore | undefined, local: string, isDirectory: boolean): Verdict {
  if (!rules) return undefined;
  // `ignore` reports a path ignored when one of its folders is (git's rule). The walker only reaches a path below a
  // folder these rules ignore when a file of higher precedence kept that folder; ripgrep then matches the path on
  // its own, and `ignore` cannot, so these rules have no say there.
  const slash = local.lastIndexOf('/');
  if (slash > 0 && rules.test(local.slice(0, slash + 1)).ignored) return undefined;
  const result = rules.test(isDirectory ? `${local}/` : local);
  return result.ignored ? 'ignore' : result.unignored ? 'keep' : undefined;
}
