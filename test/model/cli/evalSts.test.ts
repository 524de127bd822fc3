import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadStsReference } from '../../helpers/referenceFixtures';
import { repoRoot, sharedFile, testModelDir } from '../../helpers/sharedPaths';

interface StsOutput {
  pairs: number;
  spearman: number;
  pearson: number;
}

function evalSts(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), 'eval-sts', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('minilm eval-sts on STS-B dev (real model)', function () {
  const modelDir = testModelDir();
  const devFile = sharedFile('datasets', 'stsbenchmark', 'sts-dev.csv');
  const reference = loadStsReference().dev;
  // The fixture README: fp32 within 0.1 of PyTorch, q8 within 0.5 (of the same PyTorch value).
  const bounds = { fp32: 0.1, q8: 0.5 } as const;

  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs', '--only=cli,worker'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  for (const dtype of ['fp32', 'q8'] as const) {
    it(`${dtype}: prints {"pairs", "spearman", "pearson"} with Spearman within ${bounds[dtype]} of PyTorch (${reference.torch_fp32.spearman.toFixed(2)})`, () => {
      const run = evalSts(['--model-dir', modelDir, '--dtype', dtype, devFile, '--json']);
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(run.stdout) as StsOutput;
      assert.deepEqual(Object.keys(result), ['pairs', 'spearman', 'pearson']);
      assert.equal(result.pairs, reference.pairs);
      const spearmanGap = Math.abs(result.spearman - reference.torch_fp32.spearman);
      assert.ok(spearmanGap <= bounds[dtype], `Spearman ${result.spearman} is ${spearmanGap.toFixed(3)} from ${reference.torch_fp32.spearman}`);
      assert.ok(Math.abs(result.pearson - reference.torch_fp32.pearson) <= bounds[dtype], `Pearson ${result.pearson}`);
      // the ×100 scale of the contract
      assert.ok(result.spearman > 1 && result.spearman <= 100);
    });
  }

  it('reads a header that names the columns, skips malformed lines, says so on stderr, and evaluates the rest', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-sts-'));
    try {
      const lines = fs.readFileSync(devFile, 'utf8').split('\n').filter(Boolean).slice(0, 40);
      const named = path.join(tmp, 'named-header.csv');
      fs.writeFileSync(
        named,
        ['genre\tfile\tyear\tid\tscore\tsentence1\tsentence2', ...lines.slice(0, 20), 'broken line', ...lines.slice(20)].join('\n') + '\n',
      );
      const run = evalSts(['--model-dir', modelDir, named, '--json']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as StsOutput).pairs, 40);
      assert.match(run.stderr, /skipped 1 line of /);
      assert.match(run.stderr, /line 22: 1 columns/);

      // A first line that names nothing and has no numeric score is data gone wrong, not a header: skipped and named.
      const junk = path.join(tmp, 'junk-first-line.csv');
      fs.writeFileSync(junk, ['a\tb\tc\td\tnot-a-score\tx\ty', ...lines.slice(0, 20), 'broken line', ...lines.slice(20)].join('\n') + '\n');
      const skipped = evalSts(['--model-dir', modelDir, junk, '--json']);
      assert.equal(skipped.status, 0, skipped.stderr);
      assert.equal((JSON.parse(skipped.stdout) as StsOutput).pairs, 40);
      assert.match(skipped.stderr, /skipped 2 lines/);
      assert.match(skipped.stderr, /line 1: score column is not a number/);
      assert.match(skipped.stderr, /line 22: 1 columns/);
      // Same 40 pairs, so the same correlation whichever way the first line was handled.
      assert.equal((JSON.parse(skipped.stdout) as StsOutput).spearman, (JSON.parse(run.stdout) as StsOutput).spearman);

      const human = evalSts(['--model-dir', modelDir, named]);
      assert.equal(human.status, 0);
      assert.match(human.stdout, /40 pairs/);
      assert.match(human.stdout, /Spearman \d+\.\d\d/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a missing file fails with one line naming it', () => {
    const missing = path.join(os.tmpdir(), 'no-such-sts.csv');
    const run = evalSts(['--model-dir', modelDir, missing, '--json']);
    assert.notEqual(run.status, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.ok(run.stderr.includes(missing));
  });
});
