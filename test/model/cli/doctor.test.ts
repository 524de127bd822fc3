import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordDigests, RECORDED_DIGESTS_FILE } from '../../../src/engine/recordedDigests';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';
import { tinyModelDir } from '../../helpers/tinyModels';

interface Report {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

function doctor(args: string[]): { status: number | null; report: Report; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), 'doctor', '--json', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, MINILM_API_KEY: '' },
  });
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

describe('minilm doctor without a backend (real model)', function () {
  it('checks the shared model: found, both dtypes, SHA256SUMS digests, inference and encode', () => {
    const { status, report, stderr } = doctor(['--model-dir', testModelDir()]);
    assert.equal(status, 0, stderr);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((c) => c.name),
      ['model', 'dtypes', 'digests', 'inference', 'encode'],
    );
    assert.match(report.checks[2]!.detail, /files match SHA256SUMS/);
    assert.match(report.checks[4]!.detail, /1 past 256 word pieces/);
  });

  it('names a file that differs from SHA256SUMS, and exits 1', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-doctor-'));
    try {
      fs.cpSync(testModelDir(), copy, { recursive: true });
      for (const file of fs.readdirSync(copy, { recursive: true }) as string[]) fs.chmodSync(path.join(copy, file), 0o755);
      // Same length, same meaning to the loader, different bytes: only the digest can tell.
      const config = path.join(copy, 'config.json');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/\n$/, ' '));
      const { status, report } = doctor(['--model-dir', copy]);
      assert.equal(status, 1);
      const digests = report.checks.find((c) => c.name === 'digests')!;
      assert.equal(digests.ok, false);
      assert.match(digests.detail, /config\.json differs/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('reports a missing model as a problem, exit 1', () => {
    const { status, report } = doctor(['--model-dir', path.join(os.tmpdir(), 'no-such-model-folder')]);
    assert.equal(status, 1);
    assert.equal(report.checks[0]!.name, 'model');
    assert.equal(report.checks[0]!.ok, false);
    assert.match(report.checks[0]!.detail, /No fp32 model/);
  });
});

describe('minilm doctor on an unpinned model (tiny model)', function () {
  let copy: string;
  const source = { repository: 'someone/tiny-bert', revision: 'a'.repeat(40), endpoint: 'https://hub.example' };
  const digestsRow = (report: Report) => report.checks.find((c) => c.name === 'digests')!;

  beforeEach(async () => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-doctor-recorded-'));
    fs.cpSync(tinyModelDir('bert-mean-norm'), copy, { recursive: true });
    // As the first download of an unpinned model leaves it: the files' SHA-256 recorded beside them.
    await recordDigests(copy, source, ['config.json', 'tokenizer.json', 'onnx/model.onnx']);
  });
  afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('checks the files against the digests recorded at download when no pin exists', () => {
    const { report } = doctor(['--model-dir', copy]);
    const digests = digestsRow(report);
    assert.equal(digests.ok, true, digests.detail);
    assert.match(digests.detail, /^3 files match the digests recorded when someone\/tiny-bert@aaaaaaa was downloaded from https:\/\/hub\.example$/);
  });

  it('names a file changed since it was recorded, and exits 1', () => {
    const config = path.join(copy, 'config.json');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/\n?$/, ' '));
    const { status, report } = doctor(['--model-dir', copy]);
    assert.equal(status, 1);
    const digests = digestsRow(report);
    assert.equal(digests.ok, false);
    assert.match(digests.detail, /^config\.json differs \(\w{12}…, expected \w{12}…\), against the digests recorded/);
  });

  it('an unreadable record is a problem naming the file, not a crash', () => {
    fs.writeFileSync(path.join(copy, RECORDED_DIGESTS_FILE), '{"format": "something else"}');
    const { status, report } = doctor(['--model-dir', copy]);
    assert.equal(status, 1);
    const digests = digestsRow(report);
    assert.equal(digests.ok, false);
    assert.match(digests.detail, new RegExp(`${RECORDED_DIGESTS_FILE} is not a digest record this release can read`));
  });
});
