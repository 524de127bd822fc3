import assert from 'node:assert/strict';
import os from 'node:os';
import { InvalidArgumentError, type Option } from 'commander';
import { MAX_BATCH_SIZE, MAX_COUNT, positiveInteger, scoreThreshold, workerCount } from '../../../src/cli/commonOptions';
import { buildProgram } from '../../../src/cli/program';

const refuses = (parse: (value: string) => unknown, value: string) =>
  assert.throws(() => parse(value), InvalidArgumentError, `${JSON.stringify(value)} should be refused`);

describe('CLI numeric options', () => {
  it('counts are positive decimal integers up to a bound', () => {
    const count = positiveInteger();
    assert.equal(count('1'), 1);
    assert.equal(count(' 42 '), 42);
    assert.equal(count(String(MAX_COUNT)), MAX_COUNT);
    for (const bad of ['0', '-1', '1.5', '1e3', '0x10', '', ' ', 'ten', String(MAX_COUNT + 1), '99999999999999999999']) refuses(count, bad);
    const batch = positiveInteger(MAX_BATCH_SIZE, ' (larger batches only take more memory)');
    assert.equal(batch('512'), 512);
    assert.throws(() => batch('513'), /at most 512 \(larger batches only take more memory\)/);
  });

  it('--workers is at most the cores this process may use', () => {
    const cores = os.availableParallelism();
    assert.equal(workerCount(String(cores)), cores);
    refuses(workerCount, '0');
    assert.throws(() => workerCount(String(cores + 1)), new RegExp(`at most ${cores} \\(this machine runs ${cores} threads? at once`));
  });

  it('a score threshold is a cosine, from -1 to 1', () => {
    for (const [text, value] of [
      ['0.75', 0.75],
      ['-1', -1],
      ['1', 1],
      ['0', 0],
      ['.5', 0.5],
      ['+0.3', 0.3],
      ['5e-1', 0.5],
    ] as const) {
      assert.equal(scoreThreshold(text), value);
    }
    for (const bad of ['1.01', '-1.5', '5', '75', 'NaN', 'Infinity', '0x1', '', 'high']) refuses(scoreThreshold, bad);
  });

  it('every numeric option of every command refuses nonsense, out-of-range and absurdly large values', () => {
    const numeric: string[] = [];
    for (const command of buildProgram().commands) {
      for (const option of command.options as Option[]) {
        if (typeof option.defaultValue !== 'number') continue;
        const name = `${command.name()} ${option.long}`;
        numeric.push(name);
        const parse = option.parseArg;
        assert.ok(parse, `${name} has no parser`);
        const check = (value: string) => parse(value, option.defaultValue as number);
        assert.equal(check(String(option.defaultValue)), option.defaultValue, `${name} accepts its default`);
        for (const bad of ['', 'abc', '-5', '1e999', '99999999999999999999', '100000000000']) {
          assert.throws(() => check(bad), InvalidArgumentError, `${name} ${JSON.stringify(bad)}`);
        }
      }
    }
    // The sweep found them all (a new numeric option joins it by having a number as its default).
    for (const expected of [
      'encode --batch-size',
      'encode --workers',
      'search --top-k',
      'search --corpus-chunk-size',
      'mine --max-pairs',
      'cluster --threshold',
      'cluster --min-size',
      'eval-sts --workers',
    ]) {
      assert.ok(numeric.includes(expected), `${expected} is not among ${numeric.join(', ')}`);
    }
  });
});
