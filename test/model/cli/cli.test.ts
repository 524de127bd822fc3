import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../src/engine';
import { cosine, loadReferenceEmbeddings } from '../../helpers/referenceFixtures';
import { repoRoot, sharedFile, testModelDir } from '../../helpers/sharedPaths';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  /** Run as this user (needs root): permission checks do not apply to root. */
  uid?: number;
  /** Where the child's stdout goes (default: a pipe, returned as `stdout`). */
  stdout?: number;
}

/** Runs the bundled CLI exactly as `npx minilm` does (bin/minilm.js → dist/cli.js). */
function minilm(args: string[], options: RunOptions = {}): Run {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1' },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    ...(options.stdout === undefined ? {} : { stdio: ['pipe', options.stdout, 'pipe'] }),
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr };
}

function ok(args: string[], options: RunOptions = {}): string {
  const run = minilm(args, options);
  assert.equal(run.status, 0, `minilm ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

function jsonOf<T>(args: string[], options: { input?: string } = {}): T {
  return JSON.parse(ok(args, options)) as T;
}

/** A failure is exactly one line on stderr, with no stack trace. */
function fails(args: string[], options: RunOptions = {}): string {
  const run = minilm(args, options);
  assert.notEqual(run.status, 0, `expected failure, got stdout ${run.stdout.slice(0, 200)}`);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '' && !/^npm warn/i.test(l));
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  assert.doesNotMatch(lines[0], /\n\s+at /);
  assert.equal(run.stdout, '');
  return lines[0];
}

function writeJsonl(file: string, texts: readonly string[]): void {
  fs.writeFileSync(file, texts.map((t, i) => JSON.stringify(i % 3 === 1 ? { text: t, id: i } : t)).join('\n') + '\n');
}

/** Distinct sentences from STS-B dev (no duplicates, so exact score ties are not expected). */
function stsSentences(count: number): string[] {
  const seen = new Set<string>();
  for (const line of fs.readFileSync(sharedFile('datasets', 'stsbenchmark', 'sts-dev.csv'), 'utf8').split('\n')) {
    const cells = line.split('\t');
    for (const s of [cells[5], cells[6]]) if (s && seen.size < count) seen.add(s);
  }
  return [...seen];
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe('minilm CLI contract (real model, bundled CLI)', function () {
  const modelDir = testModelDir();
  let tmp: string;
  let corpusFile: string;
  let queriesFile: string;
  let corpus: string[];
  let queries: string[];
  const vectorsOf: Record<string, number[][]> = {};

  before(function () {
    execFileSync(process.execPath, ['esbuild.mjs', '--only=cli,worker'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-cli-'));
    const sentences = stsSentences(140);
    corpus = sentences.slice(0, 120);
    queries = sentences.slice(120, 140);
    corpusFile = path.join(tmp, 'corpus.jsonl');
    queriesFile = path.join(tmp, 'queries.jsonl');
    writeJsonl(corpusFile, corpus);
    writeJsonl(queriesFile, queries);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const common = (dtype: string) => ['--model-dir', modelDir, '--dtype', dtype];

  for (const dtype of ['fp32', 'q8'] as const) {
    describe(dtype, () => {
      before(() => {
        vectorsOf[`corpus-${dtype}`] = jsonOf<number[][]>(['encode', ...common(dtype), '--input', corpusFile, '--format', 'json']);
        vectorsOf[`queries-${dtype}`] = jsonOf<number[][]>(['encode', ...common(dtype), '--input', queriesFile, '--format', 'json']);
      });

      it('encode --format json prints one 384-float unit vector per line of input, equal to Engine.encode', async () => {
        const printed = vectorsOf[`corpus-${dtype}`];
        assert.equal(printed.length, corpus.length);
        const engine = new Engine({ modelDir, dtype });
        try {
          const direct = await engine.encode(corpus);
          printed.forEach((v, i) => {
            assert.equal(v.length, 384);
            assert.ok(v.every((x) => typeof x === 'number' && Number.isFinite(x)));
            // full float32 precision: the printed numbers are the exact float32 values
            assert.ok(
              v.every((x) => Math.fround(x) === x),
              `vector ${i} is not printed at float32 precision`,
            );
            assert.ok(maxAbsDiff(v, direct[i]) === 0, `vector ${i} differs from Engine.encode`);
          });
        } finally {
          await engine.dispose();
        }
      });

      it('search --format json returns util.semantic_search hits: the true top-k by cosine, best first', () => {
        const k = 5;
        const hits = jsonOf<{ corpus_id: number; score: number }[][]>([
          'search',
          ...common(dtype),
          '--corpus',
          corpusFile,
          '--queries',
          queriesFile,
          '--top-k',
          String(k),
          '--format',
          'json',
        ]);
        const C = vectorsOf[`corpus-${dtype}`];
        const Q = vectorsOf[`queries-${dtype}`];
        assert.equal(hits.length, queries.length);
        hits.forEach((list, q) => {
          assert.equal(list.length, k);
          list.forEach((h) => assert.deepEqual(Object.keys(h), ['corpus_id', 'score']));
          const brute = C.map((c, id) => ({ id, score: cosine(Q[q], c) })).sort((a, b) => b.score - a.score || a.id - b.id);
          assert.deepEqual(
            list.map((h) => h.corpus_id),
            brute.slice(0, k).map((b) => b.id),
            `query ${q}`,
          );
          list.forEach((h, r) => {
            assert.ok(Math.abs(h.score - brute[r].score) < 1e-5, `query ${q} rank ${r}: ${h.score} vs ${brute[r].score}`);
            if (r > 0) assert.ok(h.score <= list[r - 1].score);
          });
        });
      });

      it('mine --format json returns util.paraphrase_mining pairs [score, i, j], i < j, best first', () => {
        const C = vectorsOf[`corpus-${dtype}`];
        const n = C.length;
        const score = (i: number, j: number) => cosine(C[i], C[j]);
        // top_k >= n - 1 and a large max_pairs: every pair, sorted.
        const all = jsonOf<[number, number, number][]>([
          'mine',
          ...common(dtype),
          '--input',
          corpusFile,
          '--top-k',
          String(n),
          '--max-pairs',
          '100000',
          '--format',
          'json',
        ]);
        assert.equal(all.length, (n * (n - 1)) / 2);
        all.forEach(([s, i, j], r) => {
          assert.ok(i < j && j < n);
          assert.ok(Math.abs(s - score(i, j)) < 1e-5);
          if (r > 0) assert.ok(s <= all[r - 1][0]);
        });
        // top_k 3: a pair is a candidate when either text is among the other's 4 best (itself included).
        const k = 3;
        const candidates = new Set<string>();
        for (let i = 0; i < n; i++) {
          const best = C.map((_, j) => ({ j, s: score(i, j) }))
            .sort((a, b) => b.s - a.s || a.j - b.j)
            .slice(0, k + 1);
          for (const { j } of best) if (j !== i) candidates.add(`${Math.min(i, j)},${Math.max(i, j)}`);
        }
        const limited = jsonOf<[number, number, number][]>(['mine', ...common(dtype), '--input', corpusFile, '--top-k', String(k), '--format', 'json']);
        assert.deepEqual(new Set(limited.map(([, i, j]) => `${i},${j}`)), candidates);
        // max_pairs caps the result to the best pairs
        const capped = jsonOf<[number, number, number][]>([
          'mine',
          ...common(dtype),
          '--input',
          corpusFile,
          '--top-k',
          String(k),
          '--max-pairs',
          '20',
          '--format',
          'json',
        ]);
        assert.ok(capped.length > 0 && capped.length <= 20);
        assert.deepEqual(
          capped.map(([, i, j]) => [i, j]),
          limited.slice(0, capped.length).map(([, i, j]) => [i, j]),
        );
      });

      it('cluster --format json returns util.community_detection communities [centre, ...], largest first', () => {
        const C = vectorsOf[`corpus-${dtype}`];
        const threshold = 0.55;
        const minSize = 2;
        const communities = jsonOf<number[][]>([
          'cluster',
          ...common(dtype),
          '--input',
          corpusFile,
          '--threshold',
          String(threshold),
          '--min-size',
          String(minSize),
          '--format',
          'json',
        ]);
        // Reference (sentence-transformers 6.2.0): every row proposes itself as centre with its neighbours at or
        // above the threshold (ordered by similarity); largest proposals first; a proposal whose centre is taken is
        // dropped, otherwise members already taken are removed and [centre, ...rest] is kept if still big enough.
        const proposals: Array<{ centre: number; members: number[] }> = [];
        for (let i = 0; i < C.length; i++) {
          const near = C.map((c, j) => ({ j, s: Math.fround(cosine(C[i], c)) })).filter((x) => x.s >= Math.fround(threshold));
          if (near.length >= minSize) proposals.push({ centre: i, members: near.sort((a, b) => b.s - a.s || a.j - b.j).map((x) => x.j) });
        }
        proposals.sort((a, b) => b.members.length - a.members.length);
        const taken = new Set<number>();
        const expected: number[][] = [];
        for (const { centre, members } of proposals) {
          if (taken.has(centre)) continue;
          const rest = members.filter((x) => !taken.has(x));
          if (rest.length >= minSize) {
            const community = [centre, ...rest.filter((x) => x !== centre)];
            community.forEach((x) => taken.add(x));
            expected.push(community);
          }
        }
        expected.sort((a, b) => b.length - a.length);
        assert.ok(expected.length > 0, 'test data should form communities at this threshold');
        assert.deepEqual(communities, expected);
        // Python's defaults (0.75, 10) are the CLI's defaults: no community of 10 in these distinct sentences.
        assert.deepEqual(jsonOf<number[][]>(['cluster', ...common(dtype), '--input', corpusFile, '--format', 'json']), []);
      });
    });
  }

  it('encode matches the PyTorch reference embeddings (empty, whitespace, CJK, emoji, > 256 word pieces)', () => {
    const reference = loadReferenceEmbeddings();
    const file = path.join(tmp, 'reference.jsonl');
    writeJsonl(file, reference.texts);
    const vectors = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--input', file, '--format', 'json']);
    assert.equal(vectors.length, reference.texts.length);
    vectors.forEach((v, i) => assert.ok(cosine(v, reference.embeddings[i]) >= 0.99999, `text ${i}: ${cosine(v, reference.embeddings[i])}`));
  });

  it('encode --workers 2 splits the work between two model copies and still matches the PyTorch reference', () => {
    const reference = loadReferenceEmbeddings();
    const file = path.join(tmp, 'reference-workers.jsonl');
    writeJsonl(file, reference.texts);
    // A small batch size makes even this short list large enough to be split.
    assert.ok(reference.texts.length >= 2 * 2 * 4);
    const run = minilm(['encode', '--model-dir', modelDir, '--workers', '2', '--batch-size', '4', '--verbose', '--input', file, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /with 2 workers × \d+ threads?/);
    const vectors = JSON.parse(run.stdout) as number[][];
    assert.equal(vectors.length, reference.texts.length);
    vectors.forEach((v, i) => assert.ok(cosine(v, reference.embeddings[i]) >= 0.99999, `text ${i}: ${cosine(v, reference.embeddings[i])}`));
    assert.match(fails(['encode', '--model-dir', modelDir, '--workers', '0', 'x']), /--workers.*positive integer/);
  });

  describe('input formats', () => {
    const texts = ['first line\nsecond line', 'tab\there', 'plain "quoted" text, with comma', '東京 🚀'];
    let expected: number[][];
    before(() => {
      const file = path.join(tmp, 'special.jsonl');
      writeJsonl(file, texts);
      expected = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--input', file, '--format', 'json']);
    });

    it('jsonl keeps newlines and tabs inside texts (each text is one vector)', () => {
      assert.equal(expected.length, 4);
      const single = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', texts[0]]);
      assert.ok(maxAbsDiff(single[0], expected[0]) < 1e-6);
      const joined = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', 'first line']);
      assert.ok(cosine(joined[0], expected[0]) < 0.999, 'the second line must be part of the text');
    });

    it('csv --column reads the named column with quoting; txt reads one text per line; stdin with -', () => {
      const csv = path.join(tmp, 'texts.csv');
      fs.writeFileSync(csv, `id,sentence\n${texts.map((t, i) => `${i},"${t.replace(/"/g, '""')}"`).join('\n')}\n`);
      const fromCsv = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--input', csv, '--column', 'sentence', '--format', 'json']);
      assert.equal(fromCsv.length, 4);
      fromCsv.forEach((v, i) => assert.ok(maxAbsDiff(v, expected[i]) < 1e-6, `csv text ${i}`));

      const oneLine = texts.slice(2);
      const txt = path.join(tmp, 'texts.txt');
      fs.writeFileSync(txt, oneLine.join('\n') + '\n');
      const fromTxt = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--input', txt, '--format', 'json']);
      assert.equal(fromTxt.length, 2);
      fromTxt.forEach((v, i) => assert.ok(maxAbsDiff(v, expected[i + 2]) < 1e-6));

      const fromStdin = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', '-'], { input: oneLine.join('\n') });
      fromStdin.forEach((v, i) => assert.ok(maxAbsDiff(v, expected[i + 2]) < 1e-6));
      const jsonlStdin = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', '--input', '-', '--input-format', 'jsonl'], {
        input: JSON.stringify(texts[1]),
      });
      assert.ok(maxAbsDiff(jsonlStdin[0], expected[1]) < 1e-6);
    });

    it('npy and csv outputs hold the same float32 values; tsv writes Embedding Projector files', () => {
      // --out names a file in an existing folder (a missing folder is an error, not created).
      fs.mkdirSync(path.join(tmp, 'out'), { recursive: true });
      const npy = path.join(tmp, 'out', 'v.npy');
      ok(['encode', '--model-dir', modelDir, '--input', path.join(tmp, 'special.jsonl'), '--format', 'npy', '--out', npy]);
      const bytes = fs.readFileSync(npy);
      assert.equal(bytes.subarray(1, 6).toString('latin1'), 'NUMPY');
      assert.match(bytes.toString('latin1', 10, 128), /'shape': \(4, 384\)/);
      const dataStart = bytes.length - 4 * 384 * 4;
      assert.equal(bytes.readFloatLE(dataStart + 4 * 385), Math.fround(expected[1][1]));

      const csvOut = ok(['encode', '--model-dir', modelDir, '--input', path.join(tmp, 'special.jsonl'), '--format', 'csv']);
      assert.match(csvOut, /^text,dim_0,dim_1,/);

      const folder = path.join(tmp, 'projector');
      const printed = ok(['encode', '--model-dir', modelDir, '--input', path.join(tmp, 'special.jsonl'), '--format', 'tsv', '--out', folder]);
      assert.deepEqual(printed.trim().split('\n'), [path.join(folder, 'tensors.tsv'), path.join(folder, 'metadata.tsv')]);
      assert.equal(fs.readFileSync(path.join(folder, 'tensors.tsv'), 'utf8').trim().split('\n').length, 4);
      assert.equal(fs.readFileSync(path.join(folder, 'metadata.tsv'), 'utf8').split('\n')[0], 'first line second line');
    });

    it('the default output is a table for people', () => {
      const table = ok(['encode', '--model-dir', modelDir, 'hello world']);
      assert.match(table, /tokens/);
      assert.match(table, /hello world/);
      assert.throws(() => JSON.parse(table));
    });
  });

  describe('similarity and matrix', () => {
    it('similarity prints the cosine of the first text with the others, naming cosine; matrix is symmetric with a unit diagonal', () => {
      const texts = ['A man is playing a guitar.', 'Someone plays an instrument.', 'The stock market fell today.'];
      const vectors = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', ...texts]);
      const { similarity_fn, scores } = jsonOf<{ similarity_fn: string; scores: number[] }>(['similarity', '--model-dir', modelDir, '--json', ...texts]);
      assert.equal(similarity_fn, 'cosine', "all-MiniLM-L6-v2's similarity_fn_name");
      assert.equal(scores.length, 2);
      assert.ok(Math.abs(scores[0] - cosine(vectors[0], vectors[1])) < 1e-6);
      assert.ok(scores[0] > scores[1]);
      const printed = jsonOf<{ similarity_fn: string; matrix: number[][] }>(['matrix', '--model-dir', modelDir, '--format', 'json', ...texts]);
      assert.deepEqual(Object.keys(printed), ['similarity_fn', 'matrix']);
      assert.equal(printed.similarity_fn, 'cosine');
      const matrix = printed.matrix;
      assert.equal(matrix.length, 3);
      for (let i = 0; i < 3; i++) {
        assert.ok(Math.abs(matrix[i][i] - 1) < 1e-6);
        for (let j = 0; j < 3; j++) assert.equal(matrix[i][j], matrix[j][i]);
      }
      assert.ok(Math.abs(matrix[0][2] - scores[1]) < 1e-6);
    });
  });

  describe('examples', () => {
    it('writes one results/test_YYYYMMDD_HHMMSS.json with texts, matrix and timestamp, and prints its path', () => {
      const outDir = path.join(tmp, 'results');
      const printed = ok(['examples', '--model-dir', modelDir, '--out-dir', outDir]).trim();
      assert.match(path.basename(printed), /^test_\d{8}_\d{6}\.json$/);
      assert.equal(path.dirname(printed), outDir);
      assert.deepEqual(fs.readdirSync(outDir), [path.basename(printed)]);
      const doc = JSON.parse(fs.readFileSync(printed, 'utf8')) as { texts: string[]; matrix: number[][]; timestamp: string; dtype: string };
      assert.ok(doc.texts.length >= 10);
      assert.equal(doc.matrix.length, doc.texts.length);
      assert.ok(!Number.isNaN(Date.parse(doc.timestamp)));
      assert.equal(doc.dtype, 'fp32');
      const vectors = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', doc.texts[0], doc.texts[1]]);
      assert.ok(Math.abs(doc.matrix[0][1] - cosine(vectors[0], vectors[1])) < 1e-6);
      // a second run in the same second does not overwrite the first
      const second = ok(['examples', '--model-dir', modelDir, '--out-dir', outDir, '--quiet']).trim();
      assert.notEqual(second, printed);
      assert.equal(fs.readdirSync(outDir).length, 2);
    });
  });

  describe('--out', () => {
    const posix = process.platform !== 'win32';
    const texts = ['A man is playing a guitar.', 'Someone plays an instrument.'];
    let expected: string;
    before(() => {
      expected = ok(['encode', '--model-dir', modelDir, '--format', 'json', ...texts]);
    });

    it('writes through a symbolic link (the link stays a link) and keeps the mode of the file it replaces', function () {
      if (!posix) this.skip();
      const dir = fs.mkdtempSync(path.join(tmp, 'link-'));
      const target = path.join(dir, 'vectors.json');
      fs.writeFileSync(target, 'old');
      fs.chmodSync(target, 0o600);
      const link = path.join(dir, 'latest.json');
      fs.symlinkSync('vectors.json', link);
      assert.equal(ok(['encode', '--model-dir', modelDir, '--format', 'json', '--out', link, ...texts]), '');
      assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
      assert.equal(fs.readFileSync(target, 'utf8'), expected);
      assert.equal(fs.statSync(target).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['latest.json', 'vectors.json']);
    });

    it('streams into a named pipe and a character device; /dev/stdout is stdout, also when the shell appends it to a file', async function () {
      if (!posix) this.skip();
      const dir = fs.mkdtempSync(path.join(tmp, 'stream-'));
      // A named pipe with a reader (another process, so that a pipe replaced by a file can be cleaned up).
      const fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const reader = spawn('cat', [fifo]);
      const read: Buffer[] = [];
      reader.stdout.on('data', (c: Buffer) => read.push(c));
      const exited = once(reader, 'exit');
      try {
        ok(['encode', '--model-dir', modelDir, '--format', 'json', '--out', fifo, ...texts]);
        assert.ok(fs.lstatSync(fifo).isFIFO(), 'the named pipe was replaced by a file');
        await exited;
        assert.equal(Buffer.concat(read).toString(), expected);
      } finally {
        reader.kill();
      }
      // A character device: as root a private copy of /dev/null, so that a regression cannot replace the system's.
      let device = '/dev/null';
      if (process.getuid?.() === 0) {
        device = path.join(dir, 'null');
        execFileSync('mknod', [device, 'c', '1', '3']);
      }
      ok(['encode', '--model-dir', modelDir, '--format', 'npy', '--out', device, ...texts]);
      assert.ok(fs.lstatSync(device).isCharacterDevice(), 'the device was replaced by a file');
      // /dev/stdout: a pipe here, and a file the shell opened for appending (`>> log`), which must not be truncated.
      assert.equal(ok(['encode', '--model-dir', modelDir, '--format', 'json', '--out', '/dev/stdout', ...texts]), expected);
      const log = path.join(dir, 'log.json');
      fs.writeFileSync(log, 'previous\n');
      const fd = fs.openSync(log, 'a');
      try {
        ok(['encode', '--model-dir', modelDir, '--format', 'json', '--out', '/dev/stdout', ...texts], { stdout: fd });
      } finally {
        fs.closeSync(fd);
      }
      assert.equal(fs.readFileSync(log, 'utf8'), `previous\n${expected}`);
      assert.ok(fs.lstatSync('/dev/stdout').isSymbolicLink());
      assert.deepEqual(fs.readdirSync(dir).sort(), process.getuid?.() === 0 ? ['log.json', 'null', 'pipe'] : ['log.json', 'pipe']);
    });

    it('a target that cannot be written fails at once, before the model loads, with one line naming what is wrong', function () {
      // A model folder that does not exist: had the model been loaded first, that would be the error.
      const noModel = ['--model-dir', path.join(tmp, 'no-such-model')];
      const dir = fs.mkdtempSync(path.join(tmp, 'targets-'));
      const file = path.join(dir, 'file.txt');
      fs.writeFileSync(file, 'x');
      const encode = (format: string, out: string) => fails(['encode', ...noModel, '--format', format, '--out', out, 'hello']);
      assert.equal(encode('json', path.join(file, 'out.json')), `minilm: cannot write --out ${path.join(file, 'out.json')}: ${file} is a file, not a folder`);
      assert.equal(
        encode('npy', path.join(dir, 'missing', 'v.npy')),
        `minilm: cannot write --out ${path.join(dir, 'missing', 'v.npy')}: the folder ${path.join(dir, 'missing')} does not exist (create it first)`,
      );
      assert.equal(encode('csv', dir), `minilm: cannot write --out ${dir}: it is a folder; give a file path (only --format tsv writes into a folder)`);
      assert.equal(
        fails(['search', ...noModel, '--corpus', corpusFile, '--format', 'json', '--out', dir, 'query']),
        `minilm: cannot write --out ${dir}: it is a folder; give a file path (only --format tsv writes into a folder)`,
      );
      // tsv writes a folder: a file in its place, a missing parent, or an output file that is a folder.
      assert.equal(
        encode('tsv', file),
        `minilm: cannot write --out ${file}: it is not a folder; --format tsv writes tensors.tsv and metadata.tsv into a folder: give a folder path`,
      );
      assert.equal(
        encode('tsv', path.join(dir, 'missing', 'projector')),
        `minilm: cannot write --out ${path.join(dir, 'missing', 'projector')}: the folder ${path.join(dir, 'missing')} does not exist (create it first)`,
      );
      fs.mkdirSync(path.join(dir, 'projector', 'tensors.tsv'), { recursive: true });
      assert.equal(
        encode('tsv', path.join(dir, 'projector')),
        `minilm: cannot write ${path.join(dir, 'projector', 'tensors.tsv')} (in --out ${path.join(dir, 'projector')}): it is a folder`,
      );
      assert.equal(
        fails(['examples', ...noModel, '--out-dir', path.join(file, 'results')]),
        `minilm: cannot write --out-dir ${path.join(file, 'results')}: ${file} is a file, not a folder`,
      );
      assert.deepEqual(fs.readdirSync(dir).sort(), ['file.txt', 'projector']);
    });

    it('a read-only folder fails at once (run as an ordinary user: root may write anywhere)', function () {
      if (process.platform === 'win32') this.skip();
      const root = process.getuid?.() === 0;
      // The child (as user nobody when we are root) must be able to reach the folder.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-readonly-'));
      try {
        fs.chmodSync(dir, 0o755);
        const locked = path.join(dir, 'locked');
        fs.mkdirSync(locked, { mode: 0o555 });
        fs.chmodSync(locked, 0o555);
        const out = path.join(locked, 'vectors.json');
        const line = fails(['encode', '--model-dir', path.join(dir, 'no-such-model'), '--format', 'json', '--out', out, 'hello'], root ? { uid: 65534 } : {});
        assert.equal(line, `minilm: cannot write --out ${out}: the folder ${locked} is not writable (permission denied)`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('errors: non-zero exit and one line on stderr that says what to do', () => {
    it('a missing model folder is named', () => {
      const missing = path.join(tmp, 'no-such-model');
      const line = fails(['encode', '--model-dir', missing, '--format', 'json', 'hello']);
      assert.ok(line.includes(missing), line);
    });

    it('a malformed JSONL line is named by its number', () => {
      const bad = path.join(tmp, 'bad.jsonl');
      fs.writeFileSync(bad, '"one"\n{"text": "two"}\n{"text": oops}\n"four"\n');
      const line = fails(['encode', '--model-dir', modelDir, '--input', bad, '--format', 'json']);
      assert.match(line, /bad\.jsonl:3: not valid JSON/);
    });

    it('a corrupted (truncated) ONNX file is reported as corrupted', () => {
      const copy = path.join(tmp, 'corrupt-model');
      fs.mkdirSync(path.join(copy, 'onnx'), { recursive: true });
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
        fs.copyFileSync(path.join(modelDir, file), path.join(copy, file));
      }
      const onnx = fs.readFileSync(path.join(modelDir, 'onnx', 'model.onnx'));
      fs.writeFileSync(path.join(copy, 'onnx', 'model.onnx'), onnx.subarray(0, 1 << 20));
      const line = fails(['encode', '--model-dir', copy, '--format', 'json', 'hello']);
      assert.match(line, /corrupted/i);
      assert.ok(line.includes(copy), line);
    });

    it('a missing input file, missing texts and bad option values fail cleanly', () => {
      assert.match(fails(['encode', '--model-dir', modelDir, '--input', path.join(tmp, 'nope.jsonl')]), /no such file/);
      assert.match(fails(['encode', '--model-dir', modelDir]), /no texts/);
      assert.match(fails(['search', '--model-dir', modelDir, '--corpus', corpusFile, '--top-k', 'many', 'q']), /top-k/);
      assert.match(fails(['encode', '--dtype', 'fp16', 'x']), /fp16/);
    });

    it('invalid UTF-8 input names file, line and column before the model loads; --encoding-errors replace accepts it', () => {
      const latin1 = path.join(tmp, 'latin1.txt');
      fs.writeFileSync(latin1, Buffer.concat([Buffer.from('one\ntwo\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
      const noModel = ['--model-dir', path.join(tmp, 'no-such-model')];
      const fix = 'save the file as UTF-8, or pass --encoding-errors replace to accept it with U+FFFD';
      assert.equal(fails(['encode', ...noModel, '--input', latin1]), `minilm: ${latin1}:3: not valid UTF-8 (byte 0xE9 at column 4); ${fix}`);
      assert.equal(fails(['search', ...noModel, '--corpus', latin1, 'query']), `minilm: ${latin1}:3: not valid UTF-8 (byte 0xE9 at column 4); ${fix}`);
      assert.match(
        fails(['encode', ...noModel, '-'], { input: Buffer.from([0x6f, 0x6b, 0x0a, 0xe9, 0x0a]) }),
        /^minilm: <stdin>:2: not valid UTF-8 \(byte 0xE9 at column 1\); send UTF-8 on stdin/,
      );
      const sts = path.join(tmp, 'latin1-sts.csv');
      fs.writeFileSync(sts, Buffer.concat([Buffer.from('a\tb\tc\td\t5.0\tx\ty\na\tb\tc\td\t1.0\tcaf'), Buffer.from([0xe9]), Buffer.from('\tz\n')]));
      assert.equal(fails(['eval-sts', ...noModel, sts]), `minilm: ${sts}:2: not valid UTF-8 (byte 0xE9 at column 16); ${fix}`);
      const run = minilm(['encode', '--model-dir', modelDir, '--format', 'json', '--encoding-errors', 'replace', '--input', latin1]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as number[][]).length, 3);
      assert.equal(
        run.stderr,
        `minilm: note: ${latin1}:3: not valid UTF-8 (byte 0xE9 at column 4); invalid bytes read as U+FFFD (--encoding-errors replace)\n`,
      );
      const replaced = jsonOf<number[][]>(['encode', '--model-dir', modelDir, '--format', 'json', 'caf\ufffd au lait']);
      assert.ok(maxAbsDiff((JSON.parse(run.stdout) as number[][])[2], replaced[0]) < 1e-6);
    });

    it('out-of-range numbers are refused with one line before the model loads', () => {
      const noModel = ['--model-dir', path.join(tmp, 'no-such-model')];
      const cores = os.availableParallelism();
      const cases: [string[], RegExp][] = [
        [['cluster', '--threshold', '1.5', 'x'], /--threshold.*'1\.5' is invalid\. expected a cosine similarity from -1 to 1\./],
        [['cluster', '--threshold', '-2', 'x'], /--threshold.*from -1 to 1/],
        [['cluster', '--min-size', '0', 'x'], /--min-size.*positive integer/],
        [['encode', '--workers', String(cores + 1), 'x'], new RegExp(`--workers.*at most ${cores} \\(this machine runs ${cores} threads? at once`)],
        [['encode', '--workers', '1000', 'x'], /--workers.*at most/],
        [['encode', '--batch-size', '0', 'x'], /--batch-size.*positive integer, at most 512/],
        [['encode', '--batch-size', '100000', 'x'], /--batch-size.*at most 512/],
        [['search', '--corpus', corpusFile, '--top-k', '0', 'q'], /--top-k.*positive integer/],
        [['search', '--corpus', corpusFile, '--corpus-chunk-size', '1e9', 'q'], /--corpus-chunk-size.*positive integer/],
        [['mine', '--max-pairs', '1000000000000', 'x'], /--max-pairs.*at most 100000000/],
        [['mine', '--query-chunk-size', '-5', 'x'], /--query-chunk-size/],
        [['eval-sts', '--workers', '0', corpusFile], /--workers.*positive integer/],
      ];
      for (const [args, expected] of cases) assert.match(fails([...args, ...noModel]), expected, args.join(' '));
    });

    it('an unknown option is rejected by the parser with a non-zero status', () => {
      const run = minilm(['encode', '--no-such-option', 'x']);
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /unknown option '--no-such-option'/);
    });
  });
});
