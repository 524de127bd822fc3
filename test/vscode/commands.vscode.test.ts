// The MiniLM commands inside a real extension host with the real model: Compare Selection with multi-cursor and
// multi-line selections, Encode Selection, Find Similar, Run Example Tests (and its cancellation), Choose Model
// Folder, New MiniLM Notebook.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { ComparisonOutcome, EncodeOutcome, ExamplesOutcome, SearchOutcome } from '../../src/commands/commandOutcomes';
import { startLocalHub } from '../helpers/localHubServer';
import { closeAllEditors, extensionApi, testModelFolder, waitFor } from './extensionApi';

const LINES = ['A man is eating food.', '', '  A man is eating a piece of bread.  ', 'The girl is carrying a baby.', 'A man is riding a horse.'];

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

async function openEditor(lines: string[] = LINES): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content: lines.join('\n'), language: 'plaintext' });
  return vscode.window.showTextDocument(document);
}

function lineSelection(editor: vscode.TextEditor, line: number): vscode.Selection {
  const range = editor.document.lineAt(line).range;
  return new vscode.Selection(range.start, range.end);
}

function studioTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('minilm.studio'));
}

describe('commands', function () {
  this.timeout(300_000);
  let api: MiniLmExtensionApi;

  before(async () => {
    api = await extensionApi();
  });

  afterEach(closeAllEditors);

  it('activation did not load the model (no MiniLM command has run yet)', () => {
    assert.equal(api.services.engine.state.kind, 'unloaded');
    assert.equal(api.statusBar.view.command, 'minilm.loadModel');
  });

  it('Compare Selection with two cursor selections compares the two selected texts', async () => {
    const editor = await openEditor();
    editor.selections = [lineSelection(editor, 0), lineSelection(editor, 2)];
    const outcome = await vscode.commands.executeCommand<ComparisonOutcome | undefined>('minilm.compareSelection');
    assert.ok(outcome, `no comparison; message: ${api.outcomes.lastMessage}`);
    assert.equal(outcome.from, 'selections');
    assert.deepEqual(outcome.texts, ['A man is eating food.', 'A man is eating a piece of bread.']);
    const [a, b, unrelated] = await api.services.engine.encode([...outcome.texts, 'The girl is carrying a baby.']);
    assert.ok(Math.abs(outcome.cosine! - dot(a!, b!)) < 1e-5, `cosine ${outcome.cosine} vs ${dot(a!, b!)}`);
    // Unit vectors: |a - b|² = 2 - 2 cos.
    assert.ok(Math.abs(outcome.euclidean! - Math.sqrt(2 - 2 * outcome.cosine!)) < 1e-4);
    assert.ok(outcome.cosine! > dot(a!, unrelated!) + 0.2, 'paraphrases score well above an unrelated sentence');
    assert.equal(api.outcomes.lastComparison, outcome);
    assert.match(api.outcomes.lastMessage ?? '', /^Cosine similarity 0\.\d{4} .*Euclidean distance 0\.\d{4}/);
  });

  it('Compare Selection with one selection over several lines compares every non-empty line and opens the matrix in the Studio', async () => {
    const editor = await openEditor();
    const last = editor.document.lineAt(LINES.length - 1).range.end;
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), last);
    const outcome = await vscode.commands.executeCommand<ComparisonOutcome | undefined>('minilm.compareSelection');
    assert.ok(outcome?.matrix, `no matrix; message: ${api.outcomes.lastMessage}`);
    assert.equal(outcome.from, 'lines');
    assert.deepEqual(
      outcome.texts,
      LINES.map((l) => l.trim()).filter((l) => l !== ''),
    );
    const n = outcome.texts.length;
    assert.equal(outcome.matrix.length, n);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(outcome.matrix[i]![i]! - 1) < 1e-5, 'diagonal is 1');
      for (let j = 0; j < n; j++) assert.equal(outcome.matrix[i]![j], outcome.matrix[j]![i], 'symmetric');
    }
    assert.ok(outcome.matrix[0]![1]! > outcome.matrix[0]![2]!, 'eating food is closer to eating bread than to carrying a baby');
    // The tab model reaches the extension host a moment after the panel is created.
    await waitFor(() => studioTabs().length === 1, 'the Studio panel tab', 30_000);
  });

  it('Compare Selection with one selection within a line compares it with a second text', async () => {
    const editor = await openEditor();
    editor.selection = lineSelection(editor, 4);
    const outcome = await vscode.commands.executeCommand<ComparisonOutcome | undefined>('minilm.compareSelection', {
      secondText: 'Someone rides a horse.',
    });
    assert.ok(outcome);
    assert.equal(outcome.from, 'input');
    assert.deepEqual(outcome.texts, ['A man is riding a horse.', 'Someone rides a horse.']);
    assert.ok(outcome.cosine! > 0.6, `cosine ${outcome.cosine}`);
  });

  it('Compare Selection with a bare cursor (the context menu offers it without a selection) compares its line', async () => {
    const editor = await openEditor();
    editor.selection = new vscode.Selection(new vscode.Position(2, 5), new vscode.Position(2, 5));
    const outcome = await vscode.commands.executeCommand<ComparisonOutcome | undefined>('minilm.compareSelection', {
      secondText: 'A man eats bread.',
    });
    assert.ok(outcome);
    assert.equal(outcome.from, 'input');
    assert.deepEqual(outcome.texts, ['A man is eating a piece of bread.', 'A man eats bread.']);
  });

  it('Compare Selection on a blank line without a selection says what to select and compares nothing', async () => {
    const editor = await openEditor();
    editor.selection = new vscode.Selection(new vscode.Position(1, 0), new vscode.Position(1, 0));
    const before = api.outcomes.lastComparison;
    const outcome = await vscode.commands.executeCommand('minilm.compareSelection');
    assert.equal(outcome, undefined);
    assert.equal(api.outcomes.lastComparison, before);
    assert.match(api.outcomes.lastMessage ?? '', /Nothing to compare\. Select two or more lines, or make several selections/);
  });

  it('Encode Selection gives a 384-dimensional unit vector with its word-piece count', async () => {
    const editor = await openEditor();
    editor.selection = lineSelection(editor, 3);
    const outcome = await vscode.commands.executeCommand<EncodeOutcome | undefined>('minilm.encodeSelection');
    assert.ok(outcome);
    assert.equal(outcome.text, 'The girl is carrying a baby.');
    assert.equal(outcome.dimension, 384);
    assert.ok(Math.abs(outcome.norm - 1) < 1e-4, `norm ${outcome.norm}`);
    assert.ok(outcome.tokens! >= 8 && outcome.tokens! <= 12, `${outcome.tokens} word pieces`);
    assert.equal(outcome.truncated, false);
    assert.match(api.outcomes.lastMessage ?? '', /384 dimensions, norm 1\.0000/);
  });

  it('Find Similar ranks the other lines of the document against the selected line', async () => {
    const editor = await openEditor();
    editor.selection = lineSelection(editor, 0);
    const outcome = await vscode.commands.executeCommand<SearchOutcome | undefined>('minilm.findSimilar', { showResults: false });
    assert.ok(outcome);
    assert.equal(outcome.query, 'A man is eating food.');
    assert.equal(outcome.candidates, 3, 'the query line and the blank line are not candidates');
    assert.deepEqual(outcome.hits[0], { line: 2, text: 'A man is eating a piece of bread.', score: outcome.hits[0]!.score });
    const scores = outcome.hits.map((h) => h.score);
    assert.deepEqual(
      scores,
      [...scores].sort((x, y) => y - x),
      'best first',
    );
  });

  it('Find Similar searches the lines of a chosen file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'find-similar-candidates.txt');
    fs.writeFileSync(file, 'The weather is sunny today.\n\nI love eating noodles.\nStock prices fell sharply.\n');
    try {
      const outcome = await vscode.commands.executeCommand<SearchOutcome | undefined>('minilm.findSimilar', {
        query: 'What did you have for lunch?',
        file,
        showResults: false,
      });
      assert.ok(outcome);
      assert.equal(outcome.source, 'find-similar-candidates.txt');
      assert.equal(outcome.candidates, 3);
      assert.equal(outcome.hits[0]!.text, 'I love eating noodles.');
      assert.equal(outcome.hits[0]!.line, 2);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('Run Example Tests writes results/test_YYYYMMDD_HHMMSS.json with the 25-text matrix and opens the Studio', async () => {
    const outcome = await vscode.commands.executeCommand<ExamplesOutcome | undefined>('minilm.runExamples');
    assert.ok(outcome, `no result; message: ${api.outcomes.lastMessage}`);
    const resultsFolder = api.services.resultsFolder();
    assert.ok(resultsFolder);
    assert.equal(path.dirname(outcome.file), resultsFolder.fsPath);
    assert.match(path.basename(outcome.file), /^test_\d{8}_\d{6}\.json$/);
    const document = JSON.parse(fs.readFileSync(outcome.file, 'utf8')) as { texts: string[]; matrix: number[][]; model: string; dtype: string };
    assert.equal(document.model, 'all-MiniLM-L6-v2');
    assert.equal(document.texts.length, 25);
    assert.equal(document.matrix.length, 25);
    assert.ok(document.matrix.every((row) => row.length === 25));
    assert.equal(fs.readdirSync(resultsFolder.fsPath).filter((f) => f.endsWith('.tmp')).length, 0, 'no temp file left behind');
    await waitFor(() => studioTabs().length === 1, 'the Studio panel tab (Examples)', 30_000);
  });

  it('a cancelled Run Example Tests leaves no file, not even a partial one', async () => {
    const resultsFolder = api.services.resultsFolder();
    assert.ok(resultsFolder);
    fs.mkdirSync(resultsFolder.fsPath, { recursive: true });
    const before = new Set(fs.readdirSync(resultsFolder.fsPath));
    await api.services.engine.unload();
    const source = new vscode.CancellationTokenSource();
    // Cancel while the model loads, as the notification's Cancel button would.
    const listener = api.services.engine.onDidChangeState((state) => {
      if (state.kind === 'loading') source.cancel();
    });
    try {
      const outcome = await vscode.commands.executeCommand('minilm.runExamples', { token: source.token, openStudio: false });
      assert.equal(outcome, undefined);
    } finally {
      listener.dispose();
    }
    const after = fs.readdirSync(resultsFolder.fsPath).filter((f) => !before.has(f));
    assert.deepEqual(after, [], 'files appeared after a cancelled run');
  });

  it('Choose Model Folder refuses a folder without the model and saves a valid one in the user settings', async () => {
    const config = () => vscode.workspace.getConfiguration('minilm');
    const original = config().inspect<string>('modelFolder')?.globalValue;
    const empty = fs.mkdtempSync(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'no-model-'));
    try {
      const refused = await vscode.commands.executeCommand('minilm.chooseModelFolder', { folder: empty });
      assert.equal(refused, undefined);
      assert.match(api.outcomes.lastMessage ?? '', /does not hold all-MiniLM-L6-v2 .*missing config\.json/);
      assert.equal(config().inspect<string>('modelFolder')?.globalValue, original, 'the setting is unchanged');

      const model = testModelFolder();
      const chosen = await vscode.commands.executeCommand<string | undefined>('minilm.chooseModelFolder', { folder: model });
      assert.ok(chosen);
      assert.equal(config().inspect<string>('modelFolder')?.globalValue, chosen);
      assert.ok(fs.existsSync(path.join(chosen, 'onnx', 'model.onnx')));
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
      await config().update('modelFolder', original, vscode.ConfigurationTarget.Global);
    }
  });

  it('New MiniLM Notebook opens an untitled notebook with an explanation and a compare cell', async () => {
    const notebook = await vscode.commands.executeCommand<vscode.NotebookDocument | undefined>('minilm.newNotebook');
    assert.ok(notebook);
    assert.equal(notebook.notebookType, 'minilm-notebook');
    assert.equal(notebook.isUntitled, true);
    const cells = notebook.getCells();
    assert.equal(cells.length, 2);
    assert.equal(cells[0]!.kind, vscode.NotebookCellKind.Markup);
    assert.equal(cells[1]!.kind, vscode.NotebookCellKind.Code);
    assert.equal(cells[1]!.document.languageId, 'minilm');
    assert.equal(cells[1]!.document.lineAt(0).text, 'compare');
    assert.ok(cells[1]!.document.lineCount >= 3, 'at least two texts to compare');
    assert.equal(vscode.window.activeNotebookEditor?.notebook, notebook);
  });

  it('Download Model fetches the configured dtype from the hub endpoint (a local mirror) into the per-user cache', async () => {
    const model = testModelFolder();
    const file = (p: string, lfs: boolean) => ({ path: p, content: fs.readFileSync(path.join(model, p)), lfs });
    const hub = await startLocalHub({
      files: [file('config.json', false), file('tokenizer.json', false), file('tokenizer_config.json', false), file('onnx/model.onnx', true)],
    });
    const config = () => vscode.workspace.getConfiguration('minilm');
    const cache = path.join(api.services.context.globalStorageUri.fsPath, 'models');
    try {
      await config().update('hubEndpoint', hub.endpoint, vscode.ConfigurationTarget.Global);
      await config().update('hubRevision', hub.revision, vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
      const info = await vscode.commands.executeCommand<{ dtype: string } | undefined>('minilm.downloadModel');
      assert.ok(info, `download failed: ${api.outcomes.lastMessage ?? JSON.stringify(api.services.engine.state)}`);
      // A revision without pinned digests is kept apart from the pinned cache, under unpinned/.
      const downloaded = path.join(cache, 'unpinned', 'Xenova', 'all-MiniLM-L6-v2', hub.revision, 'onnx', 'model.onnx');
      assert.ok(fs.existsSync(downloaded), `${downloaded} is missing`);
      assert.equal(fs.statSync(downloaded).size, fs.statSync(path.join(model, 'onnx', 'model.onnx')).size);
      assert.ok(hub.requestsFor('onnx/model.onnx').length > 0, 'the weights came from the configured endpoint');
      assert.equal(api.services.engine.state.kind, 'ready');
    } finally {
      await config().update('hubEndpoint', undefined, vscode.ConfigurationTarget.Global);
      await config().update('hubRevision', undefined, vscode.ConfigurationTarget.Global);
      await api.engineHost.settled();
      await hub.close();
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
