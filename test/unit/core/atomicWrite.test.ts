import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../../../src/core/atomicWrite';

describe('core/atomicWrite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'minilm-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes strings, bytes and chunked content, replacing an existing file', async () => {
    const target = path.join(dir, 'result.json');
    await writeFileAtomic(target, '{"a":1}');
    assert.equal(readFileSync(target, 'utf8'), '{"a":1}');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(target)], [1, 2, 3]);
    await writeFileAtomic(target, async (write) => {
      for (let i = 0; i < 1000; i++) await write(`${i},`);
      await write(new Uint8Array([0x21]));
    });
    assert.equal(readFileSync(target, 'utf8'), `${Array.from({ length: 1000 }, (_, i) => `${i},`).join('')}!`);
    assert.deepEqual(readdirSync(dir), ['result.json']);
  });

  it('leaves the old file and no temp file when the writer throws', async () => {
    const target = path.join(dir, 'export.csv');
    writeFileSync(target, 'old');
    await assert.rejects(
      writeFileAtomic(target, async (write) => {
        await write('partial,');
        throw new Error('encoder failed');
      }),
      /encoder failed/,
    );
    assert.equal(readFileSync(target, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['export.csv']);
  });

  it('leaves nothing when aborted mid-write or before starting', async () => {
    const target = path.join(dir, 'vectors.npy');
    const controller = new AbortController();
    await assert.rejects(
      writeFileAtomic(
        target,
        async (write) => {
          await write('first');
          controller.abort();
          await write('second');
        },
        { signal: controller.signal },
      ),
      { name: 'AbortError' },
    );
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(writeFileAtomic(target, 'x', { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('fails cleanly when the folder does not exist, and the sync variant cleans up too', async () => {
    await assert.rejects(writeFileAtomic(path.join(dir, 'missing', 'a.json'), 'x'), { code: 'ENOENT' });
    const target = path.join(dir, 'sync.json');
    writeFileAtomicSync(target, 'sync');
    assert.equal(readFileSync(target, 'utf8'), 'sync');
    // Renaming onto a folder fails after the temp file was written: the temp file must go.
    const folderTarget = path.join(dir, 'sub');
    rmSync(folderTarget, { force: true });
    mkdirSync(path.join(folderTarget, 'inner'), { recursive: true });
    assert.throws(() => writeFileAtomicSync(folderTarget, 'x'));
    await assert.rejects(writeFileAtomic(folderTarget, 'x'));
    assert.deepEqual(readdirSync(dir).sort(), ['sub', 'sync.json']);
  });
});
