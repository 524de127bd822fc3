import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { findTestFiles } from './findTestFiles';
import { resultsPath, type RunResults, type TestOutcome } from './results';

export interface RunOptions {
  repoRoot: string;
  /** Folder searched for compiled `*.vscode.test.js` files. */
  testsDir: string;
  vscodeVersion?: string;
}

/**
 * Runs the in-host suite and writes the results file. Rejects when a test failed or none ran, which fails
 * `@vscode/test-electron`; the code-server route reads the results file instead because its host exits 0.
 */
export async function runMocha(options: RunOptions): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const outFile = resultsPath(options.repoRoot);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tests: TestOutcome[] = [];
  const files = findTestFiles(options.testsDir);
  const finish = (runnerError?: string): RunResults => {
    const results: RunResults = {
      passes: tests.filter((t) => t.state === 'passed').length,
      failures: tests.filter((t) => t.state === 'failed').length,
      pending: tests.filter((t) => t.state === 'pending').length,
      files: files.map((f) => path.relative(options.repoRoot, f)),
      tests,
      ...(runnerError !== undefined ? { runnerError } : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
      ...(options.vscodeVersion !== undefined ? { vscodeVersion: options.vscodeVersion } : {}),
    };
    // Written to a temporary name first so the launcher never reads half a file.
    fs.writeFileSync(`${outFile}.tmp`, JSON.stringify(results, null, 2));
    fs.renameSync(`${outFile}.tmp`, outFile);
    return results;
  };

  try {
    const grep = process.env.MINILM_TEST_GREP;
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: Number(process.env.MINILM_TEST_TIMEOUT ?? 120_000),
      reporter: 'spec',
      ...(grep ? { grep, invert: process.env.MINILM_TEST_GREP_INVERT === '1' } : {}),
    });
    for (const file of files) mocha.addFile(file);
    if (files.length === 0) throw new Error(`no *.vscode.test.js files under ${options.testsDir}`);
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => tests.push(outcome(test, 'passed')));
      runner.on('pending', (test) => tests.push(outcome(test, 'pending')));
      runner.on('fail', (test, err: unknown) => tests.push({ ...outcome(test, 'failed'), error: describe(err) }));
    });
  } catch (err) {
    const results = finish(describe(err));
    throw Object.assign(new Error(`in-host test runner failed: ${results.runnerError}`), { results });
  }
  const results = finish();
  if (results.failures > 0) throw new Error(`${results.failures} in-host test(s) failed`);
  if (results.passes === 0) throw new Error('no in-host test passed (zero tests ran)');
  return results;
}

function outcome(test: Mocha.Runnable, state: TestOutcome['state']): TestOutcome {
  return {
    fullTitle: test.fullTitle(),
    ...(test.file !== undefined ? { file: test.file } : {}),
    state,
    ...(test.duration !== undefined ? { durationMs: test.duration } : {}),
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
