import fs from 'node:fs';
import path from 'node:path';
import { missingFiles, UNPINNED_CACHE_DIR } from './modelResolver';
import { DTYPES, type Dtype } from './types';

export interface CachedHubModel {
  repository: string;
  revision: string;
  /** Dtypes whose every required file is present. */
  dtypes: Dtype[];
}

/**
 * Hub models outside the catalogue that a download left in the per-user cache (`<cache>/unpinned/<owner>/<name>/
 * <revision>`, the revision one encoded folder name, see `cacheLocation`), each with the dtypes it holds whole.
 */
export function cachedHubModels(cacheDir: string): CachedHubModel[] {
  const root = path.join(cacheDir, UNPINNED_CACHE_DIR);
  const found: CachedHubModel[] = [];
  for (const owner of folders(root)) {
    for (const name of folders(path.join(root, owner))) {
      for (const folder of folders(path.join(root, owner, name))) {
        const dir = path.join(root, owner, name, folder);
        const dtypes = DTYPES.filter((dtype) => missingFiles(dir, dtype).length === 0);
        let revision: string;
        try {
          revision = decodeURIComponent(folder);
        } catch {
          continue;
        }
        if (dtypes.length > 0) found.push({ repository: `${owner}/${name}`, revision, dtypes });
      }
    }
  }
  return found.sort((a, b) => `${a.repository}@${a.revision}`.localeCompare(`${b.repository}@${b.revision}`));
}

function folders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
