// Each `minilm` directive executed against the real model in plain Node, its numbers checked against direct calls
// of src/core on the same engine's vectors; then the whole quickstart sample, cell by cell.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  communityDetection,
  cosineSimilarity,
  euclideanDistance,
  modelSimilarity,
  norm,
  paraphraseMining,
  semanticSearch,
  similarityMatrix,
} from '../../../src/core';
import { Engine, isCancellation } from '../../../src/engine';
import { readCellFile } from '../../../src/notebook/cellFiles';
import { parseCell } from '../../../src/notebook/cellLanguage';
import { DirectiveError, runDirective, type DirectiveContext, type StoredCorpus } from '../../../src/notebook/directiveRunner';
import { outputItemsOf } from '../../../src/notebook/resultOutputs';
import { readNotebook } from '../../../src/notebook/notebookFile';
import { MATRIX_MIME, type ExplainOutput } from '../../../src/shared/matrixOutput';
import { buildExplainView } from '../../../src/shared/explainView';
import { testModelDir } from '../../helpers/sharedPaths';
import { tinyModelDir } from '../../helpers/tinyModels';

/** The repository's samples folder, searched upwards (out/test/model when compiled, test/model in source). */
function samplesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'samples', 'quickstart.minilm'))) return path.join(dir, 'samples');
  }
  throw new Error(`samples/quickstart.minilm not found above ${__dirname}`);
}

const TEXTS = [
  'A man is eating food.',
  'A man is eating a piece of bread.',
  'The girl is carrying a baby.',
  'A man is riding a horse.',
  'A woman is playing violin.',
  'Two men pushed carts through the woods.',
  'A man is riding a white horse on an enclosed ground.',
  'A monkey is playing drums.',
];

