import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cosine } from '../../helpers/referenceFixtures';
import { startServe, stopServe, type ServeProcess } from '../../helpers/minilmServe';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';

const KEY = 'remote-test-key';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The bundled CLI as `npx minilm` runs it, with the server's key in the environment unless `key` says otherwise. */
function minilm(args: string[], key: string = KEY, cwd = repoRoot): Run {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NO_COLOR: '1', MINILM_API_KEY: key, MINILM_MODEL_DIR: testModelDir() },
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function ok(args: string[]): string {
  const run = minilm(args);
  assert.equal(run.status, 0, `minilm ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

/** A failure is one line on stderr and nothing on stdout. */
function failsWithOneLine(run: Run): string {
  assert.notEqual(run.status, 0, `expected a failure, got ${run.stdout.slice(0, 200)}`);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  assert.equal(run.stdout, '');
  return lines[0]!;
}

/** `node bin/minilm.js serve --port 0` with a key and truncation, until it prints its address. */
const TEXTS = [
  'A man is playing a guitar.',
  '今天天气很好。',
  'Semantic search finds meaning, not words.',
  Array.from({ length: 60 }, (_, i) => `word${i} and more`).join(' '),
];

describe('remote backends against minilm serve (real model)', function () {
  let server: ServeProcess;
  let local: number[][];
  let work: string;

  before(async () => {
    server = await startServe(['--workers', '1', '--api-key', KEY, '--auto-truncate']);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-remote-'));
    local = JSON.parse(ok(['encode', '--json', ...TEXTS])) as number[][];
  });

  after(async () => {
    await stopServe(server);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const vectorsFrom = (stdout: string) => JSON.parse(stdout) as number[][];

  for (const [backend, suffix] of [
    ['tei', ''],
    ['openai', '/v1'],
  ] as const) {
    it(`encode --backend ${backend}: the local vectors (cosine >= 0.99999), long and Chinese texts included`, () => {
      const remote = vectorsFrom(ok(['encode', '--json', '--backend', backend, '--endpoint', server.url + suffix, ...TEXTS]));
      assert.equal(remote.length, TEXTS.length);
      remote.forEach((vector, i) => assert.ok(cosine(vector, local[i]!) >= 0.99999, `text ${i}: cosine ${cosine(vector, local[i]!)}`));
    });

    it(`doctor --backend ${backend}: worst cosine >= 0.99999, exit 0`, () => {
      const report = JSON.parse(ok(['doctor', '--json', '--backend', backend, '--endpoint', server.url + suffix])) as {
        worst: number;
        ok: boolean;
        cosines: number[];
        remote_model: string;
      };
      assert.equal(report.ok, true);
      assert.ok(report.worst >= 0.99999, `worst ${report.worst}`);
      assert.equal(report.cosines.length, 6);
      assert.equal(report.remote_model, 'all-MiniLM-L6-v2');
    });
  }

  it('doctor exits 1 when the backend serves other weights (local q8 against the fp32 server)', () => {
    const run = minilm(['doctor', '--json', '--dtype', 'q8', '--backend', 'tei', '--endpoint', server.url]);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { worst: number; ok: boolean };
    assert.equal(report.ok, false);
    assert.ok(report.worst < 0.999, `worst ${report.worst}`);
  });

  it('similarity --backend tei scores as the local engine does', () => {
    const args = ['similarity', '--json', TEXTS[0]!, TEXTS[2]!, TEXTS[1]!];
    const here = JSON.parse(ok(args)) as { similarity_fn: string; scores: number[] };
    const there = JSON.parse(ok([...args, '--backend', 'tei', '--endpoint', server.url])) as { similarity_fn: string; scores: number[] };
    assert.equal(there.similarity_fn, 'cosine');
    assert.equal(here.similarity_fn, 'cosine');
    there.scores.forEach((score, i) => assert.ok(Math.abs(score - here.scores[i]!) < 1e-5, `${score} vs ${here.scores[i]}`));
  });

  it('without the key: one line naming --api-key and MINILM_API_KEY', () => {
    const line = failsWithOneLine(minilm(['encode', 'x', '--backend', 'openai', '--endpoint', `${server.url}/v1`], ''));
    assert.match(line, /refused the request \(401.*--api-key or the MINILM_API_KEY/);
  });

  it('index and query through tei; the index records the backend, and a local query is refused', () => {
    const docs = path.join(work, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'music.md'), 'A man is playing a guitar on stage.\n');
    fs.writeFileSync(path.join(docs, 'weather.md'), 'Rain is expected tomorrow afternoon.\n');
    const index = path.join(work, 'index');
    const remote = ['--backend', 'tei', '--endpoint', server.url];
    ok(['index', docs, '--index', index, ...remote]);
    const manifest = JSON.parse(fs.readFileSync(path.join(index, 'minilm-index.json'), 'utf8')) as {
      identity: { backend: string; model: string; dimension: number };
    };
    assert.deepEqual([manifest.identity.backend, manifest.identity.model, manifest.identity.dimension], ['tei', 'all-MiniLM-L6-v2', 384]);
    const [hits] = JSON.parse(ok(['query', '--json', '--index', index, 'someone plays music', ...remote])) as { path: string }[][];
    assert.equal(hits![0]!.path, 'music.md');
    const line = failsWithOneLine(minilm(['query', '--index', index, 'music']));
    assert.match(line, /built with the tei backend's all-MiniLM-L6-v2 \(384 dimensions\).*--backend tei/);
  });

  it('explain refuses a remote backend with one line', () => {
    const line = failsWithOneLine(minilm(['explain', 'a', 'b', '--backend', 'tei', '--endpoint', server.url]));
    assert.match(line, /explain needs the local model/);
  });
});
