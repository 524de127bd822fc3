import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface TestAllModule {
  mochaCounts(output: string): { passed: number; failed: number; pending: number };
  failureDigest(output: string, maxLines?: number): string[];
  lintCounts(output: string, code: number, root?: string): { passed: number; failed: number; pending: number; digest: string[] };
  formatCounts(output: string, code: number): { passed: number; failed: number; pending: number; digest: string[] };
  tscCounts(output: string, code: number): { passed: number; failed: number; pending: number; digest: string[] };
}

// The CI log keeps only the tail of `npm test`: the summary must carry the counts and the names of what failed.
describe('npm test summary (scripts/test-all.mjs)', () => {
  let testAll: TestAllModule;
  before(async () => {
    const url = pathToFileURL(path.resolve(__dirname, '../../../../scripts/test-all.mjs')).href;
    testAll = (await import(url)) as TestAllModule;
  });

  const failingRun = [
    '  suite',
    '    ✔ works',
    '    1) breaks',
    '',
    '  1 passing (2s)',
    '  1 failing',
    '',
    '  1) suite',
    '       breaks:',
    '     AssertionError [ERR_ASSERTION]: expected 2 lines',
    '      at Context.<anonymous> (out/test/x.test.js:4:10)',
    '      at process.processImmediate (node:internal/timers:483:21)',
    '',
  ].join('\n');

  it('adds up passing, failing and pending over several mocha runs', () => {
    const counts = testAll.mochaCounts(`${failingRun}\n  3 passing (1s)\n  2 pending\n`);
    assert.deepEqual(counts, { passed: 4, failed: 1, pending: 2 });
  });

  it('keeps the failing test title and its error, without stack frames', () => {
    assert.deepEqual(testAll.failureDigest(failingRun), ['  1) suite', '       breaks:', '     AssertionError [ERR_ASSERTION]: expected 2 lines']);
  });

  it('is empty for a green run and bounded for a very red one', () => {
    assert.deepEqual(testAll.failureDigest('  5 passing (1s)\n'), []);
    const many = `  40 failing\n${Array.from({ length: 40 }, (_, i) => `  ${i + 1}) t${i}:\n     Error: e${i}`).join('\n')}`;
    const digest = testAll.failureDigest(many, 10);
    assert.equal(digest.length, 11);
    assert.equal(digest.at(-1), '    …');
  });

  it('counts a clean lint as one pass and each lint error as one failure, naming file, line and rule', () => {
    assert.deepEqual(testAll.lintCounts('', 0, '/repo'), { passed: 1, failed: 0, pending: 0, digest: [] });
    const red = [
      '',
      '/repo/src/core/a.ts',
      "  1:1  error  'vscode' import is restricted from being used. Only the extension host talks to VS Code  no-restricted-imports",
      "  4:7  error  'x' is assigned a value but never used                                                  @typescript-eslint/no-unused-vars",
      '',
      '/repo/src/cli/c.ts',
      '  9:2  warning  Unexpected console statement  no-console',
      '',
      '✖ 3 problems (2 errors, 1 warning)',
      '',
    ].join('\n');
    const counts = testAll.lintCounts(red, 1, '/repo');
    assert.equal(counts.passed, 0);
    assert.equal(counts.failed, 2);
    assert.deepEqual(counts.digest, [
      "src/core/a.ts:1:1 'vscode' import is restricted from being used. Only the extension host talks to VS Code (no-restricted-imports)",
      "src/core/a.ts:4:7 'x' is assigned a value but never used (@typescript-eslint/no-unused-vars)",
    ]);
  });

  it('counts a clean Prettier check as one pass and each file out of style as one failure, with the command that fixes it', () => {
    assert.deepEqual(testAll.formatCounts('Checking formatting...\nAll matched files use Prettier code style!\n', 0), {
      passed: 1,
      failed: 0,
      pending: 0,
      digest: [],
    });
    const red =
      'Checking formatting...\n[warn] src/core/a.ts\n[warn] media/src/webview/b.ts\n[warn] Code style issues found in 2 files. Run Prettier with --write to fix.\n';
    const counts = testAll.formatCounts(red, 1);
    assert.equal(counts.passed, 0);
    assert.equal(counts.failed, 2);
    assert.deepEqual(counts.digest, [
      "src/core/a.ts: not in Prettier's style (npx prettier --write src/core/a.ts)",
      "media/src/webview/b.ts: not in Prettier's style (npx prettier --write media/src/webview/b.ts)",
    ]);
    assert.equal(testAll.formatCounts('[error] No parser could be inferred for file "x"', 2).failed, 1);
  });

  it('counts a lint run that broke before reporting (a bad config) as one failure with its message', () => {
    const counts = testAll.lintCounts('Oops! Something went wrong! :(\nESLint: 9.39.5\nSyntaxError: Unexpected token', 2, '/repo');
    assert.equal(counts.failed, 1);
    assert.equal(counts.passed, 0);
    assert.ok(counts.digest.some((line) => line.includes('SyntaxError')));
  });

  it('counts a clean tsc build as one pass and each tsc error as one failure, naming file and code', () => {
    assert.deepEqual(testAll.tscCounts('', 0), { passed: 1, failed: 0, pending: 0, digest: [] });
    const output = [
      "src/engine/x.ts(1,25): error TS2306: File '/repo/tsconfig/notInThisLayer.d.ts' is not a module.",
      "src/core/y.ts(3,10): error TS2304: Cannot find name 'HTMLElement'.",
    ].join('\n');
    const counts = testAll.tscCounts(output, 2);
    assert.equal(counts.failed, 2);
    assert.equal(counts.passed, 0);
    assert.match(counts.digest[1]!, /^src\/core\/y\.ts\(3,10\): error TS2304/);
  });
});
