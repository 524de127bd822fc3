import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../src/engine';
import type { ExplainJson } from '../../../src/shared/explainView';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';
import { tinyModelDir } from '../../helpers/tinyModels';

/** test/fixtures/explain-reference.json, written by scripts/explain-reference.py with sentence-transformers 6.2.0. */
interface Side {
  ids: number[];
  tokens: string[];
  special: boolean[];
  truncated: boolean;
  first_row: number[];
}
/** The reference's scores have the CLI's JSON shape (idf: precision and recall weighted over the case's idf_corpus). */
interface Case extends ExplainJson {
  model: string;
  max_seq_length: number;
  texts: [string, string];
  /** Absent in idf cases (their token rows are those of the same texts without idf). */
  a: Side;
  b: Side;
}

const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'explain-reference.json'), 'utf8')) as {
  idf_corpus: string[];
  cases: Case[];
};
const REAL_MODEL = 'all-MiniLM-L6-v2';
/** The real model (../shared/models) for its cases, the tiny generated models for the others. */
const modelDir = (name: string) => (name === REAL_MODEL ? testModelDir() : tinyModelDir(name));
const label = (c: Case) => `${c.idf ? 'idf, ' : ''}${JSON.stringify(c.texts[0].slice(0, 30))}`;
const TOL = 1e-4;

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: ${actual} vs ST ${expected}`);
}

function sameMatrix(actual: number[][], expected: number[][], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  actual.forEach((row, r) => {
    assert.equal(row.length, expected[r]!.length, `${what}: columns of row ${r}`);
    row.forEach((v, c) => near(v, expected[r]![c]!, `${what}[${r}][${c}]`));
  });
}

describe('explain: token embeddings and alignment equal sentence-transformers 6.2.0 (scripts/explain-reference.py)', function () {
  const models = [...new Set(reference.cases.map((c) => c.model))];

  for (const name of models) {
    describe(`engine.tokenEmbeddings on ${name}`, () => {
      let engine: Engine;
      before(() => {
        engine = new Engine({ modelDir: modelDir(name), dtype: 'fp32', cacheEntries: 0, threads: 1 });
      });
      after(() => engine.dispose());

      for (const c of reference.cases.filter((x) => x.model === name && !x.idf)) {
        it(`gives ST's word pieces, special flags and token_embeddings for ${JSON.stringify(c.texts[0].slice(0, 30))} and its pair`, async () => {
          for (const [text, side] of [
            [c.texts[0], c.a],
            [c.texts[1], c.b],
          ] as const) {
            const got = await engine.tokenEmbeddings(text);
            assert.deepEqual(got.ids, side.ids);
            assert.deepEqual(got.tokens, side.tokens);
            assert.deepEqual(got.special, side.special);
            assert.equal(got.embeddings.length, side.ids.length);
            assert.ok(got.ids.length <= c.max_seq_length);
            assert.equal(got.truncated, side.truncated);
            side.first_row.forEach((v, d) => near(got.embeddings[0]![d]!, v, `first row [${d}]`));
          }
        });
      }
    });
  }

  describe('minilm explain --format json', () => {
    let scratch: string;
    let idfCorpus: string;
    before(function () {
      execFileSync(process.execPath, ['esbuild.mjs', '--only=cli,worker'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-explain-'));
      idfCorpus = path.join(scratch, 'corpus.txt');
      fs.writeFileSync(idfCorpus, `${reference.idf_corpus.join('\n')}\n`);
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    for (const c of reference.cases) {
      it(`${c.model}: ${label(c)} vs ${JSON.stringify(c.texts[1].slice(0, 30))}`, () => {
        const idf = c.idf ? ['--idf', idfCorpus] : [];
        const run = spawnSync(
          process.execPath,
          [
            path.join(repoRoot, 'bin', 'minilm.js'),
            'explain',
            '--model-dir',
            modelDir(c.model),
            '--dtype',
            'fp32',
            '--format',
            'json',
            ...idf,
            c.texts[0],
            c.texts[1],
          ],
          {
            cwd: repoRoot,
            encoding: 'utf8',
            env: { ...process.env, NO_COLOR: '1', MINILM_MODEL_DIR: '' },
          },
        );
        assert.equal(run.status, 0, run.stderr);
        const got = JSON.parse(run.stdout) as Omit<Case, 'model' | 'max_seq_length' | 'texts' | 'a' | 'b'>;
        const keys = ['tokens_a', 'tokens_b', 'matrix', 'precision', 'recall', 'f1', 'cosine'];
        assert.deepEqual(Object.keys(got), c.idf ? [...keys, 'idf'] : keys);
        if (c.idf) assert.equal(got.idf, true);
        assert.deepEqual(got.tokens_a, c.tokens_a);
        assert.deepEqual(got.tokens_b, c.tokens_b);
        sameMatrix(got.matrix, c.matrix, 'matrix');
        near(got.precision, c.precision, 'precision');
        near(got.recall, c.recall, 'recall');
        near(got.f1, c.f1, 'f1');
        near(got.cosine, c.cosine, 'cosine');
      });
    }

    it('prints a table with the aligned pairs and the scores', () => {
      const c = reference.cases[0]!;
      const run = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bin', 'minilm.js'), 'explain', '--model-dir', tinyModelDir(c.model), '--top', '3', c.texts[0], c.texts[1]],
        { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MINILM_MODEL_DIR: '' } },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /A piece\s+B piece\s+cosine/);
      assert.match(run.stdout, new RegExp(`F1\\s+${c.f1.toFixed(4)}`));
      assert.match(run.stdout, new RegExp(`cosine\\s+${c.cosine.toFixed(4)}`));
    });

    it('--idf: an empty corpus or stdin asked for both texts and corpus is one clear line, before the model loads', () => {
      const empty = path.join(scratch, 'empty.txt');
      fs.writeFileSync(empty, '');
      const bin = path.join(repoRoot, 'bin', 'minilm.js');
      const none = spawnSync(process.execPath, [bin, 'explain', '--model-dir', path.join(scratch, 'no-model'), '--idf', empty, 'a', 'b'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      assert.notEqual(none.status, 0);
      assert.match(none.stderr, /--idf .*empty\.txt holds no texts/);
      const both = spawnSync(process.execPath, [bin, 'explain', '--model-dir', path.join(scratch, 'no-model'), '--idf', '-', '-'], {
        cwd: repoRoot,
        encoding: 'utf8',
        input: 'a\nb\n',
      });
      assert.notEqual(both.status, 0);
      assert.match(both.stderr, /stdin can hold the texts or the --idf corpus, not both/);
    });

    it('refuses anything but two texts, in one line', () => {
      const run = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bin', 'minilm.js'), 'explain', '--model-dir', tinyModelDir('bert-mean-norm'), 'a', 'b', 'c'],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /exactly two texts, got 3/);
    });
  });
});
