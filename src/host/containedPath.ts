// Paths that a document or a setting names must stay inside their folder: a cloned repository's settings or
// notebook must not read or write elsewhere on the machine. Lexical checks catch `..` and absolute paths; the
// real-path checks catch symbolic links that point out of the folder, and a sibling whose name starts with the
// folder's (`/work/ws-evil` next to `/work/ws`) is not inside it. vscode-free, so the rules are unit-tested.
import fs from 'node:fs';
import path from 'node:path';

/** Why a path was refused: it is absolute, it leads outside the folder, or a symlink on the way leads outside. */
export type ContainmentFailure = 'absolute' | 'outside' | 'link';

export class PathContainmentError extends Error {
  constructor(
    readonly reason: ContainmentFailure,
    /** The path as the document wrote it. */
    readonly relative: string,
    /** The folder's real path. */
    readonly folder: string,
    /** For `link`: where the path really leads. */
    readonly target?: string,
  ) {
    super(
      reason === 'absolute'
        ? `"${relative}" is an absolute path; expected a path relative to ${folder}`
        : reason === 'outside'
          ? `"${relative}" leads outside ${folder}`
          : `"${relative}" is a link to ${target}, outside ${folder}`,
    );
    this.name = 'PathContainmentError';
  }
}

/**
 * The real path (symlinks resolved) of `relative` inside the folder `base`, resolved from `from` (a folder inside
 * `base`; `base` itself by default). Both `/` and `\` separate folders, so a notebook written on Windows reads the
 * same files elsewhere. Rejects with PathContainmentError when the path is absolute (`/x`, `\x`, `C:\x`, `C:x`,
 * `\\server\share`) or leads outside `base`, and with the file system's error (`ENOENT`, …) when the path inside does
 * not exist. Nothing outside `base` is touched to find out.
 *
 * The check and a later read are two steps: someone who can swap a folder inside `base` for a symlink in between can
 * still redirect the read. Read the returned path (not `relative` again) to keep that window small.
 */
export async function resolveContained(base: string, relative: string, from: string = base): Promise<string> {
  if (/^([A-Za-z]:|[\\/])/.test(relative)) throw new PathContainmentError('absolute', relative, base);
  if (!isInside(base, from)) throw new RangeError(`${from} is not inside ${base}`);
  const folder = await fs.promises.realpath(base);
  const lexical = path.resolve(folder, path.relative(base, from), ...relative.split(/[\\/]/));
  if (!isInside(folder, lexical)) throw new PathContainmentError('outside', relative, folder);
  const real = await fs.promises.realpath(lexical);
  if (!isInside(folder, real)) throw new PathContainmentError('link', relative, folder, real);
  return real;
}

/**
 * Whether `target` is `folder` or inside it; both absolute and resolved. Compares path segments, not string
 * prefixes. `paths` chooses POSIX or Windows rules (Windows: case-insensitive, another drive is outside).
 */
export function isInside(folder: string, target: string, paths: path.PlatformPath = path): boolean {
  const relative = paths.relative(folder, target);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + paths.sep) && !paths.isAbsolute(relative));
}

/**
 * The real path of `target`, following every symbolic link; for a path that does not exist yet, the real path of
 * its nearest existing ancestor joined with the missing rest (which mkdir would create there).
 */
export async function realPathAllowingMissing(target: string): Promise<string> {
  let existing = path.resolve(target);
  const missing: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.promises.realpath(existing), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(target);
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** Whether `target` (existing or not) really lies inside `root` once symbolic links are followed. */
export async function isReallyWithin(root: string, target: string): Promise<boolean> {
  const [realRoot, realTarget] = await Promise.all([fs.promises.realpath(root), realPathAllowingMissing(target)]);
  return isInside(realRoot, realTarget);
}
