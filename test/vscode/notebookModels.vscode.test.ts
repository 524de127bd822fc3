// Several models in one notebook, inside a real VS Code extension host: a `# model:` line per cell runs that cell on
// its own model (two tiny models copied into the workspace give different vectors for the same texts), each output
// names its model, the notebook's metadata model applies to cells without a line, and a folder outside the
// workspace is refused with one line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedModelsView } from '../../src/shared/studioProtocol';
import { EXTENSION_ID, closeAllEditors, extensionApi, waitFor, workspaceRoot } from './extensionApi';
import { CELL_TIMEOUT_MS, cellFinished, describeOutputs, ERROR_MIME, showWithKernel } from './notebookDriver';

/** The repository (out/test/vscode → ../../..), where the tiny test models are. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

function jsonOf(cell: vscode.NotebookCell): { model?: string; vectors?: number[][]; matrix?: number[][] } {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/json');
  assert.ok(item, `cell ${cell.index + 1} has no JSON output: ${describeOutputs(cell)}`);
  return JSON.parse(new TextDecoder().decode(item.data)) as { model?: string; vectors?: number[][] };
}

/** Copies two tiny models into the workspace's tiny-models/ (as a repository might hold them). */
async function setUp(): Promise<void> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  for (const name of ['bert-mean-norm', 'xlmr-unigram-mean']) {
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'tiny-models', name), path.join(workspaceFolder(), 'tiny-models', name), { recursive: true });
  }
}

function workspaceFolder(): string {
  return workspaceRoot().fsPath;
}

/** Writes a notebook of these cells into the workspace, opens it and runs all its cells. */
async function runAll(cells: string[], metadata: Record<string, unknown> = {}): Promise<vscode.NotebookDocument> {
  const workspace = workspaceFolder();
  const file = vscode.Uri.file(path.join(workspace, `models-${Date.now()}.minilm`));
  fs.writeFileSync(
    file.fsPath,
    `%% minilm-notebook v1${Object.keys(metadata).length ? ' ' + JSON.stringify(metadata) : ''}\n${cells.map((c) => `%% minilm\n${c}\n`).join('')}`,
  );
  const notebook = await vscode.workspace.openNotebookDocument(file);
  await showWithKernel(notebook);
  await vscode.commands.executeCommand('notebook.execute');
  await waitFor(
    () => notebook.getCells().every(cellFinished) || notebook.getCells().some((c) => c.executionSummary?.success === false),
    'the cells to finish',
    CELL_TIMEOUT_MS,
  );
  return notebook;
}

