// Several models in one notebook, inside a real VS Code extension host: a `# model:` line per cell runs that cell on
// its own model (two tiny models copied into the workspace give different vectors for the same texts), each output
// names its model, the notebook's metadata model applies to cells without a line, and a folder outside the
// workspace is refused with one line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceRoot } from './extensionApi';
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
  await waitFor(() => notebook.getCells().every(cellFinished) || notebook.getCells().some((c) => c.executionSummary?.success === false), 'the cells to finish', CELL_TIMEOUT_MS);
  return notebook;
}

describe('minilm notebook: a model per cell and per notebook', function () {
  this.timeout(300_000);
  before(setUp);
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

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
