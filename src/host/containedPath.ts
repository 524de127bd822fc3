// Paths that a document or a setting names must stay inside their folder: a cloned repository's settings or
// notebook must not read or write elsewhere on the machine. Lexical checks catch `..` and absolute paths; the
// real-path checks catch symbolic links that point out of the folder.
import fs from 'node:fs';
import path from 'node:path';

/** `child` is `parent` itself or lies below it (both absolute). `/ws-evil` is not inside `/ws`. */
export function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
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
  return isWithin(realRoot, realTarget);
}
