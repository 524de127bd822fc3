// The .minilm notebook inside a real VS Code extension host: the quickstart sample runs end to end with the
// MiniLM kernel, a malformed or non-UTF-8 file is refused and left byte-identical, an unedited save keeps every byte
// (mixed line endings included), @file stays inside the workspace folder, and interrupt stops a long cell.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, waitFor, workspaceRoot } from './extensionApi';
import { CELL_TIMEOUT_MS, cellFinished, describeOutputs, ERROR_MIME, runCell, selectKernel, showWithKernel, waitForCell } from './notebookDriver';

const MATRIX_MIME = 'application/vnd.minilm.matrix+json';

const bytesOf = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))));

describe('minilm notebook', function () {
  this.timeout(300_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  afterEach(closeAllEditors);

  it('opens samples/quickstart.minilm, runs all cells, and every output carries the matrix mime without errors', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'samples', 'quickstart.minilm');
    const notebook = await vscode.workspace.openNotebookDocument(uri);
    assert.equal(notebook.notebookType, 'minilm-notebook');
    await showWithKernel(notebook);
    const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.length >= 7, `the sample has ${code.length} code cells`);
    assert.ok(code.every((c) => c.document.languageId === 'minilm'));

    await vscode.commands.executeCommand('notebook.execute');
    await waitFor(() => code.every(cellFinished), 'every cell to finish', CELL_TIMEOUT_MS);

    const orders: number[] = [];
    for (const cell of code) {
      assert.equal(cell.executionSummary?.success, true, `cell ${cell.index + 1} failed: ${describeOutputs(cell)}`);
      const mimes = cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
      assert.equal(mimes[0], MATRIX_MIME, `cell ${cell.index + 1}: ${mimes.join(', ')}`);
      assert.ok(mimes.includes('text/html') && mimes.includes('application/json'));
      assert.ok(!mimes.includes(ERROR_MIME));
      orders.push(cell.executionSummary!.executionOrder!);
      const timing = cell.executionSummary!.timing;
      assert.ok(timing && timing.endTime >= timing.startTime, 'start/end timing recorded');
    }
    assert.deepEqual(
      orders,
      [...orders].sort((a, b) => a - b),
      'cells ran in order',
    );
    assert.equal(new Set(orders).size, orders.length, 'each cell got its own execution number');
  });

  it('runs an explain cell: the renderer gets the alignment, the JSON its pieces and scores', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'explain\nThe cat sat on the mat.\nA kitten is sitting on a rug.', 'minilm'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await showWithKernel(notebook);
    await runCell(notebook, 0);
    const cell = notebook.cellAt(0);
    assert.equal(cell.executionSummary?.success, true, describeOutputs(cell));
    const items = cell.outputs[0]!.items;
    const payload = JSON.parse(new TextDecoder().decode(items.find((i) => i.mime === MATRIX_MIME)!.data)) as {
      kind: string;
      view: { tokensA: string[]; bestInB: number[] };
    };
    assert.equal(payload.kind, 'explain');
    assert.deepEqual(payload.view.tokensA, ['the', 'cat', 'sat', 'on', 'the', 'mat', '.']);
    assert.equal(payload.view.bestInB.length, 7);
    const json = JSON.parse(new TextDecoder().decode(items.find((i) => i.mime === 'application/json')!.data)) as { kind: string; f1: number };
    assert.equal(json.kind, 'explain');
    assert.ok(json.f1 > 0 && json.f1 <= 1);
  });

  it('stops Run All at the first failing cell and shows the error with its line', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'similarity\nfirst text\nsecond text', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '# broken\nsearch nothing in undefined_corpus', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'compare\na\nb', 'minilm'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await showWithKernel(notebook);
    await vscode.commands.executeCommand('notebook.execute');
    await waitForCell(notebook, 1, 'the failing cell');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(notebook.cellAt(0).executionSummary?.success, true);
    assert.equal(notebook.cellAt(1).executionSummary?.success, false);
    const error = notebook.cellAt(1).outputs[0].items.find((i) => i.mime === ERROR_MIME);
    assert.ok(error, 'the failure is an error output');
    assert.match(new TextDecoder().decode(error.data), /Line 2: no corpus named \\"undefined_corpus\\"/);
    assert.equal(notebook.cellAt(2).outputs.length, 0, 'the cell after the failure ran');
    assert.notEqual(notebook.cellAt(2).executionSummary?.success, true);
  });

  it('saves results as their JSON alone, and a reopened file shows every representation again', async () => {
    const root = workspaceRoot();
    const source = vscode.Uri.joinPath(root, 'saved-outputs-test.minilm');
    const copy = vscode.Uri.joinPath(root, 'saved-outputs-copy.minilm');
    const original = new TextEncoder().encode(
      '%% minilm-notebook v1\n%% markdown\n# Saved\n%% minilm {"tag":"kept"}\ncompare\nA cat sits on the mat.\nA dog lies on the rug.\n',
    );
    await vscode.workspace.fs.writeFile(source, original);
    const notebook = await vscode.workspace.openNotebookDocument(source);
    await vscode.window.showNotebookDocument(notebook);
    assert.ok(await notebook.save(), 'saving an unchanged notebook failed');
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(source)), Buffer.from(original), 'an unchanged notebook was rewritten differently');

    await selectKernel();
    await vscode.commands.executeCommand('notebook.execute');
    await waitForCell(notebook, 1, 'the compare cell');
    assert.equal(notebook.cellAt(1).executionSummary?.success, true, describeOutputs(notebook.cellAt(1)));
    assert.ok(await notebook.save());
    const saved = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
    assert.match(saved, /^%% minilm \{"tag":"kept","execution":\{"order":\d+,"success":true\}\}$/m);
    assert.match(saved, /^%% output application\/json \{"minilm":"result"\}$/m);
    assert.ok(!saved.includes('text/html') && !saved.includes('vnd.minilm.matrix'), 'derived representations were saved');

    await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(saved));
    const reopened = await vscode.workspace.openNotebookDocument(copy);
    const mimes = reopened.cellAt(1).outputs.flatMap((o) => o.items.map((i) => i.mime));
    assert.deepEqual(mimes, [MATRIX_MIME, 'text/html', 'text/markdown', 'application/json']);
    assert.deepEqual(reopened.cellAt(1).metadata, { tag: 'kept' });
    assert.equal(reopened.cellAt(1).executionSummary?.success, true);
    await vscode.workspace.fs.delete(source);
    await vscode.workspace.fs.delete(copy);
  });

  it('with minilm.notebook.saveOutputs off, saves neither outputs nor execution summaries', async () => {
    const config = vscode.workspace.getConfiguration('minilm.notebook');
    await config.update('saveOutputs', false, vscode.ConfigurationTarget.Workspace);
    try {
      const uri = vscode.Uri.joinPath(workspaceRoot(), 'no-outputs-test.minilm');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('%% minilm-notebook v1\n%% minilm\nsimilarity\none\ntwo\n'));
      const notebook = await vscode.workspace.openNotebookDocument(uri);
      await showWithKernel(notebook);
      await vscode.commands.executeCommand('notebook.execute');
      await waitForCell(notebook, 0, 'the cell');
      assert.ok(notebook.cellAt(0).outputs.length > 0);
      assert.ok(await notebook.save());
      const saved = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.equal(saved, '%% minilm-notebook v1\n%% minilm\nsimilarity\none\ntwo\n');
      await vscode.workspace.fs.delete(uri);
    } finally {
      await config.update('saveOutputs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('completes directives, corpus names of earlier cells and options, and marks syntax errors as diagnostics', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'corpus faq_docs\nWhere is my order?', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'search refund in ', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '# typo below\ncomapre\na', 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'search q\n@', 'minilm'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    const labels = async (cell: number, position: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        notebook.cellAt(cell).document.uri,
        position,
      );
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    assert.ok((await labels(1, new vscode.Position(0, 17))).includes('faq_docs'), 'corpus name of an earlier cell');
    const directives = await labels(2, new vscode.Position(0, 0));
    for (const d of ['compare', 'similarity', 'explain', 'search', 'encode', 'mine', 'cluster', 'corpus']) assert.ok(directives.includes(d), d);
    assert.ok((await labels(4, new vscode.Position(1, 1))).includes('@top'));

    await waitFor(() => vscode.languages.getDiagnostics(notebook.cellAt(3).document.uri).length > 0, 'a diagnostic', 10_000);
    const [diagnostic] = vscode.languages.getDiagnostics(notebook.cellAt(3).document.uri);
    assert.equal(diagnostic.range.start.line, 1);
    assert.match(diagnostic.message, /unknown directive "comapre"/);
    assert.equal(vscode.languages.getDiagnostics(notebook.cellAt(0).document.uri).length, 0);
  });

  it('refuses a malformed .minilm file and leaves it byte-identical on disk', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'malformed-notebook-test.minilm');
    const bytes = new TextEncoder().encode('%% minilm-notebook v1\r\n%% minilm {not json\r\ncompare\r\nkeep me\r\n');
    await vscode.workspace.fs.writeFile(uri, bytes);
    await assert.rejects(Promise.resolve(vscode.workspace.openNotebookDocument(uri)), /line 2|not valid JSON/i);
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, 'minilm-notebook');
    } catch {
      // The editor may refuse to open, which is the point.
    }
    await vscode.workspace.saveAll(false);
    const after = await vscode.workspace.fs.readFile(uri);
    assert.deepEqual(Buffer.from(after), Buffer.from(bytes));
    await vscode.workspace.fs.delete(uri);
  });

  it('refuses a .minilm file that is not UTF-8 and leaves it byte-identical on disk', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'latin1-notebook-test.minilm');
    const bytes = bytesOf('%% minilm-notebook v1\n%% minilm\ncompare\n', [0x63, 0x61, 0x66, 0xe9, 0x0a], 'tea\n');
    await vscode.workspace.fs.writeFile(uri, bytes);
    await assert.rejects(Promise.resolve(vscode.workspace.openNotebookDocument(uri)), /line 4.*not valid UTF-8/);
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, 'minilm-notebook');
    } catch {
      // The editor may refuse to open, which is the point.
    }
    await vscode.workspace.saveAll(false);
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), Buffer.from(bytes));
    await vscode.workspace.fs.delete(uri);
  });

  it('opens a file with mixed line endings, a BOM and hand-written spacing as its cells; unedited, a save keeps every byte', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'mixed-endings-test.minilm');
    const original = bytesOf(
      '\uFEFF%% minilm-notebook v1 {"a": 1}\r\n%% markdown\r\n# Mixed\n%% minilm {"tag": "kept"}\ncompare\rA cat.\r\nA dog.\n',
      '%% output application/json {"minilm":"result"}\n{"kind":"compare","texts":["A cat.","A dog."],"matrix":[[1,0.5],[0.5,1]]}\n',
      '%% output text/plain\nplain output',
    );
    await vscode.workspace.fs.writeFile(uri, original);
    const notebook = await vscode.workspace.openNotebookDocument(uri);
    assert.deepEqual(
      notebook.getCells().map((c) => [c.kind, c.document.getText()]),
      [
        [vscode.NotebookCellKind.Markup, '# Mixed'],
        [vscode.NotebookCellKind.Code, 'compare\nA cat.\nA dog.'],
      ],
    );
    assert.equal(notebook.cellAt(1).outputs.length, 2);
    await vscode.window.showNotebookDocument(notebook);

    // An edit and its inverse: the notebook is dirty, so the save goes through the serializer, with the same content.
    const cell = notebook.cellAt(1).document;
    const end = cell.lineAt(cell.lineCount - 1).range.end;
    const insert = new vscode.WorkspaceEdit();
    insert.insert(cell.uri, end, '!');
    assert.ok(await vscode.workspace.applyEdit(insert));
    const remove = new vscode.WorkspaceEdit();
    remove.delete(cell.uri, new vscode.Range(end, end.translate(0, 1)));
    assert.ok(await vscode.workspace.applyEdit(remove));
    assert.ok(notebook.isDirty, 'the notebook is not dirty: the save below would not write');
    const before = (await vscode.workspace.fs.stat(uri)).mtime;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(await notebook.save());
    assert.notEqual((await vscode.workspace.fs.stat(uri)).mtime, before, 'the save did not write the file');
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), Buffer.from(original), 'an unedited notebook was written differently');

    // A real edit: the whole file in one line ending, the most common one (LF), and still a BOM.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(cell.uri, end, '\nA bird.');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await notebook.save());
    const saved = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await vscode.workspace.fs.readFile(uri));
    assert.ok(
      saved.startsWith('\uFEFF%% minilm-notebook v1 {"a":1}\n%% markdown\n# Mixed\n%% minilm {"tag":"kept"}\ncompare\nA cat.\nA dog.\nA bird.\n'),
      saved,
    );
    assert.ok(!saved.includes('\r'), 'a CR is left after an edit');
    await vscode.workspace.fs.delete(uri);
  });

  it('refuses @file paths that leave the workspace folder (.. and a symlink): an error output, nothing read or saved', async () => {
    const root = workspaceRoot().fsPath;
    const secret = `secret outside the workspace ${Date.now()}`;
    const outside = path.join(path.dirname(root), `outside-secret-${Date.now()}.txt`);
    const link = path.join(root, 'link-out-test.txt');
    fs.writeFileSync(outside, secret + '\n');
    fs.symlinkSync(outside, link);
    try {
      for (const [file, message] of [
        [`../${path.basename(outside)}`, /cannot read .*leads outside/],
        ['link-out-test.txt', /cannot read .*is a link to .*outside/],
      ] as const) {
        const uri = vscode.Uri.joinPath(workspaceRoot(), 'file-escape-test.minilm');
        await vscode.workspace.fs.writeFile(uri, bytesOf(`%% minilm-notebook v1\n%% minilm\ncompare\nx\n@file ${file}\n`));
        const notebook = await vscode.workspace.openNotebookDocument(uri);
        await showWithKernel(notebook);
        await runCell(notebook, 0);
        assert.equal(notebook.cellAt(0).executionSummary?.success, false, describeOutputs(notebook.cellAt(0)));
        const outputs = describeOutputs(notebook.cellAt(0));
        assert.match(outputs, /Line 3/);
        assert.match(outputs, message);
        assert.ok(!outputs.includes(secret), outputs);
        assert.ok(await notebook.save());
        assert.ok(!new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).includes(secret), 'the secret reached the saved file');
        await closeAllEditors();
        await vscode.workspace.fs.delete(uri);
      }
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(outside, { force: true });
    }
  });

  it('interrupt cancels the running cell and clears the queue', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `interrupt test sentence ${i}: ${'word '.repeat(i % 40)}`);
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, ['encode', ...many].join('\n'), 'minilm'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'compare\na\nb', 'minilm'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await showWithKernel(notebook);
    void vscode.commands.executeCommand('notebook.execute');
    await waitFor(
      () => notebook.cellAt(0).executionSummary?.timing?.startTime !== undefined || notebook.cellAt(0).executionSummary?.executionOrder !== undefined,
      'the long cell to start',
      60_000,
    );
    const started = Date.now();
    await vscode.commands.executeCommand('notebook.cancelExecution');
    await waitForCell(notebook, 0, 'the long cell to stop', 60_000);
    console.log(`[minilm-tests] the interrupted cell stopped ${Date.now() - started} ms after notebook.cancelExecution`);
    assert.equal(notebook.cellAt(0).executionSummary?.success, false);
    const error = notebook.cellAt(0).outputs[0]?.items.find((i) => i.mime === ERROR_MIME);
    assert.ok(error, 'an interrupted cell shows an error output');
    assert.match(new TextDecoder().decode(error.data), /interrupted/i);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(notebook.cellAt(1).outputs.length, 0, 'the queued cell ran after the interrupt');
  });
});
