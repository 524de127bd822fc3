// The Studio panel inside a real extension host: it opens from its command, its webview says ready, and each tab's
// request, posted through the same dispatcher the webview's messages reach, gets the answer the engine and the core
// maths give. Malformed messages are dropped, and a result path outside the results folder is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type {
  EncodeResult,
  ExplainView,
  HostResponse,
  MatrixView,
  ModelStatus,
  ResultFileEntry,
  SearchResult,
  SimilarityResult,
} from '../../src/shared/studioProtocol';
import { closeAllEditors, extensionApi, waitFor } from './extensionApi';

type Panel = NonNullable<ReturnType<MiniLmExtensionApi['studioPanel']>>;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

describe('Studio panel over the protocol', function () {
  this.timeout(300_000);
  let api: MiniLmExtensionApi;
  let panel: Panel;
  let nextId = 1;

  /** Posts a request as the webview would and returns the successful result (fails the test on an error response). */
  async function request<T>(method: string, params: unknown = {}): Promise<T> {
    const response = await panel.handleRequestForTest({ type: 'request', id: nextId++, method, params });
    assert.ok(response, `${method}: no response`);
    assert.ok(response.ok, `${method} failed: ${JSON.stringify(!response.ok && response.error)}`);
    return response.result as T;
  }

  async function failure(method: string, params: unknown): Promise<Extract<HostResponse, { ok: false }>['error']> {
    const response = await panel.handleRequestForTest({ type: 'request', id: nextId++, method, params });
    assert.ok(response, `${method}: no response`);
    assert.equal(response.ok, false, `${method} succeeded with ${JSON.stringify(response.ok && response.result)}`);
    return (response as Extract<HostResponse, { ok: false }>).error;
  }

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('minilm.openStudio');
    await waitFor(() => api.studioPanel() !== undefined, 'the Studio panel', 30_000);
    panel = api.studioPanel()!;
    // The webview's own script sends webview/ready: the bundle loaded under the panel's CSP.
    await Promise.race([
      panel.whenReadyForTest(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the Studio webview never said ready')), 60_000)),
    ]);
  });

  after(closeAllEditors);

  it('Model tab: status, load (facts of the loaded model), and the same state after unload and reload', async () => {
    const before = await request<ModelStatus>('model/status');
    assert.ok(['unloaded', 'ready'].includes(before.state), `state ${before.state}`);
    assert.ok(before.memoryRss > 0);

    const loaded = await request<ModelStatus>('model/load');
    assert.equal(loaded.state, 'ready');
    assert.ok(loaded.info, 'a ready status carries the model facts');
    assert.equal(loaded.info.dimension, 384);
    assert.equal(loaded.info.maxSeqLength, 256);
    assert.equal(loaded.info.dtype, loaded.dtype);
    assert.ok(fs.existsSync(path.join(loaded.info.dir, 'onnx')), `model folder ${loaded.info.dir}`);
    assert.ok(loaded.info.loadMs > 0);

    const unloaded = await request<ModelStatus>('model/unload');
    assert.equal(unloaded.state, 'unloaded');
    assert.equal(unloaded.info, undefined);
    assert.equal(api.services.engine.state.kind, 'unloaded');
    assert.equal((await request<ModelStatus>('model/load')).state, 'ready');
  });

  it('Similarity tab: cosine, Euclidean, dot and Manhattan of the engine vectors, token counts and truncation', async () => {
    const a = 'A man is playing a guitar.';
    const b = 'Someone plays an acoustic guitar.';
    const result = await request<SimilarityResult>('similarity/compute', { a, b });
    const [va, vb] = await api.services.engine.encode([a, b]);
    assert.equal(result.dimension, 384);
    assert.ok(Math.abs(result.cosine - dot(va!, vb!)) < 1e-5, `cosine ${result.cosine}`);
    assert.ok(Math.abs(result.dot - result.cosine) < 1e-5, 'unit vectors: dot = cosine');
    assert.ok(Math.abs(result.normA - 1) < 1e-5 && Math.abs(result.normB - 1) < 1e-5);
    assert.ok(Math.abs(result.euclidean - Math.sqrt(Math.max(0, 2 - 2 * result.cosine))) < 1e-4);
    let manhattan = 0;
    for (let i = 0; i < 384; i++) manhattan += Math.abs(va![i]! - vb![i]!);
    assert.ok(Math.abs(result.manhattan - manhattan) < 1e-3);
    assert.equal(result.tokensA!.truncated, false);
    assert.ok(result.tokensA!.count >= 8 && result.tokensA!.count < 20, `tokens ${result.tokensA!.count}`);
    assert.equal(result.maxTokens, 256);

    const long = 'word '.repeat(400);
    const truncated = await request<SimilarityResult>('similarity/compute', { a: long, b });
    assert.equal(truncated.tokensA!.count, 256);
    assert.equal(truncated.tokensA!.truncated, true);
  });

  it("Similarity tab, Explain: the word-piece alignment of the engine's token embeddings, each row's best match its maximum", async () => {
    const a = 'The guitarist was strumming a tune.';
    const b = 'Someone plays an acoustic guitar.';
    const view = await request<ExplainView>('similarity/explain', { a, b });
    const tokensA = await api.services.engine.tokenEmbeddings(a);
    assert.deepEqual(view.tokensA, tokensA.tokens.slice(1, -1), "A's pieces without [CLS] and [SEP]");
    assert.equal(view.matrix.length, view.tokensA.length);
    assert.ok(view.matrix.every((row) => row.length === view.tokensB.length));
    view.matrix.forEach((row, r) => assert.equal(row[view.bestInB[r]!], Math.max(...row)));
    assert.equal(view.wordsA[view.tokensA.indexOf('##rum')], 'strumming');
    const [va, vb] = await api.services.engine.encode([a, b]);
    assert.ok(Math.abs(view.cosine - dot(va!, vb!)) < 1e-5);
    assert.ok(view.precision > 0 && view.precision <= 1 && view.recall > 0 && view.recall <= 1);
    assert.equal(view.maxTokens, 256);
  });

  it('Encode tab: the 384 numbers of the engine vector, its norm and token count; copy puts them on the clipboard', async () => {
    const text = 'Embeddings map sentences to points in space.';
    const result = await request<EncodeResult>('encode/compute', { text });
    const [vector] = await api.services.engine.encode([text]);
    assert.equal(result.dimension, 384);
    assert.equal(result.vector.length, 384);
    assert.ok(
      result.vector.every((x, i) => Math.abs(x - vector![i]!) < 1e-6),
      'same vector as the engine',
    );
    assert.ok(Math.abs(result.norm - 1) < 1e-5);
    assert.equal(result.tokens!.truncated, false);

    await vscode.env.clipboard.writeText('');
    const copied = await request<{ characters: number }>('encode/copy', { text });
    const clip = await vscode.env.clipboard.readText();
    assert.equal(clip.length, copied.characters);
    const parsed = JSON.parse(clip) as number[];
    assert.equal(parsed.length, 384);
    assert.ok(
      parsed.every((x, i) => Math.abs(x - vector![i]!) < 1e-6),
      'the clipboard holds the vector',
    );
  });

  it('Find similar tab: hits best first, top-k long, scores equal to the cosine with the query', async () => {
    const query = 'How do I bake bread at home?';
    const candidates = [
      'The stock market fell sharply today.',
      'A simple recipe for homemade bread.',
      'Tips for baking a sourdough loaf in your kitchen.',
      'The football match ended in a draw.',
      'Kneading dough is the key step of bread making.',
    ];
    const result = await request<SearchResult>('search/run', { query, candidates, topK: 3 });
    assert.equal(result.candidateCount, 5);
    assert.equal(result.hits.length, 3);
    const vectors = await api.services.engine.encode([query, ...candidates]);
    const expected = candidates.map((_, i) => ({ index: i, score: dot(vectors[0]!, vectors[i + 1]!) })).sort((x, y) => y.score - x.score);
    assert.deepEqual(
      result.hits.map((h) => h.index),
      expected.slice(0, 3).map((e) => e.index),
    );
    for (const hit of result.hits) {
      assert.equal(hit.text, candidates[hit.index]);
      assert.ok(Math.abs(hit.score - expected.find((e) => e.index === hit.index)!.score) < 1e-5);
    }
    assert.ok(!result.hits.some((h) => h.index === 0 || h.index === 3), 'finance and football are not among the top 3');
  });

  it('Examples tab: runs the suite, saves results/test_*.json, lists it and loads the same matrix back', async () => {
    const run = await request<MatrixView>('examples/run');
    assert.equal(run.origin, 'run');
    const n = run.texts.length;
    assert.ok(n >= 20, `${n} example texts`);
    assert.equal(run.matrix.length, n);
    assert.deepEqual(
      [...run.clusterOrder].sort((x, y) => x - y),
      [...Array(n).keys()],
      'cluster order is a permutation',
    );
    assert.equal(run.pca?.points.length, n);
    assert.ok(run.file, 'the run was saved');
    assert.match(path.basename(run.file), /^test_\d{8}_\d{6}\.json$/);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.equal(path.dirname(run.file), path.join(folder, 'results'));
    const saved = JSON.parse(fs.readFileSync(run.file, 'utf8')) as { texts: string[]; matrix: number[][] };
    assert.deepEqual(saved.texts, run.texts);

    const list = await request<ResultFileEntry[]>('examples/list');
    assert.ok(
      list.some((entry) => entry.path === run.file),
      'the new file is listed',
    );
    const loaded = await request<MatrixView>('examples/load', { path: run.file });
    assert.equal(loaded.origin, 'file');
    assert.deepEqual(loaded.texts, run.texts);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(loaded.matrix[i]![j]! - run.matrix[i]![j]!) < 1e-4);
  });

  it('a matrix for texts a command sent: symmetric with a unit diagonal', async () => {
    const texts = ['I love cats.', 'Cats are my favourite animals.', 'Quantum computers use qubits.'];
    const view = await request<MatrixView>('matrix/compute', { texts });
    assert.equal(view.origin, 'texts');
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(view.matrix[i]![i]! - 1) < 1e-5);
      for (let j = 0; j < 3; j++) assert.ok(Math.abs(view.matrix[i]![j]! - view.matrix[j]![i]!) < 1e-6);
    }
    assert.ok(view.matrix[0]![1]! > view.matrix[0]![2]! + 0.2);
  });

  it('refuses a result path outside the results folder and drops malformed or unknown messages', async () => {
    const outside = await failure('examples/load', { path: '../package.json' });
    assert.equal(outside.code, 'INVALID_INPUT');
    assert.equal(await panel.handleRequestForTest({ type: 'request', id: nextId++, method: 'fs/delete', params: {} }), undefined);
    assert.equal(await panel.handleRequestForTest({ type: 'request', id: nextId++, method: 'similarity/compute', params: { a: 1, b: 'x' } }), undefined);
    assert.equal(
      await panel.handleRequestForTest({ type: 'request', id: nextId++, method: 'command/run', params: { command: 'workbench.action.quit' } }),
      undefined,
    );
    assert.equal(await panel.handleRequestForTest('not even an object'), undefined);
    // The panel still answers after the junk.
    assert.equal((await request<ModelStatus>('model/status')).state, 'ready');
  });
});