describe('minilm notebook: a model per cell and per notebook', function () {
  this.timeout(300_000);
  before(setUp);
  afterEach(closeAllEditors);

  it("two cells on the same texts, each with its own # model:, give each model's vectors and name it", async () => {
    const texts = 'hello world\n你好，世界';
    const notebook = await runAll([
      `# model: tiny-models/bert-mean-norm\nencode\n${texts}`,
      `# model: tiny-models/xlmr-unigram-mean\nencode\n${texts}`,
      `# model: tiny-models/bert-mean-norm\nencode\n${texts}`,
    ]);
    const [english, multilingual, again] = notebook.getCells().map(jsonOf);
    assert.equal(english!.model, 'bert-mean-norm fp32');
    assert.equal(multilingual!.model, 'xlmr-unigram-mean fp32');
    assert.notDeepEqual(english!.vectors, multilingual!.vectors);
    assert.deepEqual(again!.vectors, english!.vectors, 'the first model is still loaded (or reloaded) and gives the same vectors');
    const fixtures = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'tiny-models', 'fixtures.json'), 'utf8')) as {
      models: Record<string, { texts: string[]; settings: { name: string; embeddings: number[][] }[] }>;
    };
    for (const [name, doc] of [
      ['bert-mean-norm', english],
      ['xlmr-unigram-mean', multilingual],
    ] as const) {
      const model = fixtures.models[name]!;
      const expected = model.settings.find((s) => s.name === 'none')!.embeddings[model.texts.indexOf('hello world')]!;
      const got = doc!.vectors![0]!;
      const cos = got.reduce((sum, x, i) => sum + x * expected[i]!, 0) / Math.hypot(...got) / Math.hypot(...expected);
      assert.ok(cos >= 0.99999, `${name}: cosine ${cos} to sentence-transformers`);
    }
  });

  it("the notebook's metadata model runs cells without a # model: line", async () => {
    const notebook = await runAll(['compare\nA cat.\nA dog.'], { model: 'tiny-models/xlmr-unigram-mean' });
    assert.equal(jsonOf(notebook.cellAt(0)).model, 'xlmr-unigram-mean fp32');
  });

  it('MiniLM: Set Notebook Model writes the metadata through an undoable edit, the next run uses that model, and a bad name changes nothing', async () => {
    const notebook = await runAll(['encode\nhello world']);
    const before = jsonOf(notebook.cellAt(0)).model;
    assert.notEqual(before, 'xlmr-unigram-mean fp32');
    assert.equal(await vscode.commands.executeCommand('minilm.setNotebookModel', { model: 'tiny-models/xlmr-unigram-mean' }), 'tiny-models/xlmr-unigram-mean');
    assert.equal(notebook.metadata.model, 'tiny-models/xlmr-unigram-mean');
    assert.ok(notebook.isDirty, 'an edit of the document, saved with it');
    await vscode.commands.executeCommand('notebook.execute');
    const modelOf = (cell: vscode.NotebookCell) => {
      try {
        return jsonOf(cell).model;
      } catch {
        return undefined; // outputs cleared while the cell runs again
      }
    };
    await waitFor(() => modelOf(notebook.cellAt(0)) === 'xlmr-unigram-mean fp32', 'the cell to run on the notebook model');
    await notebook.save();
    assert.match(fs.readFileSync(notebook.uri.fsPath, 'utf8').split('\n')[0]!, /^%% minilm-notebook v1 \{.*"model":"tiny-models\/xlmr-unigram-mean".*\}$/);
    // A name that is no model is refused with one line; the metadata stays.
    assert.equal(await vscode.commands.executeCommand('minilm.setNotebookModel', { model: 'no such model at all' }), undefined);
    assert.equal(notebook.metadata.model, 'tiny-models/xlmr-unigram-mean');
    await vscode.commands.executeCommand('minilm.setNotebookModel', { model: 'tiny-models/bert-mean-norm' });
    assert.equal(notebook.metadata.model, 'tiny-models/bert-mean-norm');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => notebook.metadata.model === 'tiny-models/xlmr-unigram-mean', 'undo to restore the previous model');
    assert.equal(await vscode.commands.executeCommand('minilm.setNotebookModel', { model: null }), null);
    assert.equal(notebook.metadata.model ?? undefined, undefined, '"Use the default model" clears the key');
    await notebook.save();
    assert.doesNotMatch(fs.readFileSync(notebook.uri.fsPath, 'utf8').split('\n')[0]!, /model/, 'and the file names no model');
    await vscode.commands.executeCommand('notebook.execute');
    await waitFor(() => modelOf(notebook.cellAt(0)) === before, 'the cell to run on the default model again');
  });

  it("the Studio's Loaded models lists the active model and a notebook's pooled one; Unload frees it", async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('minilm.openStudio');
    await waitFor(() => api.studioPanel() !== undefined, 'the Studio panel');
    const panel = api.studioPanel()!;
    let id = 70_000;
    const request = async (method: string, params: unknown) => {
      const response = await panel.handleRequestForTest({ type: 'request', id: id++, method, params });
      assert.ok(response?.ok, `${method}: ${JSON.stringify(response)}`);
      return response.result as LoadedModelsView;
    };
    const pooledNames = (view: LoadedModelsView) => view.models.filter((m) => !m.active).map((m) => m.name);
    for (const m of (await request('model/loaded', {})).models) if (m.key) await request('model/unloadPooled', { key: m.key });
    await runAll(['# model: tiny-models/bert-mean-norm\ncompare\nA cat.\nA dog.']);
    const view = await request('model/loaded', {});
    assert.equal(view.models[0]!.active, true);
    assert.deepEqual(pooledNames(view), ['bert-mean-norm']);
    const pooled = view.models.find((m) => !m.active)!;
    const weights = fs.statSync(path.join(workspaceFolder(), 'tiny-models', 'bert-mean-norm', 'onnx', 'model.onnx')).size;
    assert.deepEqual({ state: pooled.state, busy: pooled.busy, dtype: pooled.dtype }, { state: 'ready', busy: 0, dtype: 'fp32' });
    assert.ok(pooled.bytes! >= weights && pooled.bytes! % weights === 0, `${pooled.bytes} bytes: the ONNX file (${weights}) once per worker`);
    assert.equal(view.pooledBytes, pooled.bytes);
    assert.equal(view.budgetBytes, 1024 * 1024 * 1024, 'minilm.models.memoryBudgetMB, 1024 by default');
    const after = await request('model/unloadPooled', { key: pooled.key });
    assert.deepEqual(pooledNames(after), []);
  });

  it('a model folder outside the workspace is one line, and the cell fails', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-outside-'));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'tiny-models', 'bert-cls'), outside, { recursive: true });
    const notebook = await runAll([`# model: ${outside}\ncompare\na\nb`]);
    const cell = notebook.cellAt(0);
    assert.equal(cell.executionSummary?.success, false);
    const error = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === ERROR_MIME);
    assert.ok(error);
    assert.match(new TextDecoder().decode(error.data), /Line 1: The model folder .* is outside the workspace folder/);
  });
});