describe('notebook directives with the real model', function () {
  let engine: Engine;
  let vectors: Float32Array[];
  const corpora = new Map<string, StoredCorpus>();
  const files = new Map<string, string>([['data/texts.txt', TEXTS.join('\r\n') + '\r\n\r\n']]);

  const context = (signal = new AbortController().signal): DirectiveContext => ({
    encode: (texts, s) => engine.encode(texts, { signal: s }),
    tokenEmbeddings: (text, s) => engine.tokenEmbeddings(text, { signal: s }),
    readTextFile: async (p) => {
      const content = files.get(p);
      if (content === undefined) throw new Error('no such file');
      return content;
    },
    corpora,
    signal,
  });
  const run = (source: string, signal?: AbortSignal) => runDirective(parseCell(source), context(signal));

  before(async () => {
    engine = new Engine({ modelDir: testModelDir() });
    vectors = await engine.encode(TEXTS);
  });
  after(async () => engine?.dispose());

  it('compare: the N × N matrix equals core similarityMatrix', async () => {
    const result = await run(['compare', ...TEXTS].join('\n'));
    assert.ok(result.kind === 'compare');
    assert.deepEqual(result.texts, TEXTS);
    assert.deepEqual(result.matrix.data, similarityMatrix(vectors).data);
    assert.ok(result.matrix.data[0 * 8 + 1] > result.matrix.data[0 * 8 + 2], 'eating food ~ eating bread more than ~ carrying a baby');
  });

  it('compare scores with the similarity function of the model that encoded (a tiny model with euclidean), cosine by default', async () => {
    const tiny = new Engine({ modelDir: tinyModelDir('bert-lasttoken') });
    try {
      const source = ['compare', ...TEXTS.slice(0, 4)].join('\n');
      const result = await runDirective(parseCell(source), {
        ...context(),
        encode: (texts, s) => tiny.encode(texts, { signal: s }),
        similarityFunction: () => tiny.info?.similarityFunction,
      });
      assert.ok(result.kind === 'compare');
      assert.equal(result.similarityFunction, 'euclidean');
      const tinyVectors = await tiny.encode(TEXTS.slice(0, 4));
      assert.deepEqual(result.matrix.data, modelSimilarity(tinyVectors, undefined, 'euclidean').data);
      assert.ok(result.matrix.data[1] < 0, 'a negative distance off the diagonal');
      const byDefault = await run(source);
      assert.ok(byDefault.kind === 'compare' && byDefault.similarityFunction === 'cosine');
    } finally {
      await tiny.dispose();
    }
  });

  it('similarity: cosine, Euclidean distance and norms equal core', async () => {
    const result = await run(`similarity\n${TEXTS[3]}\n${TEXTS[6]}`);
    assert.ok(result.kind === 'similarity');
    assert.equal(result.cosine, cosineSimilarity(vectors[3], vectors[6]));
    assert.equal(result.euclidean, euclideanDistance(vectors[3], vectors[6]));
    assert.deepEqual(result.norms, [norm(vectors[3]), norm(vectors[6])]);
    assert.ok(Math.abs(result.norms[0] - 1) < 1e-5);
  });

  it('explain: the word-piece alignment of the two texts, as the Studio panel builds it, drawn by the renderer and saved as JSON', async () => {
    const [a, b] = ['The guitarist was strumming a tune.', 'Someone plays an acoustic guitar.'];
    const result = await run(`explain\n${a}\n${b}`);
    assert.ok(result.kind === 'explain');
    const [va, vb] = await engine.encode([a, b]);
    const expected = buildExplainView(await engine.tokenEmbeddings(a), await engine.tokenEmbeddings(b), cosineSimilarity(va, vb), 0);
    assert.deepEqual(result.view, expected);
    assert.ok(expected.tokensA.includes('##rum'), expected.tokensA.join(' '));
    assert.equal(expected.wordsA[expected.tokensA.indexOf('##rum')], 'strumming');

    const items = outputItemsOf(result);
    const payload = JSON.parse(items.find((i) => i.mime === MATRIX_MIME)!.text) as ExplainOutput;
    assert.equal(payload.kind, 'explain');
    assert.deepEqual(payload.view.tokensA, expected.tokensA);
    assert.deepEqual(payload.view.bestInB, expected.bestInB, 'best matches survive the float32 JSON');
    assert.deepEqual(payload.view.wordsB, expected.wordsB);
    assert.ok(Math.abs(payload.view.precision - expected.precision) < 1e-6);
    assert.ok(payload.view.matrix.every((row, r) => row.every((v, c) => Math.abs(v - expected.matrix[r]![c]!) < 1e-6)));
    assert.match(payload.title, new RegExp(`precision ${expected.precision.toFixed(4).replace(/0+$/, '')}`));
    assert.equal(payload.strings?.['explain.up'], 'Pull the score up');
    const json = JSON.parse(items.find((i) => i.mime === 'application/json')!.text) as { kind: string; tokens_a: string[]; truncated: boolean[] };
    assert.equal(json.kind, 'explain');
    assert.deepEqual(json.tokens_a, expected.tokensA);
    assert.deepEqual(json.truncated, [false, false]);
    assert.match(items.find((i) => i.mime === 'text/markdown')!.text, /\| \\#\\#rum \| strumming \|/);
  });

  it('explain: a text past 256 word pieces is aligned on its first 254 pieces and says so; without token embeddings the cell is an error', async () => {
    const result = await run(`explain\n${'word '.repeat(400)}\na few words`);
    assert.ok(result.kind === 'explain');
    assert.equal(result.view.tokensA.length, 254);
    assert.equal(result.view.truncatedA, true);
    assert.equal(result.view.maxTokens, 256);
    const { tokenEmbeddings: _none, ...withoutTokens } = context();
    await assert.rejects(
      runDirective(parseCell('explain\na\nb'), withoutTokens),
      (error: unknown) => error instanceof DirectiveError && /token embeddings/.test(error.message),
    );
  });

  it('search with candidates from @file (CRLF, blank lines) and @top equals core semanticSearch', async () => {
    const query = 'Someone is on a horse.';
    const result = await run(`search ${query}\n@file data/texts.txt\n@top 3`);
    assert.ok(result.kind === 'search');
    const [queryVector] = await engine.encode([query]);
    const [expected] = semanticSearch([queryVector], vectors, { topK: 3 });
    assert.equal(result.candidates, TEXTS.length);
    assert.deepEqual(
      result.hits.map((h) => [h.index, h.score]),
      expected.map((h) => [h.corpus_id, h.score]),
    );
    assert.deepEqual(new Set(result.hits.slice(0, 2).map((h) => h.index)), new Set([3, 6]));
  });

  it("encode: the vectors are the engine's", async () => {
    const result = await run(`encode\n${TEXTS[0]}\n${TEXTS[4]}`);
    assert.ok(result.kind === 'encode');
    assert.deepEqual(result.vectors, [vectors[0], vectors[4]]);
    assert.equal(result.vectors[0].length, 384);
  });

  it('corpus, then search / compare / mine / cluster in it reuse its stored embeddings', async () => {
    const defined = await run(['corpus sts', ...TEXTS].join('\n'));
    assert.ok(defined.kind === 'corpus' && defined.texts.length === 8 && defined.dimension === 384);
    let encodeCalls = 0;
    const counting: DirectiveContext = { ...context(), encode: (t, s) => (encodeCalls++, engine.encode(t, { signal: s })) };

    const search = await runDirective(parseCell('search A person plays an instrument. in sts\n@top 2'), counting);
    assert.equal(encodeCalls, 1, 'only the query is encoded');
    const [q] = await engine.encode(['A person plays an instrument.']);
    assert.ok(search.kind === 'search');
    assert.deepEqual(
      search.hits.map((h) => [h.index, h.score]),
      semanticSearch([q], vectors, { topK: 2 })[0].map((h) => [h.corpus_id, h.score]),
    );

    const compare = await runDirective(parseCell('compare sts'), counting);
    assert.ok(compare.kind === 'compare' && compare.corpus === 'sts');
    assert.deepEqual(compare.matrix.data, similarityMatrix(vectors).data);

    const mine = await runDirective(parseCell('mine sts top 3 max 5'), counting);
    assert.ok(mine.kind === 'mine');
    const expectedPairs = paraphraseMining(vectors, { topK: 3, maxPairs: 5 }).slice(0, 5);
    assert.deepEqual(
      mine.pairs.map((p) => [p.score, p.i, p.j]),
      expectedPairs,
    );
    assert.ok(mine.pairs.length > 0);

    const cluster = await runDirective(parseCell('cluster 0.5 in sts min 2'), counting);
    assert.ok(cluster.kind === 'cluster');
    assert.deepEqual(cluster.clusters, communityDetection(vectors, { threshold: 0.5, minCommunitySize: 2 }));
    assert.ok(
      cluster.clusters.some((c) => c.includes(3) && c.includes(6)),
      'the two horse riders form a community',
    );
    assert.equal(encodeCalls, 1, 'compare, mine and cluster encode nothing');
  });

  it('an unknown corpus and a missing file are errors that name the line', async () => {
    await assert.rejects(
      run('# c\nsearch x in nowhere'),
      (e: unknown) => e instanceof DirectiveError && e.line === 2 && /no corpus named "nowhere"/.test(e.message),
    );
    await assert.rejects(
      run('compare\nx\n@file missing.txt'),
      (e: unknown) => e instanceof DirectiveError && e.line === 3 && /cannot read "missing.txt"/.test(e.message),
    );
  });

  it('an aborted signal cancels the cell', async () => {
    const controller = new AbortController();
    const many = Array.from({ length: 400 }, (_, i) => `sentence number ${i} about something else entirely`);
    const pending = run(['encode', ...many].join('\n'), controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => isCancellation(e) || (e as Error).name === 'AbortError');
  });

  it('runs every code cell of samples/quickstart.minilm in order without an error, with the matrix mime on each output', async () => {
    const file = path.join(samplesDir(), 'quickstart.minilm');
    const notebook = readNotebook(fs.readFileSync(file));
    const sessionCorpora = new Map<string, StoredCorpus>();
    const kinds: string[] = [];
    for (const cell of notebook.cells.filter((c) => c.kind === 'code')) {
      const result = await runDirective(parseCell(cell.source), {
        encode: (texts, signal) => engine.encode(texts, { signal }),
        readTextFile: (p) => readCellFile({ root: path.dirname(file), folders: [path.dirname(file)] }, p),
        corpora: sessionCorpora,
        signal: new AbortController().signal,
      });
      kinds.push(result.kind);
      assert.equal(outputItemsOf(result)[0].mime, MATRIX_MIME);
    }
    for (const kind of ['compare', 'similarity', 'search', 'encode', 'mine', 'cluster', 'corpus']) {
      assert.ok(kinds.includes(kind), `the sample shows no "${kind}" directive`);
    }
  });
});
