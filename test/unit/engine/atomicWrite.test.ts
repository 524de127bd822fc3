import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WriteTargetError, checkWriteTarget, writeFileAtomic, writeFileAtomicSync } from '../../../src/engine/atomicWrite';

const posix = process.platform !== 'win32';

describe('engine/atomicWrite', () => {
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

  it('writes through a symbolic link: the link stays a link; a link to a missing file creates that file', async function () {
    if (!posix) this.skip();
    const target = path.join(dir, 'real.json');
    writeFileSync(target, 'old');
    const link = path.join(dir, 'link.json');
    symlinkSync('real.json', link);
    await writeFileAtomic(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(readlinkSync(link), 'real.json');
    assert.equal(readFileSync(target, 'utf8'), 'new');
    const dangling = path.join(dir, 'dangling.json');
    symlinkSync('created.json', dangling);
    await writeFileAtomic(dangling, async (write) => write('made'));
    assert.ok(lstatSync(dangling).isSymbolicLink());
    assert.equal(readFileSync(path.join(dir, 'created.json'), 'utf8'), 'made');
    assert.deepEqual(readdirSync(dir).sort(), ['created.json', 'dangling.json', 'link.json', 'real.json']);
  });

  it("keeps an existing file's mode; a new file gets the requested mode", async function () {
    if (!posix) this.skip();
    const target = path.join(dir, 'private.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    await writeFileAtomic(target, 'new');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    writeFileAtomicSync(target, 'sync');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    const fresh = path.join(dir, 'fresh.json');
    await writeFileAtomic(fresh, 'x', { mode: 0o640 });
    assert.equal(statSync(fresh).mode & 0o777, 0o640);
  });

  it('streams into a named pipe instead of replacing it', async function () {
    if (!posix) this.skip();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The reader is another process, so a pipe replaced by a file (which leaves the reader waiting) can be killed.
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const exited = once(reader, 'exit');
    try {
      await writeFileAtomic(fifo, async (write) => {
        for (let i = 0; i < 2000; i++) await write(`${i},`);
      });
      assert.ok(lstatSync(fifo).isFIFO(), 'the named pipe was replaced by a file');
      await exited;
      assert.equal(Buffer.concat(chunks).toString(), Array.from({ length: 2000 }, (_, i) => `${i},`).join(''));
      assert.deepEqual(readdirSync(dir), ['pipe']);
    } finally {
      reader.kill();
    }
  });

  it('streams into a character device instead of replacing it', async function () {
    if (!posix) this.skip();
    // As root, a private copy of /dev/null (an old writer would have replaced the system's); otherwise /dev/null.
    let device = '/dev/null';
    if (process.getuid?.() === 0) {
      device = path.join(dir, 'null');
      try {
        execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
    }
    await writeFileAtomic(device, new Uint8Array(100_000));
    assert.ok(lstatSync(device).isCharacterDevice(), 'the device was replaced by a file');
    assert.ok(
      readdirSync(dir).every((name) => !name.includes('.')),
      `temp files left: ${readdirSync(dir).join(', ')}`,
    );
  });

  it('checks a target before any work, naming what is wrong, and leaves nothing behind', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'x');
    const reason = async (target: string) => {
      try {
        await checkWriteTarget(target);
        return 'ok';
      } catch (error) {
        assert.ok(error instanceof WriteTargetError, String(error));
        return error.reason;
      }
    };
    assert.equal(await reason(path.join(dir, 'new.json')), 'ok');
    assert.equal(await reason(file), 'ok');
    assert.equal(await reason(path.join(file, 'out.json')), `${file} is a file, not a folder`);
    assert.equal(await reason(path.join(file, 'deeper', 'out.json')), `${file} is a file, not a folder`);
    assert.equal(await reason(path.join(dir, 'missing', 'out.json')), `the folder ${path.join(dir, 'missing')} does not exist (create it first)`);
    assert.equal(await reason(dir), 'it is a folder');
    if (posix) {
      symlinkSync(path.join(dir, 'gone', 'x.json'), path.join(dir, 'to-missing-folder'));
      assert.equal(await reason(path.join(dir, 'to-missing-folder')), `the folder ${path.join(dir, 'gone')} does not exist (create it first)`);
      execFileSync('mkfifo', [path.join(dir, 'pipe')]);
      assert.equal(await checkWriteTarget(path.join(dir, 'pipe')), 'stream');
    }
    assert.deepEqual(readdirSync(dir).sort(), posix ? ['a.txt', 'pipe', 'to-missing-folder'] : ['a.txt']);
  });

  it('a folder that cannot be written is refused by the check (not as root, who may write anyway)', async function () {
    if (!posix || process.getuid?.() === 0) this.skip();
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      await assert.rejects(
        checkWriteTarget(path.join(locked, 'out.json')),
        (e: Error) => e instanceof WriteTargetError && e.reason === `the folder ${locked} is not writable (permission denied)`,
      );
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
