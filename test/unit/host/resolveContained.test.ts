// resolveContained / isInside: paths a document names stay inside their folder. Real folders and symlinks in a
// temporary directory; Windows rules through path.win32.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInside, PathContainmentError, resolveContained, type ContainmentFailure } from '../../../src/host/containedPath';

const refused = (reason: ContainmentFailure) => (error: unknown) => {
  assert.ok(error instanceof PathContainmentError, String(error));
  assert.equal(error.reason, reason, error.message);
  return true;
};

describe('resolveContained', () => {
  let root: string;
  let ws: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-contained-')));
    ws = path.join(root, 'ws');
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true });
    fs.mkdirSync(path.join(root, 'ws-evil'));
    fs.writeFileSync(path.join(ws, 'data', 'texts.txt'), 'inside\n');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'outside\n');
    fs.writeFileSync(path.join(root, 'ws-evil', 'secret.txt'), 'outside\n');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(ws, 'file-link'));
    fs.symlinkSync(path.join(root, 'ws-evil'), path.join(ws, 'dir-link'));
    fs.symlinkSync('../../secret.txt', path.join(ws, 'data', 'relative-link'));
    fs.symlinkSync(path.join(ws, 'data', 'texts.txt'), path.join(ws, 'inside-link'));
    fs.symlinkSync(ws, path.join(root, 'ws-alias'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves a path inside to its real path', async () => {
    const texts = path.join(ws, 'data', 'texts.txt');
    assert.equal(await resolveContained(ws, 'data/texts.txt'), texts);
    assert.equal(await resolveContained(ws, './data/./texts.txt'), texts);
    assert.equal(await resolveContained(ws, 'data/../data/texts.txt'), texts, '`..` that stays inside');
    assert.equal(await resolveContained(ws, 'data\\texts.txt'), texts, 'a backslash separates folders too');
    assert.equal(await resolveContained(ws, 'inside-link'), texts, 'a symlink to a file inside');
    assert.equal(await resolveContained(path.join(root, 'ws-alias'), 'data/texts.txt'), texts, 'a base reached through a symlink');
    assert.equal(await resolveContained(ws, 'texts.txt', path.join(ws, 'data')), texts, 'from a folder inside');
    assert.equal(await resolveContained(ws, '../data/texts.txt', path.join(ws, 'data')), texts, 'up from a folder inside, still inside');
  });

  it('refuses `..` out of the folder, before touching anything outside', async () => {
    for (const relative of ['..', '../secret.txt', 'data/../../secret.txt', '../../../../etc/passwd', '..\\secret.txt', 'data\\..\\..\\secret.txt']) {
      await assert.rejects(resolveContained(ws, relative), refused('outside'), relative);
    }
    await assert.rejects(resolveContained(ws, '../no-such-file'), refused('outside'), 'outside and missing: still "outside", not ENOENT');
    await assert.rejects(resolveContained(ws, '../../secret.txt', path.join(ws, 'data')), refused('outside'));
  });

  it('refuses the prefix trick: /…/ws-evil is not inside /…/ws', async () => {
    await assert.rejects(resolveContained(ws, '../ws-evil/secret.txt'), refused('outside'));
    assert.equal(isInside(ws, path.join(root, 'ws-evil', 'secret.txt')), false);
    assert.equal(isInside(ws, ws + '-evil'), false);
  });

  it('refuses absolute paths, POSIX and Windows, even to a file inside', async () => {
    for (const relative of [
      path.join(ws, 'data', 'texts.txt'),
      '/etc/passwd',
      '\\etc\\passwd',
      'C:\\Windows\\win.ini',
      'c:/x',
      'C:x',
      '\\\\server\\share\\x',
      '//server/share/x',
    ]) {
      await assert.rejects(resolveContained(ws, relative), refused('absolute'), relative);
    }
  });

  it('refuses a symlink inside the folder that leads outside: to a file, to a folder, relative', async () => {
    await assert.rejects(resolveContained(ws, 'file-link'), (error: unknown) => {
      refused('link')(error);
      assert.equal((error as PathContainmentError).target, path.join(root, 'secret.txt'));
      return true;
    });
    await assert.rejects(resolveContained(ws, 'dir-link/secret.txt'), refused('link'));
    await assert.rejects(resolveContained(ws, 'data/relative-link'), refused('link'));
  });

  it('rejects with ENOENT for a missing path inside', async () => {
    await assert.rejects(resolveContained(ws, 'data/missing.txt'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });
});

describe('isInside', () => {
  it('compares segments on POSIX', () => {
    assert.equal(isInside('/work/ws', '/work/ws'), true);
    assert.equal(isInside('/work/ws', '/work/ws/a/b'), true);
    assert.equal(isInside('/work/ws', '/work/ws/..foo'), true, 'a name that starts with two dots is inside');
    assert.equal(isInside('/work/ws', '/work/ws-evil'), false);
    assert.equal(isInside('/work/ws', '/work/ws-evil/x'), false);
    assert.equal(isInside('/work/ws', '/work'), false);
    assert.equal(isInside('/work/ws/', '/work/ws/x'), true, 'a trailing separator on the folder');
  });

  it('compares segments on Windows: case-insensitive, another drive is outside', () => {
    const win = path.win32;
    assert.equal(isInside('C:\\work\\ws', 'C:\\work\\ws\\a.txt', win), true);
    assert.equal(isInside('C:\\work\\ws', 'c:\\WORK\\WS\\a.txt', win), true);
    assert.equal(isInside('C:\\work\\ws', 'C:\\work\\ws-evil\\a.txt', win), false);
    assert.equal(isInside('C:\\work\\ws', 'D:\\work\\ws\\a.txt', win), false);
    assert.equal(isInside('C:\\work\\ws', 'C:\\work', win), false);
    assert.equal(isInside('\\\\server\\share\\ws', '\\\\server\\share\\ws\\a.txt', win), true);
    assert.equal(isInside('\\\\server\\share\\ws', '\\\\server\\other\\ws\\a.txt', win), false);
  });
});
