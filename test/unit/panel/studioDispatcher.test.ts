import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioDispatcher } from '../../../src/panel/studioDispatcher';
import { createStudioRequestHandlers, parseResultDocument, type OtherModel, type StudioBackend } from '../../../src/panel/studioRequests';
import type {
  ExplainView,
  HostMessage,
  LoadedModelView,
  LoadedModelsView,
  MatrixComparisonView,
  ModelPickerView,
  ModelStatus,
  SimilarityResult,
  SearchResult,
  MatrixView,
} from '../../../src/shared/studioProtocol';
import { matrixToRows, similarityMatrix } from '../../../src/core/similarityMatrix';
import { spearmanCorrelation } from '../../../src/core/rankCorrelation';
import { upperTriangle } from '../../../src/core/matrixComparison';
import { cosineSimilarity, manhattanDistance, normalize } from '../../../src/core/vector';
import { EXAMPLE_TEXTS } from '../../../src/core/exampleSuite';

/** Deterministic 8-d unit vectors from a text's characters: enough to check the host-side maths and plumbing. */
function fakeVector(text: string): Float32Array {
  const v = new Float32Array(8);
  for (let i = 0; i < text.length; i++) v[i % 8] += (text.charCodeAt(i) % 17) - 8;
  v[0] += 1;
  return normalize(v);
}

/** Two catalogue rows: the default (downloaded) and one whose fp32 files have no published digest. */
function fakePicker(model: string, dtype: 'fp32' | 'q8'): ModelPickerView {
  const item = (id: string, verified: Array<'fp32' | 'q8'>, local: boolean) => ({
    id,
    baseModel: `sentence-transformers/${id}`,
    repository: `Xenova/${id}`,
    revision: 'a'.repeat(40),
    languageSummary: 'English',
    dimension: 384,
    pooling: ['mean'],
    licence: 'Apache-2.0',
    similarityFunction: 'cosine' as const,
    download: { bytes: 1, exact: true },
    verifiedDtypes: verified,
    ...(local ? { local: { source: 'cache' as const, dir: '/c' } } : {}),
    current: (model === '' ? 'all-MiniLM-L6-v2' : model) === id,
  });
  return {
    dtype,
    setting: model,
    modelFolder: '',
    allowDownload: false,
    entries: [item('all-MiniLM-L6-v2', ['fp32', 'q8'], true), item('bge-small-zh-v1.5', ['q8'], false)],
  };
}

