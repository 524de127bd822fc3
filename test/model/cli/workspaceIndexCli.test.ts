import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cosine } from '../../helpers/referenceFixtures';
import { repoRoot, testModelDir } from '../../helpers/sharedPaths';

/** `minilm index` and `minilm query` as the acceptance checks run them: the bundled CLI on a folder it has not seen. */
function minilm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NO_COLOR: '1', MINILM_MODEL_DIR: '' },
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

function ok(args: string[]): string {
  const run = minilm(args);
  assert.equal(run.status, 0, `minilm ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

interface IndexSummary {
  files: number;
  chunks: number;
  embedded_chunks: number;
  skipped_files: number;
  seconds: number;
}

interface QueryHit {
  path: string;
  start_line: number;
  end_line: number;
  score: number;
  text: string;
}

const FILES: Record<string, string> = {
  'notes/cooking.md': [
    '# Kitchen notes',
    '',
    'Preheat the oven before baking bread. Knead the dough for ten minutes.',
    'Let it rise in a warm place until it doubles in size.',
    '',
    '## Soup',
    '',
    'A good stock simmers for hours. Skim the foam from the surface.',
  ].join('\n'),
  'notes/travel.txt': [
    'The train to the coast leaves at seven in the morning.',
    'Book the tickets a week ahead to get a cheaper fare.',
    '',
    'The hotel near the harbour has a view of the fishing boats.',
  ].join('\n'),
  'src/server.ts': [
    'import http from "node:http";',
    '',
    '// Retry the request three times when the network connection drops.',
    'export function fetchWithRetry(url: string) {',
    '  return fetch(url);',
    '}',
  ].join('\n'),
  'docs/finance.md': [
    'Stock prices fell sharply today after the central bank raised interest rates.',
    '',
    'Investors moved their money into government bonds.',
  ].join('\n'),
  'ignored/secret.txt': 'This file is listed in .gitignore and must never be indexed.',
  '.gitignore': 'ignored/\n*.log\n',
  'debug.log': 'A log line that .gitignore leaves out.',
  'package-lock.json': '{"lockfileVersion": 3}',
  'node_modules/left-pad/README.md': 'A dependency: VS Code leaves node_modules out of search by default, and so does the index.',
};

describe('minilm index / minilm query (real model, bundled CLI)', function () {
  this.timeout(300_000);
  let work: string;
  let dir: string;
  let index: string;
  const model = () => ['--model-dir', testModelDir(), '--dtype', 'fp32'];
  const runIndex = () => JSON.parse(ok(['index', dir, '--index', index, ...model(), '--format', 'json'])) as IndexSummary;
  const runQuery = (queries: string[], k = 3) =>
    JSON.parse(ok(['query', '--index', index, ...model(), '--top-k', String(k), '--format', 'json', ...queries])) as QueryHit[][];

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-index-cli-'));
    dir = path.join(work, 'workspace');
    index = path.join(work, 'idx');
    for (const [name, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    fs.writeFileSync(path.join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('indexes the text files, skips and counts the others, and leaves ignored files out', () => {
    const first = runIndex();
    assert.deepEqual(Object.keys(first).sort(), ['chunks', 'embedded_chunks', 'files', 'seconds', 'skipped_files']);
    // cooking, travel, server, finance and .gitignore itself; the lock file and the PNG are skipped.
    assert.equal(first.files, 5);
    assert.equal(first.skipped_files, 2);
    assert.ok(first.chunks >= 8, `expected sentence-level chunks, got ${first.chunks}`);
    assert.equal(first.embedded_chunks, first.chunks);
    const paths = new Set(
      runQuery(['secret file listed in gitignore', 'log line', 'a dependency in node_modules'], 50)
        .flat()
        .map((h) => h.path),
    );
    assert.ok(!paths.has('ignored/secret.txt') && !paths.has('debug.log') && !paths.has('node_modules/left-pad/README.md'), [...paths].join(', '));
  });

  it('finds a paraphrase at the right place, with exact line ranges and the scores of `minilm encode`', () => {
    const queries = ['Shares dropped a lot because interest rates went up.', 'How do I make the dough rise?', 'reconnect when the connection is lost'];
    const hits = runQuery(queries);
    assert.equal(hits.length, 3);
    assert.deepEqual(
      hits.map((list) => list[0]!.path),
      ['docs/finance.md', 'notes/cooking.md', 'src/server.ts'],
    );
    for (const list of hits) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score, 'best first');
      for (const hit of list) {
        const lines = FILES[hit.path]!.split('\n').slice(hit.start_line - 1, hit.end_line);
        assert.ok(hit.start_line >= 1 && hit.end_line >= hit.start_line);
        for (const piece of hit.text.split('\n').filter((l) => l.trim() !== '')) {
          assert.ok(
            lines.some((line) => line.includes(piece.trim())),
            `"${piece}" is not within ${hit.path}:${hit.start_line}-${hit.end_line}`,
          );
        }
      }
    }
    // The score is the cosine of the query's and the chunk's own embeddings.
    const top = hits[1]![0]!;
    const vectors = JSON.parse(ok(['encode', ...model(), '--format', 'json', queries[1]!, top.text])) as number[][];
    assert.ok(Math.abs(cosine(vectors[0]!, vectors[1]!) - top.score) < 1e-5, `${top.score} vs encode`);
  });

  it('embeds nothing on a second run, only the changed file after an edit, and forgets a deleted file', () => {
    const before = runIndex();
    const again = runIndex();
    assert.equal(again.embedded_chunks, 0);
    assert.equal(again.chunks, before.chunks);

    const travel = path.join(dir, 'notes', 'travel.txt');
    fs.writeFileSync(travel, `${FILES['notes/travel.txt']}\n\nThe museum opens at ten and closes at six.`);
    const travelChunks = runQuery(['train tickets and the hotel by the harbour and the museum hours'], 100)[0]!.filter(
      (h) => h.path === 'notes/travel.txt',
    ).length;
    const edited = runIndex();
    assert.ok(edited.embedded_chunks > 0, 'the edited file is embedded again');
    const after = runQuery(['When does the museum open?'], 100)[0]!;
    const travelNow = after.filter((h) => h.path === 'notes/travel.txt').length;
    assert.equal(edited.embedded_chunks, travelNow, "only the edited file's chunks are embedded");
    assert.ok(travelNow >= travelChunks);
    assert.equal(after[0]!.path, 'notes/travel.txt');

    fs.rmSync(path.join(dir, 'docs', 'finance.md'));
    const removed = runIndex();
    assert.equal(removed.embedded_chunks, 0);
    assert.equal(removed.files, edited.files - 1);
    const paths = runQuery(['Stock prices fell sharply today'], 100)[0]!.map((h) => h.path);
    assert.ok(!paths.includes('docs/finance.md'), paths.join(', '));
  });

  it('gives one clear line for a missing index and for a missing folder', () => {
    const missing = minilm(['query', '--index', path.join(work, 'nowhere'), ...model(), 'hello']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /^minilm: no index at .*minilm index/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    const noDir = minilm(['index', path.join(work, 'nope'), '--index', index, ...model()]);
    assert.notEqual(noDir.status, 0);
    assert.match(noDir.stderr, /is not a folder/);
  });
});
