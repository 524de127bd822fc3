// Paths a document names stay inside their folder. A relative path is resolved against the folder's real path, checked
// before anything outside is touched, then resolved through every symlink (realpath) and checked again: `..`, absolute
// paths, a symlink inside the folder that points out, and a sibling whose name starts with the folder's
// (`/work/ws-evil` next to `/work/ws`) are all refused. vscode-free; meant to move to src/shared when more than the
// notebook needs it.
import fs from 'node:fs/promises';
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
  const folder = await fs.realpath(base);
  const lexical = path.resolve(folder, path.relative(base, from), ...relative.split(/[\\/]/));
  if (!isInside(folder, lexical)) throw new PathContainmentError('outside', relative, folder);
  const real = await fs.realpath(lexical);
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
