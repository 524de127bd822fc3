import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedHubModels } from '../../../src/engine/cachedHubModels';
import { cacheLocation } from '../../../src/engine/modelResolver';
import { requiredFiles } from '../../../src/engine/types';

describe('engine/cachedHubModels: hub models a download left in the cache', () => {
  it('lists each unpinned repository and revision with the dtypes it holds whole, decoding the revision folder', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-cached-'));
    try {
      const place = (repository: string, revision: string, files: string[]) => {
        const { dir } = cacheLocation(cache, { endpoint: '', repository, revision });
        for (const file of files) {
          fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, file), 'x');
        }
        return dir;
      };
      place('BAAI/bge-m3', 'v1.0', requiredFiles('q8'));
      place('owner/both', 'main', [...requiredFiles('fp32'), ...requiredFiles('q8')]);
      place('owner/partial', 'main', requiredFiles('fp32').slice(0, 2));
      assert.deepEqual(cachedHubModels(cache), [
        { repository: 'BAAI/bge-m3', revision: 'v1.0', dtypes: ['q8'] },
        { repository: 'owner/both', revision: 'main', dtypes: ['fp32', 'q8'] },
      ]);
      assert.deepEqual(cachedHubModels(path.join(cache, 'none')), []);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
