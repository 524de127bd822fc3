import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/sharedPaths';
import { cosineOf, normOf, tinyFixtures, tinyModelDir } from '../../helpers/tinyModels';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The bundled CLI as `npx minilm` runs it (bin/minilm.js → dist/cli.js). */
function minilm(args: string[]): Run {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NO_COLOR: '1', MINILM_MODEL_DIR: '' },
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr };
}

function ok(args: string[]): string {
  const run = minilm(args);
  assert.equal(run.status, 0, `minilm ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

/** A failure is one line on stderr, with no stack trace. */
function fails(args: string[]): string {
  const run = minilm(args);
  assert.notEqual(run.status, 0, `minilm ${args.join(' ')} should fail`);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  return run.stderr;
}

const fixtures = tinyFixtures();

describe('CLI contract on tiny sentence-transformers folders: encode --model-dir DIR follows DIR as ST does', function () {
  let tmp: string;
  let input: string;
  before(function () {
    execFileSync(process.execPath, ['esbuild.mjs', '--only=cli,worker'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-tiny-cli-'));
    input = path.join(tmp, 'texts.jsonl');
    fs.writeFileSync(input, fixtures.texts.map((t) => JSON.stringify({ text: t })).join('\n') + '\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: [string, string][] = [
    ['bert-cls', 'none'],
    ['bert-max-dense', 'none'],
    ['bert-mean-sqrt-len', 'none'],
    ['bert-prompts-include', 'none'],
    ['bert-prompts-include', 'prompt_name:passage'],
    ['bert-prompts-include', 'prompt:empty'],
    ['bert-prompts-exclude', 'prompt_name:query'],
    ['xlmr-prompts-exclude', 'prompt_name:passage'],
    ['xlmr-unigram-mean', 'prompt:explicit'],
  ];
  for (const [name, settingName] of cases) {
    it(`${name}, ${settingName}: cosine ≥ 0.99999 and norms within 1e-4 of ST`, () => {
      const model = fixtures.models[name]!;
      const setting = model.settings.find((s) => s.name === settingName)!;
      const args = ['encode', '--model-dir', tinyModelDir(name), '--dtype', 'fp32', '--input', input, '--format', 'json', '--no-progress'];
      if (setting.encode_kwargs.prompt_name !== undefined) args.push('--prompt-name', setting.encode_kwargs.prompt_name);
      if (setting.encode_kwargs.prompt !== undefined) args.push('--prompt', setting.encode_kwargs.prompt);
      const vectors = JSON.parse(ok(args)) as number[][];
      assert.equal(vectors.length, model.texts.length);
      vectors.forEach((vector, i) => {
        assert.equal(vector.length, model.dimension);
        const cos = cosineOf(vector, setting.embeddings[i]!);
        assert.ok(cos >= 0.99999, `text ${i}: cosine ${cos}`);
        assert.ok(Math.abs(normOf(vector) - setting.norms[i]!) <= 1e-4 * setting.norms[i]!, `text ${i}: norm ${normOf(vector)} vs ${setting.norms[i]}`);
      });
    });
  }

  it('search: --prompt-name applies to the queries, --corpus-prompt-name to the corpus', () => {
    const model = fixtures.models['bert-prompts-exclude']!;
    const corpus = path.join(tmp, 'corpus.txt');
    const texts = model.texts.filter((t) => t.trim() !== '' && !t.includes('\n'));
    fs.writeFileSync(corpus, texts.join('\n') + '\n');
    const dir = tinyModelDir('bert-prompts-exclude');
    const query = 'hello world';
    const hits = (extra: string[]) =>
      JSON.parse(ok(['search', '--model-dir', dir, '--corpus', corpus, '--format', 'json', '-k', '3', '--no-progress', ...extra, query])) as {
        corpus_id: number;
        score: number;
      }[][];
    const encode = (text: string, promptName: string) =>
      JSON.parse(ok(['encode', '--model-dir', dir, '--format', 'json', '--no-progress', '--prompt-name', promptName, text])) as number[][];
    const [top] = hits(['--prompt-name', 'query', '--corpus-prompt-name', 'passage'])[0]!;
    const expected = cosineOf(encode(query, 'query')[0]!, encode(texts[top!.corpus_id]!, 'passage')[0]!);
    assert.ok(Math.abs(top!.score - expected) < 1e-5, `${top!.score} vs ${expected}`);
    const [plain] = hits([])[0]!;
    assert.notEqual(plain!.score.toFixed(6), top!.score.toFixed(6));
  });

  it("similarity and matrix score with the model's similarity_fn_name, as model.similarity does, and name it in JSON", () => {
    const texts = fixtures.texts.filter((t) => t.trim() !== '').slice(0, 3);
    const distance = (a: number[], b: number[], p: number) =>
      Math.pow(
        a.reduce((sum, x, i) => sum + Math.pow(Math.abs(x - b[i]!), p), 0),
        1 / p,
      );
    // sentence-transformers 6.2.0: cos_sim, dot_score, and -cdist(p=2) / -cdist(p=1) for euclidean / manhattan.
    const reference: Record<string, (a: number[], b: number[]) => number> = {
      cosine: (a, b) => cosineOf(a, b),
      dot: (a, b) => a.reduce((sum, x, i) => sum + x * b[i]!, 0),
      euclidean: (a, b) => -distance(a, b, 2),
      manhattan: (a, b) => -distance(a, b, 1),
    };
    for (const name of ['bert-cls', 'bert-lasttoken', 'bert-mean-sqrt-len', 'bert-mean-norm']) {
      const model = fixtures.models[name]!;
      const st = texts.map((t) => model.settings.find((s) => s.name === 'none')!.embeddings[model.texts.indexOf(t)]!);
      const fn = model.similarity_fn_name;
      const similarity = JSON.parse(ok(['similarity', '--model-dir', tinyModelDir(name), '--json', '--no-progress', ...texts])) as {
        similarity_fn: string;
        scores: number[];
      };
      assert.equal(similarity.similarity_fn, fn, name);
      similarity.scores.forEach((score, k) => {
        const expected = reference[fn]!(st[0]!, st[k + 1]!);
        assert.ok(Math.abs(score - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `${name} ${fn}: ${score} vs ST ${expected}`);
      });
      const matrix = JSON.parse(ok(['matrix', '--model-dir', tinyModelDir(name), '--format', 'json', '--no-progress', ...texts])) as {
        similarity_fn: string;
        matrix: number[][];
      };
      assert.equal(matrix.similarity_fn, fn);
      assert.ok(Math.abs(matrix.matrix[0]![2]! - similarity.scores[1]!) <= 1e-4 * Math.max(1, Math.abs(similarity.scores[1]!)));
    }
  });

  it('info prints pooling, normalize, similarity function and prompts', () => {
    const text = ok(['info', '--model-dir', tinyModelDir('bert-prompts-include'), '--no-progress']);
    assert.match(text, /pooling\s+mean/);
    assert.match(text, /normalize\s+yes/);
    assert.match(text, /similarity\s+dot/);
    assert.match(text, /query: "query: "/);
    assert.match(text, /\(default: query\)/);
    const json = JSON.parse(ok(['info', '--model-dir', tinyModelDir('bert-max-dense'), '--json', '--no-progress'])) as Record<string, unknown>;
    assert.equal(json.dimension, 24);
    assert.deepEqual(json.pooling, ['max']);
    assert.deepEqual(json.dense, [{ inFeatures: 32, outFeatures: 24, activation: 'tanh' }]);
  });

  it("an unknown prompt name is one line naming the model's prompts", () => {
    const message = fails(['encode', '--model-dir', tinyModelDir('bert-prompts-exclude'), '--prompt-name', 'qeury', 'hello']);
    assert.match(message, /no prompt named "qeury"/);
    assert.match(message, /"query", "document", "passage"/);
  });

  it('an unsupported module type in modules.json is one line naming it', () => {
    const copy = path.join(tmp, 'custom-module');
    fs.cpSync(tinyModelDir('bert-mean-norm'), copy, { recursive: true });
    const modules = JSON.parse(fs.readFileSync(path.join(copy, 'modules.json'), 'utf8')) as { type: string }[];
    modules.splice(2, 0, { idx: 2, name: '2', path: '2_LayerNorm', type: 'sentence_transformers.models.LayerNorm' } as never);
    fs.writeFileSync(path.join(copy, 'modules.json'), JSON.stringify(modules));
    const message = fails(['encode', '--model-dir', copy, 'hello']);
    assert.match(message, /sentence_transformers\.models\.LayerNorm/);
  });

  it('a folder without the ONNX file for the dtype is one line naming the folder and the file', () => {
    const copy = path.join(tmp, 'no-onnx');
    fs.cpSync(tinyModelDir('bert-cls'), copy, { recursive: true });
    fs.rmSync(path.join(copy, 'onnx'), { recursive: true });
    const message = fails(['encode', '--model-dir', copy, 'hello']);
    assert.match(message, /no-onnx/);
    assert.match(message, /onnx\/model\.onnx/);
    assert.doesNotMatch(message, /all-MiniLM/);
  });
});