class FakeBackend implements StudioBackend {
  /** While set, encoding waits until its signal aborts. */
  hold = false;
  /** Texts sent to be encoded, in order. */
  encoded: string[][] = [];
  /** While set, token embeddings are refused as a remote backend refuses them. */
  remote = false;
  commands: string[] = [];
  constructor(private readonly folder: string | undefined) {}
  dtype: 'fp32' | 'q8' = 'fp32';
  /** The loaded model's similarity_fn_name (absent: as older hosts sent it). */
  similarityFunction: 'cosine' | 'dot' | undefined;
  status(): ModelStatus {
    const info = { name: 'all-MiniLM-L6-v2', source: 'folder' as const, dir: '/m', dtype: this.dtype, dimension: 8, maxSeqLength: 256, loadMs: 1, threads: 1 };
    return {
      state: 'ready',
      dtype: this.dtype,
      allowDownload: true,
      memoryRss: 1,
      info: this.similarityFunction ? { ...info, similarityFunction: this.similarityFunction } : info,
    };
  }
  async load() {}
  async unload() {}
  async setDtype() {}
  /** `minilm.model` as the fake settings hold it. */
  model = '';
  modelPicker(): ModelPickerView {
    return fakePicker(this.model, this.status().dtype);
  }
  checkModel(value: string) {
    if (!/^[\w.-]+\/[\w.-]+(@[\w.-]+)?$/.test(value)) throw new Error(`"${value}" is not a model\nsecond line`);
  }
  async setModel(value: string) {
    this.model = value;
  }
  /** The names `withModel` was asked for; `otherFails` makes the second model fail as a missing one does. */
  readonly others: string[] = [];
  otherFails = false;
  /** While set, the second model waits until its signal aborts. */
  holdOther = false;
  async withModel<T>(model: string, signal: AbortSignal, work: (other: OtherModel) => Promise<T>): Promise<T> {
    this.others.push(model);
    if (this.otherFails) throw Object.assign(new Error('No model files in /nowhere.\nsecond line'), { code: 'MODEL_NOT_FOUND' });
    const hold = this.holdOther;
    return work({
      info: { name: model.split('/').at(-1)!, dtype: 'fp32', similarityFunction: 'dot', maxSeqLength: 128 } as never,
      encodeWithTokens: async (texts, options) => {
        if (hold) await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
        options.onProgress?.({ done: texts.length, total: texts.length });
        // Another model: vectors of the reversed texts.
        return { vectors: texts.map((t) => fakeVector([...t].reverse().join(''))), tokens: texts.map(() => ({ count: 3, truncated: false })) };
      },
    });
  }
  /** Pooled models: `busy` ones refuse Unload. */
  pooled: LoadedModelView[] = [
    { key: 'k-idle', name: 'idle-model', dtype: 'fp32', state: 'ready', bytes: 10, busy: 0, active: false },
    { key: 'k-busy', name: 'busy-model', dtype: 'fp32', state: 'ready', bytes: 20, busy: 1, active: false },
  ];
  loadedModels(): LoadedModelsView {
    const active: LoadedModelView = { name: 'all-MiniLM-L6-v2', dtype: this.dtype, state: 'ready', busy: 0, active: true };
    return { models: [active, ...this.pooled], budgetBytes: 100, pooledBytes: this.pooled.reduce((sum, m) => sum + (m.bytes ?? 0), 0) };
  }
  async unloadPooled(key: string) {
    const model = this.pooled.find((m) => m.key === key);
    if (model && model.busy > 0) throw new Error(`${model.name} is busy with 1 running request(s): unload it once they have finished.\nsecond line`);
    this.pooled = this.pooled.filter((m) => m.key !== key);
  }
  async encodeWithTokens(texts: string[], options: { signal: AbortSignal; onProgress?: (p: { done: number; total: number }) => void }) {
    this.encoded.push(texts);
    if (this.hold) {
      await new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true }));
    }
    options.onProgress?.({ done: texts.length, total: texts.length });
    return {
      vectors: texts.map(fakeVector),
      tokens: texts.map((t) => ({ count: Math.min(256, t.split(' ').length + 2), truncated: t.split(' ').length + 2 > 256 })),
    };
  }
  /** [CLS], one piece per space-separated word (a `##` piece stays a piece), [SEP]; each piece's fake vector. */
  async tokenEmbeddings(text: string) {
    if (this.remote) throw Object.assign(new Error('Explain needs the token embeddings of a local model.'), { code: 'REMOTE_UNSUPPORTED' });
    const tokens = ['[CLS]', ...text.split(' ').filter(Boolean), '[SEP]'];
    return {
      ids: tokens.map((_, i) => i),
      tokens,
      special: tokens.map((_, i) => i === 0 || i === tokens.length - 1),
      embeddings: tokens.map(fakeVector),
      truncated: false,
    };
  }
  async copyText() {}
  async chooseSaveFile() {
    return null;
  }
  async openTextFile() {
    return null;
  }
  async resultsFolder() {
    return this.folder;
  }
  async openInEditor() {}
  async runCommand(command: string) {
    this.commands.push(command);
  }
}

