import fs from 'node:fs';
import path from 'node:path';
import { requiredFiles, type Dtype } from '../../src/engine/types';

/** A folder holding every file a dtype needs, each `{}`: enough for the resolver and the picker, not to load. */
export function fakeModel(dir: string, dtype: Dtype = 'fp32'): string {
  for (const file of requiredFiles(dtype)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '{}');
  }
  return dir;
}
