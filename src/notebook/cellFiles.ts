// Reads the files a `minilm` cell names with `@file`, never outside the notebook's folder scope. vscode-free, so the
// notebook controller and plain-Node tests share one implementation.
import fs from 'node:fs/promises';
import { PathContainmentError, resolveContained } from '../host/containedPath';
import { english, type Translate } from '../shared/translate';

/** Where a notebook's `@file` paths are looked up. */
export interface CellFileScope {
  /** The folder no path may leave: the notebook's workspace folder, or the notebook's own folder outside any. */
  readonly root: string;
  /** Folders inside `root` a relative path is tried in, in order (the root, then the notebook's folder). */
  readonly folders: readonly string[];
}

/**
 * Reads `relative` as UTF-8 text from the first of the scope's folders that holds it (so a sample notebook and its
 * data work whichever folder is open). Rejects, with a message for the cell's error output and nothing read, a path
 * that is absolute or leads outside the root (through `..` or a symlink), a missing file, and a file that is not UTF-8.
 */
export async function readCellFile(scope: CellFileScope, relative: string, t: Translate = english): Promise<string> {
  let outside: PathContainmentError | undefined;
  const folders = [...new Set(scope.folders)];
  for (const folder of folders) {
    let real: string;
    try {
      real = await resolveContained(scope.root, relative, folder);
    } catch (error) {
      if (error instanceof PathContainmentError && error.reason === 'outside') {
        outside ??= error;
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw describeFailure(error, relative, t);
    }
    return decodeText(await fs.readFile(real), t);
  }
  if (outside) throw describeFailure(outside, relative, t);
  throw new Error(t('no such file in {0}', folders.join(t(' or '))));
}

function describeFailure(error: unknown, relative: string, t: Translate): Error {
  if (!(error instanceof PathContainmentError)) return error as Error;
  switch (error.reason) {
    case 'absolute':
      return new Error(t('expected a path relative to {0}, not an absolute one', error.folder));
    case 'outside':
      return new Error(t('the path leads outside {0}; @file reads only files inside it', error.folder));
    case 'link':
      return new Error(t('"{0}" is a link to {1}, outside {2}; @file reads only files inside it', relative, error.target ?? '?', error.folder));
  }
}

/** Strict UTF-8 (a leading byte order mark dropped): a text with U+FFFD in place of what the file held is no input. */
function decodeText(bytes: Uint8Array, t: Translate): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(t('the file is not UTF-8 text; convert it to UTF-8 (for example from Latin-1 or Windows-1252)'));
  }
}
