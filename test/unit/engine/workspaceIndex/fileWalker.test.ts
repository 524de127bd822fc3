import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enabledGlobs } from '../../../../src/engine/workspaceIndex/globFilter';
import { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES, walkFiles, type WalkOptions, type WalkResult } from '../../../../src/engine/workspaceIndex/fileWalker';

/** Writes `files` (root-relative POSIX path → content) under `root`. */
function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

const paths = (result: WalkResult) => result.files.map((f) => f.path);
const skippedAs = (result: WalkResult, reason: string) => result.skipped.filter((s) => s.reason === reason).map((s) => s.path);

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('walkFiles', () => {
  let root: string;
  const walk = (options: Partial<WalkOptions> = {}) => walkFiles({ root, ...options });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-walker-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('ignore files (VS Code search semantics: ripgrep with --no-require-git)', () => {
    it('applies .gitignore in a plain folder without .git, as VS Code search does', async () => {
      writeTree(root, { '.gitignore': 'secret.txt\n', 'secret.txt': 's', 'notes.txt': 'n' });
      assert.equal(fs.existsSync(path.join(root, '.git')), false);
      assert.deepEqual(paths(await walk()), ['.gitignore', 'notes.txt']);
    });

    it('applies .gitignore in a git repository the same way, and .git/info/exclude there', async () => {
      writeTree(root, {
        '.gitignore': 'secret.txt\n',
        '.git/info/exclude': 'private/\n',
        'secret.txt': 's',
        'private/a.txt': 'p',
        'notes.txt': 'n',
      });
      assert.deepEqual(paths(await walk()), ['.gitignore', 'notes.txt']);
    });

    it('nested .gitignore files apply relative to their own folder, with negation and anchoring', async () => {
      writeTree(root, {
        '.gitignore': '*.log\nbuild/\n',
        'a.log': '',
        'keep.log': '',
        'build/out.js': '',
        'src/build/gen.js': '',
        'src/.gitignore': '!keep.log\n/local.txt\n',
        'src/keep.log': '',
        'src/other.log': '',
        'src/local.txt': '',
        'src/deeper/local.txt': '',
        'src/deeper/keep.log': '',
        'local.txt': '',
      });
      assert.deepEqual(paths(await walk()), [
        '.gitignore',
        'local.txt', // /local.txt in src/.gitignore is anchored to src/
        'src/.gitignore',
        'src/deeper/keep.log', // the negation is unanchored: it applies below src/ too
        'src/deeper/local.txt',
        'src/keep.log',
      ]);
    });

    it('a folder ignored by .gitignore cannot be re-included by a negation in the same file (git rule)', async () => {
      writeTree(root, { '.gitignore': 'logs/\n!logs/important.txt\n', 'logs/important.txt': '', 'a.txt': '' });
      assert.deepEqual(paths(await walk()), ['.gitignore', 'a.txt']);
    });

    it('the deepest .gitignore decides: a nested one re-includes what the root one ignores', async () => {
      writeTree(root, { '.gitignore': '*.gen.ts\n', 'a.gen.ts': '', 'pkg/.gitignore': '!*.gen.ts\n', 'pkg/b.gen.ts': '' });
      assert.deepEqual(paths(await walk()), ['.gitignore', 'pkg/.gitignore', 'pkg/b.gen.ts']);
    });

    it('.ignore and .rgignore take precedence over .gitignore, as in ripgrep', async () => {
      writeTree(root, {
        '.gitignore': 'generated/\n*.tmp\n',
        '.ignore': '!generated/\n',
        '.rgignore': '!keep.tmp\n',
        'generated/api.ts': '',
        'keep.tmp': '',
        'drop.tmp': '',
      });
      assert.deepEqual(paths(await walk()), ['.gitignore', '.ignore', '.rgignore', 'generated/api.ts', 'keep.tmp']);
    });

    it('.gitignore rules of folders above a nested repository do not apply inside it', async () => {
      writeTree(root, {
        '.gitignore': '*.md\n',
        'outer.md': '',
        'inner/.git/HEAD': 'ref: refs/heads/main\n',
        'inner/.gitignore': '*.tmp\n',
        'inner/readme.md': '',
        'inner/x.tmp': '',
      });
      assert.deepEqual(paths(await walk()), ['.gitignore', 'inner/.gitignore', 'inner/readme.md']);
    });

    it('useGitIgnore: false lists what the ignore files would leave out', async () => {
      writeTree(root, { '.gitignore': '*.txt\n', '.ignore': 'b.md\n', 'a.txt': '', 'b.md': '' });
      assert.deepEqual(paths(await walk({ useGitIgnore: false })), ['.gitignore', '.ignore', 'a.txt', 'b.md']);
    });

    it('agrees with git itself in a real repository (git ls-files --cached --others --exclude-standard)', async function () {
      if (!hasCommand('git')) this.skip();
      writeTree(root, {
        '.gitignore': '*.log\n/dist/\ndocs/**/draft-*\n!docs/keep/draft-ok.md\ntmp*\n',
        'a.log': '',
        'dist/x.js': '',
        'lib/dist/y.js': '',
        'docs/intro.md': '',
        'docs/draft-1.md': '',
        'docs/keep/draft-ok.md': '',
        'docs/keep/draft-no.md': '',
        'src/.gitignore': '!important.log\n*.bak\n',
        'src/important.log': '',
        'src/main.ts': '',
        'src/main.ts.bak': '',
        'tmpfile.txt': '',
        'src/tmp/inner.txt': '',
      });
      execFileSync('git', ['init', '-q'], { cwd: root });
      fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), 'src/main.ts.bak\nlocal-only.txt\n');
      writeTree(root, { 'local-only.txt': '' });
      const gitView = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root })
        .toString()
        .split('\n')
        .filter(Boolean)
        .sort();
      assert.deepEqual(paths(await walk({ exclude: [] })), gitView);
    });

    it('agrees with ripgrep as VS Code runs it (rg --files --hidden --no-require-git) in a plain folder', async function () {
      if (!hasCommand('rg')) this.skip();
      writeTree(root, {
        '.gitignore': '*.log\nbuild/\n',
        '.ignore': '!build/\n',
        'build/out.js': '',
        'a.log': '',
        '.github/workflows/ci.yml': '',
        'pkg/.gitignore': '!keep.log\n/only-here.txt\n',
        'pkg/keep.log': '',
        'pkg/only-here.txt': '',
        'pkg/sub/only-here.txt': '',
        'nested/.git/HEAD': '',
        'nested/x.log': '',
      });
      const rgView = execFileSync('rg', ['--files', '--hidden', '--no-require-git', '--no-config', '--no-ignore-global', '--no-ignore-parent', '-g', '!.git'], {
        cwd: root,
      })
        .toString()
        .split('\n')
        .filter(Boolean)
        .sort();
      assert.deepEqual(paths(await walk({ exclude: [] })), rgView);
    });
  });

  describe('globs', () => {
    it("leaves out VS Code's default files.exclude + search.exclude, and .git always", async () => {
      writeTree(root, {
        'node_modules/pkg/index.js': '',
        'web/node_modules/x.js': '',
        'bower_components/b.js': '',
        '.svn/entries': '',
        '.hg/store': '',
        'sub/.DS_Store': '',
        'Thumbs.db': '',
        'saved.code-search': '',
        '.git/config': '',
        'vendor/.git': 'gitdir: ../.git/modules/vendor\n',
        '.github/ci.yml': '',
        'src/index.ts': '',
      });
      assert.deepEqual(paths(await walk()), ['.github/ci.yml', 'src/index.ts']);
      // Without excludes node_modules is walked, but .git (folder or file) still is not.
      const unexcluded = await walk({ exclude: [] });
      assert.deepEqual(skippedAs(unexcluded, 'binary'), ['Thumbs.db']);
      assert.deepEqual(paths(unexcluded), [
        '.github/ci.yml',
        '.hg/store',
        '.svn/entries',
        'bower_components/b.js',
        'node_modules/pkg/index.js',
        'saved.code-search',
        'src/index.ts',
        'sub/.DS_Store',
        'web/node_modules/x.js',
      ]);
    });

    it("DEFAULT_EXCLUDES are VS Code's defaults and include node_modules", () => {
      assert.ok(DEFAULT_EXCLUDES.includes('**/node_modules'));
      assert.ok(DEFAULT_EXCLUDES.includes('**/.git'));
      assert.equal(DEFAULT_MAX_FILE_BYTES, 1024 * 1024);
    });

    it('exclude globs leave out files and whole folders; VS Code spellings (trailing or leading slash) work', async () => {
      writeTree(root, {
        'src/a.ts': '',
        'src/a.test.ts': '',
        'src/fixtures/big.json': '',
        'out/a.js': '',
        'docs/guide.md': '',
      });
      const result = await walk({ exclude: ['**/*.test.ts', '**/fixtures/', '/out'] });
      assert.deepEqual(paths(result), ['docs/guide.md', 'src/a.ts']);
    });

    it('include globs keep only the files they match, or whose folder they match', async () => {
      writeTree(root, { 'src/a.ts': '', 'src/deep/b.ts': '', 'docs/guide.md': '', 'README.md': '', 'package.json': '{}' });
      assert.deepEqual(paths(await walk({ include: ['**/*.md'] })), ['README.md', 'docs/guide.md']);
      assert.deepEqual(paths(await walk({ include: ['src'] })), ['src/a.ts', 'src/deep/b.ts']);
      assert.deepEqual(paths(await walk({ include: ['src/**', 'README.md'], exclude: ['**/deep'] })), ['README.md', 'src/a.ts']);
      assert.equal(paths(await walk({ include: [] })).length, 5, 'an empty include list means everything');
    });

    it('enabledGlobs merges files.exclude then search.exclude, the later overriding, and keeps the true ones', () => {
      const filesExclude = { '**/.git': true, '**/dist': true, '**/*.js': { when: '$(basename).ts' } };
      const searchExclude = { '**/node_modules': true, '**/dist': false };
      assert.deepEqual(enabledGlobs(filesExclude, searchExclude, undefined), ['**/.git', '**/node_modules']);
    });

    it('a glob picomatch cannot compile is refused with one line naming it', async () => {
      await assert.rejects(walk({ exclude: ['**/ok', 'x'.repeat(70_000)] }), (error: Error) => {
        assert.match(error.message, /^Invalid exclude glob "x{80}…": Input length: 70000/);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    });
  });

  describe('skipped files', () => {
    it('lock files are skipped and counted as lockfile, at any depth', async () => {
      writeTree(root, {
        'package.json': '{}',
        'package-lock.json': '{}',
        'yarn.lock': '',
        'web/pnpm-lock.yaml': '',
        'crate/Cargo.lock': '',
        'py/poetry.lock': '',
        'php/composer.lock': '',
        'rb/Gemfile.lock': '',
        'go/go.sum': '',
        'go/go.mod': 'module x\n',
      });
      const result = await walk();
      assert.deepEqual(paths(result), ['go/go.mod', 'package.json']);
      assert.deepEqual(skippedAs(result, 'lockfile'), [
        'crate/Cargo.lock',
        'go/go.sum',
        'package-lock.json',
        'php/composer.lock',
        'py/poetry.lock',
        'rb/Gemfile.lock',
        'web/pnpm-lock.yaml',
        'yarn.lock',
      ]);
    });

    it('files over maxFileBytes are skipped as too-large with their size; a file at the limit is kept', async () => {
      writeTree(root, { 'at-limit.txt': 'x'.repeat(100), 'over.txt': 'x'.repeat(101) });
      const result = await walk({ maxFileBytes: 100 });
      assert.deepEqual(paths(result), ['at-limit.txt']);
      assert.deepEqual(result.skipped, [{ path: 'over.txt', reason: 'too-large', note: '101 bytes > 100' }]);
    });

    it('the default size limit is 1 MiB', async () => {
      writeTree(root, { 'ok.txt': Buffer.alloc(1024 * 1024, 0x61), 'big.txt': Buffer.alloc(1024 * 1024 + 1, 0x61) });
      const result = await walk();
      assert.deepEqual(paths(result), ['ok.txt']);
      assert.deepEqual(skippedAs(result, 'too-large'), ['big.txt']);
    });

    it('files with a binary extension are skipped as binary without being read; .svg is text', async () => {
      writeTree(root, { 'logo.png': 'not really', 'icon.svg': '<svg/>', 'lib.so': '', '.bin': 'hidden file' });
      const result = await walk();
      assert.deepEqual(paths(result), ['.bin', 'icon.svg']);
      assert.deepEqual(skippedAs(result, 'binary'), ['lib.so', 'logo.png']);
    });

    it('ignored and excluded files are not reported as skipped', async () => {
      writeTree(root, { '.gitignore': 'yarn.lock\n', 'yarn.lock': '', 'node_modules/package-lock.json': '' });
      assert.deepEqual((await walk()).skipped, []);
    });
  });

  describe('symbolic links', () => {
    let outside: string;
    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-walker-outside-'));
      writeTree(outside, { 'secret.txt': 'outside', 'dir/x.txt': '' });
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    it('does not follow links leading outside the root and reports them as outside-root', async () => {
      writeTree(root, { 'a.txt': '' });
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
      fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'linkdir'));
      fs.symlinkSync('..', path.join(root, 'up'));
      const result = await walk();
      assert.deepEqual(paths(result), ['a.txt']);
      assert.deepEqual(skippedAs(result, 'outside-root'), ['link.txt', 'linkdir', 'up']);
      assert.ok(result.skipped.every((s) => s.note?.startsWith('symbolic link to ')));
    });

    it('follows links inside the root and does not loop on a link back to a folder being walked', async () => {
      writeTree(root, { 'docs/guide.md': 'g', 'docs/sub/deep.md': 'd', 'real.txt': 'r' });
      fs.symlinkSync('real.txt', path.join(root, 'alias.txt'));
      fs.symlinkSync('..', path.join(root, 'docs', 'sub', 'back-to-docs'));
      fs.symlinkSync('.', path.join(root, 'self'));
      fs.symlinkSync('docs', path.join(root, 'docs-link'));
      const result = await walk();
      assert.deepEqual(paths(result), ['alias.txt', 'docs-link/guide.md', 'docs-link/sub/deep.md', 'docs/guide.md', 'docs/sub/deep.md', 'real.txt']);
      const alias = result.files.find((f) => f.path === 'alias.txt')!;
      assert.equal(alias.size, 1, 'a link reports the size of its target');
    });

    it('a broken link is skipped as unreadable', async () => {
      fs.symlinkSync(path.join(root, 'missing.txt'), path.join(root, 'dangling.txt'));
      const result = await walk();
      assert.deepEqual(result.files, []);
      assert.deepEqual(result.skipped, [{ path: 'dangling.txt', reason: 'unreadable', note: 'broken symbolic link: ENOENT' }]);
    });
  });

  describe('walk', () => {
    it('returns files sorted by path with their absolute path, size and mtime', async () => {
      writeTree(root, { 'b.txt': 'bb', 'a/z.txt': 'z', 'A.txt': 'AAA' });
      const result = await walk();
      assert.deepEqual(paths(result), ['A.txt', 'a/z.txt', 'b.txt']);
      const b = result.files[2];
      assert.equal(b.absolutePath, path.join(root, 'b.txt'));
      assert.equal(b.size, 2);
      assert.equal(b.mtimeMs, fs.statSync(path.join(root, 'b.txt')).mtimeMs);
    });

    it('refuses a root that does not exist or is a file, in one line', async () => {
      await assert.rejects(walkFiles({ root: path.join(root, 'nope') }), /^Error: Cannot index .*nope: it does not exist\.$/);
      writeTree(root, { 'f.txt': '' });
      await assert.rejects(walkFiles({ root: path.join(root, 'f.txt') }), /Cannot index .*f\.txt: it is not a folder\./);
    });

    it('reports an unreadable folder and walks the rest', async function () {
      if (process.getuid?.() === 0) this.skip(); // root reads any folder
      writeTree(root, { 'locked/a.txt': '', 'open/b.txt': '' });
      fs.chmodSync(path.join(root, 'locked'), 0o000);
      try {
        const result = await walk();
        assert.deepEqual(paths(result), ['open/b.txt']);
        assert.deepEqual(skippedAs(result, 'unreadable'), ['locked']);
      } finally {
        fs.chmodSync(path.join(root, 'locked'), 0o755);
      }
    });

    it('rejects with an AbortError when aborted before or during the walk', async () => {
      const files: Record<string, string> = {};
      for (let d = 0; d < 50; d++) files[`d${d}/f.txt`] = '';
      writeTree(root, files);
      await assert.rejects(walk({ signal: AbortSignal.abort() }), { name: 'AbortError' });
      // A few event-loop turns in: 50 folders need at least one fs round trip (one turn) each, so the walk is running.
      const controller = new AbortController();
      const running = walk({ signal: controller.signal });
      let turns = 0;
      const tick = () => (++turns < 5 ? setImmediate(tick) : controller.abort());
      setImmediate(tick);
      await assert.rejects(running, { name: 'AbortError' });
    });

    it('walks 10,000 files in 200 folders without blocking the event loop', async () => {
      const files: Record<string, string> = {};
      for (let d = 0; d < 200; d++) for (let f = 0; f < 50; f++) files[`d${d}/sub/f${f}.md`] = '';
      writeTree(root, files);
      let turns = 0;
      let ticking = true;
      const tick = () => {
        turns++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const result = await walk();
      ticking = false;
      assert.equal(result.files.length, 10_000);
      // A walk that held the thread (sync fs, or one long loop) would let no other callback run in between.
      assert.ok(turns > 200, `event loop turns during the walk: ${turns}`);
    });
  });
});
