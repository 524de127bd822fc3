// `@file` in a cell: what it may read. The directive runner with the reader the notebook controller uses, on real
// folders and symlinks in a temporary directory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCellFile, type CellFileScope } from '../../../src/notebook/cellFiles';
import { parseCell } from '../../../src/notebook/cellLanguage';
import { DirectiveError, runDirective, type DirectiveContext } from '../../../src/notebook/directiveRunner';

const SECRET = 'the secret outside the workspace';

describe('@file in a notebook cell', () => {
  let root: string;
  let ws: string;
  let scope: CellFileScope;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-cellfiles-')));
    ws = path.join(root, 'ws');
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'samples'));
    fs.writeFileSync(path.join(ws, 'data', 'texts.txt'), 'first\nsecond\n');
    fs.writeFileSync(path.join(ws, 'samples', 'beside.txt'), 'beside the notebook\n');
    fs.writeFileSync(path.join(root, 'secret.txt'), SECRET + '\n');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(ws, 'innocent.txt'));
    scope = { root: ws, folders: [ws, path.join(ws, 'samples')] };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A context whose encode must not be reached: a refused file fails before anything is encoded. */
  const refusing = (): DirectiveContext => ({
    encode: async (texts) => assert.fail(`encode was called: the texts ${JSON.stringify(texts)} were gathered`),
    readTextFile: (p) => readCellFile(scope, p),
    corpora: new Map(),
    signal: new AbortController().signal,
  });

  for (const [name, file, message] of [
    ['a path up and out (../secret.txt)', '../secret.txt', /leads outside .*ws; @file reads only files inside it/],
    ["a path up and out from the notebook's folder", '../../secret.txt', /leads outside/],
    ['Windows separators (..\\secret.txt)', '..\\secret.txt', /leads outside/],
    ['a symlink inside the folder to a file outside it', 'innocent.txt', /is a link to .*secret\.txt, outside .*ws/],
    ['an absolute path', '/etc/hostname', /not an absolute one/],
  ] as const) {
    it(`refuses ${name}: one error on its line, no text read`, async () => {
      await assert.rejects(runDirective(parseCell(`compare\nx\n@file ${file}`), refusing()), (error: unknown) => {
        assert.ok(error instanceof DirectiveError, String(error));
        assert.equal(error.line, 3);
        assert.match(error.message, new RegExp(`^Line 3: cannot read "${file.replace(/[.\\]/g, '\\$&')}": `));
        assert.match(error.message, message);
        assert.ok(!error.message.includes(SECRET), error.message);
        return true;
      });
    });
  }

  it("reads inside the folder: relative to it, then to the notebook's folder, `..` that stays inside included", async () => {
    assert.equal(await readCellFile(scope, 'data/texts.txt'), 'first\nsecond\n');
    assert.equal(await readCellFile(scope, 'data\\texts.txt'), 'first\nsecond\n');
    assert.equal(await readCellFile(scope, 'beside.txt'), 'beside the notebook\n');
    assert.equal(await readCellFile(scope, '../data/texts.txt'), 'first\nsecond\n', 'from samples/ up to the workspace folder');
    assert.equal(await readCellFile(scope, 'data/../samples/beside.txt'), 'beside the notebook\n');
  });

  it('refuses a file that is not UTF-8 instead of reading U+FFFD into the texts, and drops a byte order mark', async () => {
    fs.writeFileSync(path.join(ws, 'data', 'latin1.txt'), Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await assert.rejects(readCellFile(scope, 'data/latin1.txt'), /not UTF-8 text; convert it to UTF-8/);
    fs.writeFileSync(path.join(ws, 'data', 'bom.txt'), '\uFEFFcafé\n');
    assert.equal(await readCellFile(scope, 'data/bom.txt'), 'café\n');
  });

  it('names every folder it looked in when the file is not there', async () => {
    await assert.rejects(readCellFile(scope, 'missing.txt'), (e: Error) => e.message === `no such file in ${ws} or ${path.join(ws, 'samples')}`);
    await assert.rejects(
      readCellFile({ root: ws, folders: [ws, ws] }, 'missing.txt'),
      (e: Error) => e.message === `no such file in ${ws}`,
      'a notebook at the root: one folder',
    );
  });

  it('a notebook outside every workspace folder reads inside its own folder only', async () => {
    const own: CellFileScope = { root: path.join(ws, 'data'), folders: [path.join(ws, 'data')] };
    assert.equal(await readCellFile(own, 'texts.txt'), 'first\nsecond\n');
    await assert.rejects(readCellFile(own, '../samples/beside.txt'), /leads outside/);
  });
});
