// Reads the files a `minilm` cell names with `@file`. vscode-free, so the notebook controller and plain-Node tests
// share one implementation.
import fs from 'node:fs/promises';
import path from 'node:path';
import { english, type Translate } from './resultOutputs';

/**
 * Reads `relative` as UTF-8 from the first of `folders` that holds it, so a sample notebook and its data work
 * whichever folder is open.
 */
export async function readCellFile(folders: readonly string[], relative: string, t: Translate = english): Promise<string> {
  if (/^([A-Za-z]:)?[\\/]/.test(relative)) throw new Error(t('expected a workspace-relative path, not an absolute one'));
  const parts = relative.split(/[\\/]/);
  for (const folder of folders) {
    try {
      return new TextDecoder('utf-8').decode(await fs.readFile(path.join(folder, ...parts)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(t('no such file in {0}', folders.join(t(' or '))));
}