function setup(folder?: string) {
  const backend = new FakeBackend(folder);
  const posted: HostMessage[] = [];
  const warnings: string[] = [];
  let ready = 0;
  const dispatcher = new StudioDispatcher(
    createStudioRequestHandlers(backend),
    (m) => posted.push(m),
    { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    () => ready++,
  );
  return { backend, posted, warnings, dispatcher, readyCount: () => ready };
}

describe('Studio dispatcher and request handlers', () => {
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-panel-'))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('answers a similarity request with the core metrics of the encoded texts', async () => {
    const { dispatcher, posted } = setup();
    const response = await dispatcher.handle({ type: 'request', id: 1, method: 'similarity/compute', params: { a: 'one text', b: 'another text' } });
    assert.ok(response?.ok);
    const r = response.result as SimilarityResult;
    const [va, vb] = [fakeVector('one text'), fakeVector('another text')];
    assert.equal(r.cosine, cosineSimilarity(va, vb));
    assert.equal(r.manhattan, manhattanDistance(va, vb));
    assert.equal(r.dimension, 8);
    assert.equal(r.maxTokens, 256);
    assert.deepEqual(posted.at(-1), response);
  });

  it("names the loaded model's similarity function in a similarity result (cosine when the host does not say)", async () => {
    const { dispatcher, backend } = setup();
    const first = await dispatcher.handle({ type: 'request', id: 1, method: 'similarity/compute', params: { a: 'x', b: 'y' } });
    assert.ok(first?.ok);
    assert.equal((first.result as SimilarityResult).similarityFunction, 'cosine');
    backend.similarityFunction = 'dot';
    const second = await dispatcher.handle({ type: 'request', id: 2, method: 'similarity/compute', params: { a: 'x', b: 'y' } });
    assert.ok(second?.ok);
    assert.equal((second.result as SimilarityResult).similarityFunction, 'dot');
  });

  it('model picker: a catalogue pick writes the setting (the default as empty) and answers the new picker', async () => {
    const { dispatcher, backend } = setup();
    backend.dtype = 'q8';
    const picked = await dispatcher.handle({ type: 'request', id: 1, method: 'model/pick', params: { id: 'bge-small-zh-v1.5' } });
    assert.ok(picked?.ok, JSON.stringify(picked));
    assert.equal(backend.model, 'bge-small-zh-v1.5');
    assert.equal((picked.result as ModelPickerView).entries.find((e) => e.current)?.id, 'bge-small-zh-v1.5');
    const back = await dispatcher.handle({ type: 'request', id: 2, method: 'model/pick', params: { id: 'all-MiniLM-L6-v2' } });
    assert.ok(back?.ok);
    assert.equal(backend.model, '', 'going back to the default empties minilm.model, so minilm.modelFolder applies again');
  });

  it('model picker: an id outside the catalogue, or a dtype with no published digest and no local copy, is refused and nothing is written', async () => {
    const { dispatcher, backend, warnings } = setup();
    backend.model = 'keep';
    const unknown = await dispatcher.handle({ type: 'request', id: 1, method: 'model/pick', params: { id: 'evil/model' } });
    assert.equal(unknown?.ok, false);
    assert.equal(!unknown?.ok && unknown?.error.code, 'INVALID_INPUT');
    assert.match(!unknown?.ok ? unknown!.error.message : '', /"evil\/model" is not in the model catalogue/);
    const unverifiable = await dispatcher.handle({ type: 'request', id: 2, method: 'model/pick', params: { id: 'bge-small-zh-v1.5' } });
    assert.equal(unverifiable?.ok, false);
    assert.match(!unverifiable?.ok ? unverifiable!.error.message : '', /bge-small-zh-v1\.5 \(fp32\) has no published digest.*Switch Weights to q8/);
    assert.equal(backend.model, 'keep');
    assert.equal(warnings.length, 2, 'each refusal is logged');
  });

  it('model picker: another model is checked first; a bad name is one line shown inline and is not written', async () => {
    const { dispatcher, backend } = setup();
    const bad = await dispatcher.handle({ type: 'request', id: 1, method: 'model/useOther', params: { model: 'not a model' } });
    assert.equal(bad?.ok, false);
    assert.equal(!bad?.ok && bad!.error.code, 'INVALID_INPUT');
    assert.equal(!bad?.ok && bad!.error.message, '"not a model" is not a model', 'only the first line');
    assert.equal(backend.model, '');
    const good = await dispatcher.handle({ type: 'request', id: 2, method: 'model/useOther', params: { model: 'BAAI/bge-m3@main' } });
    assert.ok(good?.ok);
    assert.equal(backend.model, 'BAAI/bge-m3@main');
    assert.equal((good.result as ModelPickerView).setting, 'BAAI/bge-m3@main');
  });

  it('explain behind a backend without token embeddings refuses before sending any text to be encoded', async () => {
    const { dispatcher, backend } = setup();
    backend.remote = true;
    const response = await dispatcher.handle({ type: 'request', id: 1, method: 'similarity/explain', params: { a: 'one text', b: 'another text' } });
    assert.ok(response && !response.ok);
    assert.match(response.error.message, /^Explain needs the token embeddings/);
    assert.deepEqual(backend.encoded, []);
  });

  it('loaded models: lists them; Unload of a pooled model answers the new list, a busy one is refused in one line, a bad key never reaches the backend', async () => {
    const { dispatcher, backend, warnings } = setup();
    const listed = await dispatcher.handle({ type: 'request', id: 1, method: 'model/loaded', params: {} });
    assert.ok(listed?.ok);
    assert.deepEqual(
      (listed.result as LoadedModelsView).models.map((m) => m.name),
      ['all-MiniLM-L6-v2', 'idle-model', 'busy-model'],
    );
    const busy = await dispatcher.handle({ type: 'request', id: 2, method: 'model/unloadPooled', params: { key: 'k-busy' } });
    assert.equal(busy?.ok, false);
    assert.deepEqual(!busy?.ok && busy!.error, {
      code: 'INVALID_INPUT',
      message: 'busy-model is busy with 1 running request(s): unload it once they have finished.',
    });
    const idle = await dispatcher.handle({ type: 'request', id: 3, method: 'model/unloadPooled', params: { key: 'k-idle' } });
    assert.ok(idle?.ok);
    assert.deepEqual(
      (idle.result as LoadedModelsView).models.map((m) => m.name),
      ['all-MiniLM-L6-v2', 'busy-model'],
    );
    assert.equal((idle.result as LoadedModelsView).pooledBytes, 20);
    for (const params of [{}, { key: '' }, { key: 'x'.repeat(9000) }, { key: 'k-busy', extra: 1 }]) {
      assert.equal(await dispatcher.handle({ type: 'request', id: 4, method: 'model/unloadPooled', params }), undefined);
    }
    assert.equal(warnings.filter((w) => /invalid params for model\/unloadPooled/.test(w)).length, 4);
    assert.equal(backend.pooled.length, 1);
  });

  it("explains a pair: the cosine matrix of the non-special pieces, each row's best match, whole words and P/R/F1", async () => {
    const { dispatcher } = setup();
    const response = await dispatcher.handle({ type: 'request', id: 2, method: 'similarity/explain', params: { a: 'play ##ing cat', b: 'cat dog' } });
    assert.ok(response?.ok, JSON.stringify(response));
    const r = response.result as ExplainView;
    assert.deepEqual(r.tokensA, ['play', '##ing', 'cat']);
    assert.deepEqual(r.tokensB, ['cat', 'dog']);
    assert.deepEqual(r.wordsA, ['playing', 'playing', 'cat']);
    r.tokensA.forEach((pa, i) => r.tokensB.forEach((pb, j) => assert.ok(Math.abs(r.matrix[i]![j]! - cosineSimilarity(fakeVector(pa), fakeVector(pb))) < 1e-6)));
    assert.equal(r.bestInB[2], 0, 'cat matches cat');
    assert.equal(r.matrix[2]![0], 1);
    const precision = r.matrix.reduce((sum, row) => sum + Math.max(...row), 0) / 3;
    assert.ok(Math.abs(r.precision - precision) < 1e-12);
    assert.equal(r.cosine, cosineSimilarity(fakeVector('play ##ing cat'), fakeVector('cat dog')));
    const invalid = await dispatcher.handle({ type: 'request', id: 3, method: 'similarity/explain', params: { a: 'only a' } });
    assert.equal(invalid, undefined, 'a request without b is dropped');
  });

  it('ranks search candidates best first, with progress before the response', async () => {
    const { dispatcher, posted } = setup();
    const candidates = ['alpha beta', 'query text', 'zzz'];
    const response = await dispatcher.handle({ type: 'request', id: 4, method: 'search/run', params: { query: 'query text', candidates, topK: 2 } });
    assert.ok(response?.ok);
    const r = response.result as SearchResult;
    assert.equal(r.hits.length, 2);
    assert.equal(r.hits[0].text, 'query text');
    assert.ok(r.hits[0].score >= r.hits[1].score);
    assert.deepEqual(posted[0], { type: 'progress', id: 4, done: 4, total: 4 });
  });

  it('logs and ignores invalid messages; webview/ready calls back', async () => {
    const { dispatcher, posted, warnings, readyCount } = setup();
    assert.equal(await dispatcher.handle({ type: 'request', id: 1, method: 'shell/exec', params: {} }), undefined);
    assert.equal(await dispatcher.handle('junk'), undefined);
    assert.equal(posted.length, 0);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /unknown request method "shell\/exec"/);
    await dispatcher.handle({ type: 'notification', method: 'webview/ready', params: {} });
    assert.equal(readyCount(), 1);
  });

  it('compare/similarity scores with the second model, named, with its similarity function and word-piece limit', async () => {
    const { dispatcher, backend } = setup();
    const response = await dispatcher.handle({
      type: 'request',
      id: 1,
      method: 'compare/similarity',
      params: { a: 'one text', b: 'another text', model: 'owner/tiny' },
    });
    assert.ok(response?.ok, JSON.stringify(response));
    const r = response.result as SimilarityResult;
    assert.equal(r.cosine, cosineSimilarity(fakeVector('txet eno'), fakeVector('txet rehtona')));
    assert.deepEqual([r.model, r.similarityFunction, r.maxTokens], ['tiny', 'dot', 128]);
    assert.deepEqual(backend.others, ['owner/tiny']);
  });

  it('compare/matrix: both matrices, the Spearman ρ of their upper triangles and the five largest disagreements', async () => {
    const { dispatcher } = setup();
    const texts = ['a cat sat', 'a dog ran', 'stocks fell', 'markets dropped', 'rain today'];
    const response = await dispatcher.handle({ type: 'request', id: 1, method: 'compare/matrix', params: { texts, model: 'owner/tiny' } });
    assert.ok(response?.ok, JSON.stringify(response));
    const r = response.result as MatrixComparisonView;
    assert.deepEqual([r.first.name, r.second.name, r.second.similarityFunction], ['all-MiniLM-L6-v2', 'tiny', 'dot']);
    const first = matrixToRows(similarityMatrix(texts.map(fakeVector)));
    const second = matrixToRows(similarityMatrix(texts.map((t) => fakeVector([...t].reverse().join('')))));
    assert.deepEqual(r.first.matrix, first);
    assert.deepEqual(r.second.matrix, second);
    assert.equal(r.pairs, 10);
    assert.equal(r.spearman, spearmanCorrelation(upperTriangle(first), upperTriangle(second)));
    assert.equal(r.disagreements.length, 5);
    const gaps = r.disagreements.map((d) => Math.abs(d.delta));
    assert.deepEqual(
      gaps,
      [...gaps].sort((x, y) => y - x),
    );
    for (const d of r.disagreements) assert.equal(d.delta, second[d.i]![d.j]! - first[d.i]![d.j]!);
  });

  it('compare: a name that is no model, or a catalogue entry with no digest for the dtype, is refused in one line before any model is asked for', async () => {
    const { dispatcher, backend } = setup();
    const bad = await dispatcher.handle({ type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x', b: 'y', model: 'not a model' } });
    assert.deepEqual(!bad?.ok && bad!.error, { code: 'INVALID_INPUT', message: '"not a model" is not a model' });
    const unverifiable = await dispatcher.handle({
      type: 'request',
      id: 2,
      method: 'compare/matrix',
      params: { texts: ['x', 'y'], model: 'bge-small-zh-v1.5' },
    });
    assert.match(!unverifiable?.ok ? unverifiable!.error.message : '', /bge-small-zh-v1\.5 \(fp32\) has no published digest/);
    assert.deepEqual(backend.others, []);
  });

  it('compare: the second model failing answers its own error code and message; the settings are untouched', async () => {
    const { dispatcher, backend } = setup();
    backend.otherFails = true;
    const response = await dispatcher.handle({ type: 'request', id: 1, method: 'compare/matrix', params: { texts: ['x', 'y'], model: 'owner/missing' } });
    assert.equal(!response?.ok && response!.error.code, 'MODEL_NOT_FOUND');
    assert.equal(backend.model, '', 'comparing never changes minilm.model');
  });

  it('request/cancel stops a comparison while the second model encodes', async () => {
    const { dispatcher, backend } = setup();
    backend.holdOther = true;
    const running = dispatcher.handle({ type: 'request', id: 4, method: 'compare/matrix', params: { texts: ['x', 'y', 'z'], model: 'owner/slow' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await dispatcher.handle({ type: 'notification', method: 'request/cancel', params: { id: 4 } });
    assert.deepEqual(await running, { type: 'response', id: 4, ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
  });

  it('request/cancel stops a running request: it answers CANCELLED and a cancelled example run writes no file', async () => {
    const { dispatcher, backend } = setup(scratch);
    backend.hold = true;
    const running = dispatcher.handle({ type: 'request', id: 9, method: 'examples/run', params: {} });
    await new Promise((resolve) => setImmediate(resolve));
    await dispatcher.handle({ type: 'notification', method: 'request/cancel', params: { id: 9 } });
    const response = await running;
    assert.deepEqual(response, { type: 'response', id: 9, ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
    assert.deepEqual(fs.readdirSync(scratch), []);
  });

  it('runs the example suite, saves test_YYYYMMDD_HHMMSS.json, lists it and loads it back', async () => {
    const { dispatcher } = setup(path.join(scratch, 'results'));
    const run = await dispatcher.handle({ type: 'request', id: 1, method: 'examples/run', params: {} });
    assert.ok(run?.ok, JSON.stringify(run));
    const view = run.result as MatrixView;
    assert.equal(view.texts.length, EXAMPLE_TEXTS.length);
    assert.equal(view.pca?.points.length, EXAMPLE_TEXTS.length);
    assert.deepEqual(
      [...view.clusterOrder].sort((a, b) => a - b),
      EXAMPLE_TEXTS.map((_, i) => i),
    );
    const files = fs.readdirSync(path.join(scratch, 'results'));
    assert.equal(files.length, 1);
    assert.match(files[0], /^test_\d{8}_\d{6}\.json$/);
    assert.equal(view.file, path.join(scratch, 'results', files[0]));

    const list = await dispatcher.handle({ type: 'request', id: 2, method: 'examples/list', params: {} });
    assert.ok(list?.ok);
    assert.deepEqual(
      (list.result as Array<{ name: string }>).map((f) => f.name),
      files,
    );
    const loaded = await dispatcher.handle({ type: 'request', id: 3, method: 'examples/load', params: { path: view.file! } });
    assert.ok(loaded?.ok);
    const reloaded = loaded.result as MatrixView;
    assert.equal(reloaded.origin, 'file');
    assert.deepEqual(reloaded.matrix, view.matrix);
    assert.deepEqual(reloaded.clusterOrder, view.clusterOrder);
  });

  it('only reads result files inside the results folder', async () => {
    const { dispatcher } = setup(scratch);
    fs.writeFileSync(path.join(os.tmpdir(), 'test_20250101_000000.json'), '{}');
    for (const p of ['../test_20250101_000000.json', '/etc/passwd', path.join(scratch, 'notes.json')]) {
      const response = await dispatcher.handle({ type: 'request', id: 1, method: 'examples/load', params: { path: p } });
      assert.equal(response?.ok, false, p);
      if (response && !response.ok) assert.equal(response.error.code, 'INVALID_INPUT');
    }
  });

  it('does not follow a result file that is a link out of the results folder', async () => {
    const { dispatcher } = setup(scratch);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.json'), JSON.stringify({ texts: ['secret'], matrix: [[1]] }));
      fs.symlinkSync(path.join(outside, 'secret.json'), path.join(scratch, 'test_20250101_000001.json'));
      const response = await dispatcher.handle({ type: 'request', id: 1, method: 'examples/load', params: { path: 'test_20250101_000001.json' } });
      assert.equal(response?.ok, false);
      if (response && !response.ok) {
        assert.equal(response.error.code, 'INVALID_INPUT');
        assert.match(response.error.message, /leads out of the results folder/);
      }
    } finally {
      fs.rmSync(path.join(scratch, 'test_20250101_000001.json'), { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('without a workspace, examples/list is empty and the run still answers (not saved)', async () => {
    const { dispatcher } = setup(undefined);
    const list = await dispatcher.handle({ type: 'request', id: 1, method: 'examples/list', params: {} });
    assert.deepEqual(list, { type: 'response', id: 1, ok: true, result: [] });
    const run = await dispatcher.handle({ type: 'request', id: 2, method: 'examples/run', params: {} });
    assert.ok(run?.ok);
    assert.equal((run.result as MatrixView).file, undefined);
  });

  it('runs only the allowed commands', async () => {
    const { dispatcher, backend } = setup();
    await dispatcher.handle({ type: 'request', id: 1, method: 'command/run', params: { command: 'minilm.showLog' } });
    await dispatcher.handle({ type: 'request', id: 2, method: 'command/run', params: { command: 'workbench.action.quit' } });
    assert.deepEqual(backend.commands, ['minilm.showLog']);
  });

  it('rejects result files that are not a square matrix over their texts', () => {
    assert.throws(() => parseResultDocument('not json', 'f'), /not valid JSON/);
    assert.throws(() => parseResultDocument(JSON.stringify({ texts: ['a', 'b'], matrix: [[1, 0]] }), 'f'), /square matrix/);
    const ok = parseResultDocument(
      JSON.stringify({
        texts: ['a', 'b'],
        matrix: [
          [1, 0.5],
          [0.5, 1],
        ],
      }),
      'f',
    );
    assert.deepEqual(ok.topics, ['', '']);
  });
});
