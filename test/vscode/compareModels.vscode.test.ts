// "Compare with" through the real Studio panel in the extension host: the active model (all-MiniLM-L6-v2 from
// minilm.modelFolder) beside a tiny model folder, held in the extension's model pool. The tiny model's scores must be
// the ones sentence-transformers 6.2.0 gives for it (test/fixtures/tiny-models/fixtures.json), the active model's the
// engine's own, and ρ the one src/core computes; cancelling stops the comparison and leaves minilm.model alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { HostResponse, MatrixComparisonView, ModelPickerView, SimilarityResult } from '../../src/shared/studioProtocol';
import { compareMatrices } from '../../src/core/matrixComparison';
import { closeAllEditors, extensionApi, waitFor } from './extensionApi';

type Panel = NonNullable<ReturnType<MiniLmExtensionApi['studioPanel']>>;

/** The repository (out/test/vscode → ../../..), where the tiny test models are. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const TINY = path.join(repoRoot, 'test', 'fixtures', 'tiny-models', 'xlmr-unigram-mean');

interface Fixtures {
  texts: string[];
  models: Record<string, { settings: Array<{ name: string; embeddings: number[][] }> }>;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('Studio panel: "Compare with" a second model', function () {
  this.timeout(300_000);
  let api: MiniLmExtensionApi;
  let panel: Panel;
  let nextId = 10_000;
  const fixtures = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'tiny-models', 'fixtures.json'), 'utf8')) as Fixtures;
  const reference = fixtures.models['xlmr-unigram-mean']!.settings.find((s) => s.name === 'none')!.embeddings;
  // Texts with words in them (the fixtures also hold empty and blank ones), by their index in the fixtures.
  const picked = fixtures.texts
    .map((text, i) => ({ text, i }))
    .filter(({ text }) => /\p{L}{3}/u.test(text))
    .slice(0, 8);

  const send = (method: string, params: unknown, id = nextId++) => panel.handleRequestForTest({ type: 'request', id, method, params });
  async function request<T>(method: string, params: unknown): Promise<T> {
    const response = await send(method, params);
    assert.ok(response?.ok, `${method} failed: ${JSON.stringify(response && !response.ok && response.error)}`);
    return response.result as T;
  }

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('minilm.openStudio');
    await waitFor(() => api.studioPanel() !== undefined, 'the Studio panel', 30_000);
    panel = api.studioPanel()!;
    await panel.whenReadyForTest();
  });

  after(closeAllEditors);

  it("two texts: the second model's score is sentence-transformers' for it, named; the active model is untouched", async () => {
    const [a, b] = [picked[0]!, picked[1]!];
    const setting = vscode.workspace.getConfiguration('minilm').get<string>('model');
    const result = await request<SimilarityResult>('compare/similarity', { a: a.text, b: b.text, model: TINY });
    assert.equal(result.model, 'xlmr-unigram-mean');
    assert.equal(result.similarityFunction, 'cosine');
    assert.ok(Math.abs(result.cosine - cosine(reference[a.i]!, reference[b.i]!)) < 1e-5, `cosine ${result.cosine}`);
    const active = await request<SimilarityResult>('similarity/compute', { a: a.text, b: b.text });
    const [va, vb] = await api.services.engine.encode([a.text, b.text]);
    assert.ok(Math.abs(active.cosine - cosine(va!, vb!)) < 1e-6);
    assert.equal(active.model, 'all-MiniLM-L6-v2');
    assert.equal(vscode.workspace.getConfiguration('minilm').get<string>('model'), setting, 'comparing never writes minilm.model');
  });

  it('N texts: both matrices, ρ as src/core computes it, and the largest disagreements', async () => {
    const texts = picked.map((p) => p.text);
    const result = await request<MatrixComparisonView>('compare/matrix', { texts, model: TINY });
    assert.deepEqual([result.first.name, result.second.name], ['all-MiniLM-L6-v2', 'xlmr-unigram-mean']);
    const vectors = await api.services.engine.encode(texts);
    picked.forEach((p, r) =>
      picked.forEach((q, c) => {
        assert.ok(Math.abs(result.second.matrix[r]![c]! - cosine(reference[p.i]!, reference[q.i]!)) < 1e-5, `second (${r}, ${c})`);
        assert.ok(Math.abs(result.first.matrix[r]![c]! - cosine(vectors[r]!, vectors[c]!)) < 1e-5, `first (${r}, ${c})`);
      }),
    );
    const expected = compareMatrices(result.first.matrix, result.second.matrix, 5);
    assert.equal(result.spearman, expected.spearman);
    assert.equal(result.pairs, (texts.length * (texts.length - 1)) / 2);
    assert.deepEqual(result.disagreements, expected.disagreements);
  });

  it('a catalogue model that is not on this machine is not downloaded while minilm.allowDownload is off', async () => {
    const config = () => vscode.workspace.getConfiguration('minilm');
    const before = config().inspect<boolean>('allowDownload')?.globalValue;
    await config().update('allowDownload', false, vscode.ConfigurationTarget.Global);
    try {
      const picker = await request<ModelPickerView>('model/catalogue', {});
      const absent = picker.entries.find((e) => !e.local && !e.current && e.verifiedDtypes.includes(picker.dtype));
      assert.ok(absent, 'a catalogue entry that would need a download');
      const response = await send('compare/similarity', { a: 'A cat.', b: '一只猫。', model: absent.id });
      const error = (response as Extract<HostResponse, { ok: false }>).error;
      assert.equal(error?.code, 'MODEL_NOT_FOUND', JSON.stringify(response));
      assert.doesNotMatch(error.message, /\n/);
      const after = await request<ModelPickerView>('model/catalogue', {});
      assert.equal(after.entries.find((e) => e.id === absent.id)?.local, undefined, 'nothing was fetched');
    } finally {
      await config().update('allowDownload', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('a name that is no model is refused in one line; request/cancel stops a comparison', async () => {
    const refused = await send('compare/similarity', { a: 'x', b: 'y', model: 'not a model name!' });
    assert.equal(refused?.ok, false);
    const error = (refused as Extract<HostResponse, { ok: false }>).error;
    assert.equal(error.code, 'INVALID_INPUT');
    assert.doesNotMatch(error.message, /\n/);

    const id = nextId++;
    // Texts the model has not seen, so that the request is still encoding when the cancel arrives.
    const texts = Array.from({ length: 400 }, (_, i) => `A sentence numbered ${i} about ${'things '.repeat(i % 20)}`);
    const running = send('compare/matrix', { texts, model: TINY }, id);
    await panel.handleRequestForTest({ type: 'notification', method: 'request/cancel', params: { id } });
    const response = await running;
    assert.deepEqual(response && !response.ok && response.error, { code: 'CANCELLED', message: 'Cancelled.' });
  });
});
