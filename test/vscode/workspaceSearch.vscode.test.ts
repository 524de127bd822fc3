// Workspace semantic search inside a real extension host with the real model: Update Workspace Index over the test
// workspace (test/vscode/workspace/wsearch/ holds three small documents), search, the Semantic Search view's tree,
// going to a match, Find Similar in Workspace, the file watcher, and the refusal in an untrusted workspace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import type { WorkspaceSearchOutcome } from '../../src/commands/commandOutcomes';
import type { IndexRunOutcome } from '../../src/host/workspaceSearch/workspaceIndexService';
import { closeAllEditors, extensionApi, waitFor, workspaceRoot as workspaceRootUri } from './extensionApi';

const workspaceRoot = () => workspaceRootUri().fsPath;

/** Waits for the watcher's debounced update to start and then to finish. */
async function watcherUpdate(api: MiniLmExtensionApi, what: string): Promise<void> {
  await waitFor(() => api.workspaceIndex.updatePending, `the watcher to schedule an update (${what})`, 60_000);
  await waitFor(() => !api.workspaceIndex.updatePending, `the watcher's update to finish (${what})`, 300_000);
}

describe('workspace search', function () {
  this.timeout(600_000);
  let api: MiniLmExtensionApi;

  before(async () => {
    api = await extensionApi();
    await api.engineHost.settled();
  });

  afterEach(closeAllEditors);

  it('Update Workspace Index indexes the workspace and shows the chunk count in the status bar', async () => {
    assert.equal(api.contextKeys.get('minilm.indexReady'), false, 'minilm.indexReady before any index exists');
    const outcome = await vscode.commands.executeCommand<IndexRunOutcome>('minilm.updateIndex');
    assert.equal(api.contextKeys.get('minilm.indexReady'), true, 'minilm.indexReady after the first index');
    assert.equal(api.contextKeys.get('minilm.indexing'), false, 'minilm.indexing after the run');
    assert.equal(outcome?.kind, 'done', JSON.stringify(outcome));
    if (outcome.kind !== 'done') return;
    const [folder] = outcome.folders;
    assert.ok(folder && folder.files >= 3, `files indexed: ${JSON.stringify(folder)}`);
    assert.ok(folder.chunks > 0 && folder.chunks === api.workspaceIndex.chunkCount);
    assert.equal(api.indexStatusBar.view.text, `$(search) ${api.workspaceIndex.chunkCount.toLocaleString('en-US')} chunks`);
    assert.equal(api.indexStatusBar.view.command, 'minilm.searchWorkspace');
    // The writer lock lasts only as long as a run: the CLI may update the same index between runs.
    const indexDir = api.workspaceIndex.indexDir(vscode.workspace.workspaceFolders![0]!)!;
    assert.ok(fs.existsSync(path.join(indexDir, 'manifest.json')) || fs.readdirSync(indexDir).length > 0, `nothing written in ${indexDir}`);
    assert.ok(!fs.existsSync(path.join(indexDir, 'minilm-index.lock')), 'the writer lock is still held after the run');

    const again = await vscode.commands.executeCommand<IndexRunOutcome>('minilm.updateIndex');
    assert.equal(again?.kind, 'done');
    if (again.kind === 'done') assert.equal(again.folders[0]!.embeddedChunks, 0, 'an update with nothing changed embedded chunks again');
  });

  it('Search Workspace finds the passage by meaning; the view lists it under its file with a score bar', async () => {
    const outcome = await vscode.commands.executeCommand<WorkspaceSearchOutcome>('minilm.searchWorkspace', {
      query: 'how do planets move around the sun',
      showResults: true,
    });
    assert.ok(outcome, `no search: ${api.outcomes.lastMessage}`);
    const [top] = outcome.hits;
    assert.equal(top?.path, 'wsearch/astronomy.md', JSON.stringify(outcome.hits.slice(0, 3)));
    assert.match(top.text, /planets travel around the Sun/);

    const view = api.searchView;
    assert.equal(view.search?.query, 'how do planets move around the sun');
    const [fileNode] = view.getChildren();
    assert.ok(fileNode?.kind === 'file');
    assert.equal(view.getTreeItem(fileNode).label, 'astronomy.md');
    const [match] = view.getChildren(fileNode);
    assert.ok(match?.kind === 'match');
    const item = view.getTreeItem(match);
    assert.match(String(item.label), /planets travel around the Sun/);
    assert.match(String(item.description), /^0\.\d{3} [▰▱]{5}/);
    assert.equal(item.command?.command, 'minilm.revealSearchResult');
  });

  it('a notebook search cell with @workspace lists the same passage with its path and lines', async () => {
    const source = 'search how do planets move around the sun\n@workspace\n@top 3';
    const data = new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'minilm')]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'minilm-kernel', extension: 'minilm-studio.minilm-studio' });
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: notebook.uri });
    const cell = notebook.cellAt(0);
    await waitFor(() => cell.executionSummary?.success !== undefined, 'the @workspace cell to finish', 300_000);
    const items = cell.outputs.flatMap((o) => o.items);
    const text = (mime: string) => new TextDecoder().decode(items.find((i) => i.mime === mime)?.data ?? new Uint8Array());
    assert.equal(cell.executionSummary?.success, true, text('application/vnd.code.notebook.error'));
    const json = JSON.parse(text('application/json')) as {
      kind: string;
      hits: { rank: number; path: string; startLine: number; endLine: number; text: string }[];
    };
    assert.equal(json.kind, 'searchWorkspace');
    assert.equal(json.hits.length, 3);
    const [top] = json.hits;
    assert.equal(top?.path, 'wsearch/astronomy.md', JSON.stringify(json.hits));
    assert.match(top.text, /planets travel around the Sun/);
    // The lines it names hold that text in the file.
    const lines = fs.readFileSync(path.join(workspaceRoot(), 'wsearch', 'astronomy.md'), 'utf8').split(/\r?\n/);
    assert.match(lines.slice(top.startLine - 1, top.endLine).join('\n'), /planets travel around the Sun/);
  });

  it('choosing a match opens its file with its lines selected', async () => {
    const [fileNode] = api.searchView.getChildren();
    const [match] = api.searchView.getChildren(fileNode);
    assert.ok(match?.kind === 'match');
    const command = api.searchView.getTreeItem(match).command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(editor.document.uri.fsPath, path.join(workspaceRoot(), 'wsearch', 'astronomy.md'));
    assert.equal(editor.selection.start.line, match.hit.startLine - 1);
    assert.equal(editor.selection.end.line, match.hit.endLine - 1);
    assert.match(editor.document.getText(editor.selection), /planets travel around the Sun/);
    assert.deepEqual(
      api.highlightedLines(),
      { uri: editor.document.uri.toString(), startLine: match.hit.startLine, endLine: match.hit.endLine },
      'the lines are highlighted',
    );
    // Moving the selection elsewhere clears the highlight.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await waitFor(() => api.highlightedLines() === undefined, 'the highlight to clear after the selection moved', 10_000);
  });

  it('Find Similar in Workspace ranks other passages and leaves out the selection itself', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), 'wsearch', 'astronomy.md'));
    const editor = await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('planets travel around'));
    editor.selection = new vscode.Selection(line, 0, line, document.lineAt(line).text.length);
    const outcome = await vscode.commands.executeCommand<WorkspaceSearchOutcome>('minilm.findSimilarInWorkspace');
    assert.ok(outcome && outcome.hits.length > 0, `no results: ${api.outcomes.lastMessage}`);
    for (const hit of outcome.hits) {
      assert.ok(
        !(hit.path === 'wsearch/astronomy.md' && hit.startLine <= line + 1 && line + 1 <= hit.endLine),
        `the selection's own chunk was listed: ${JSON.stringify(hit)}`,
      );
    }
    assert.equal(api.searchView.search?.query, outcome.query);
  });

  it('the file watcher indexes a new file and drops a deleted one', async () => {
    const file = path.join(workspaceRoot(), 'wsearch', 'volcanoes.md');
    fs.writeFileSync(file, '# Volcanoes\n\nA volcano erupts when molten rock, called lava once it reaches the surface, escapes from the magma chamber.\n');
    try {
      await watcherUpdate(api, 'new file');
      const found = await vscode.commands.executeCommand<WorkspaceSearchOutcome>('minilm.searchWorkspace', { query: 'volcanic eruption and lava' });
      assert.equal(found?.hits[0]?.path, 'wsearch/volcanoes.md', JSON.stringify(found?.hits.slice(0, 3)));
    } finally {
      fs.rmSync(file, { force: true });
    }
    await watcherUpdate(api, 'deleted file');
    const after = await vscode.commands.executeCommand<WorkspaceSearchOutcome>('minilm.searchWorkspace', { query: 'volcanic eruption and lava' });
    assert.ok(after && !after.hits.some((h) => h.path === 'wsearch/volcanoes.md'), 'the deleted file is still in the index');
  });

  it('the file watcher starts no update for a change the index leaves out (node_modules)', async () => {
    // Directly in node_modules: VS Code's files.watcherExclude leaves out node_modules/*/** but reports this file;
    // search.exclude's **/node_modules, which the index follows, leaves it out.
    const folder = path.join(workspaceRoot(), 'wsearch', 'node_modules');
    fs.mkdirSync(folder, { recursive: true });
    try {
      // The same change outside node_modules schedules an update at once (the test above); here nothing may come.
      fs.writeFileSync(path.join(folder, 'notes.md'), '# A package\n\nNothing here belongs in the index.\n');
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        assert.equal(api.workspaceIndex.updatePending, false, 'a change under node_modules scheduled an index update');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      fs.rmSync(path.join(workspaceRoot(), 'wsearch', 'node_modules'), { recursive: true, force: true });
    }
  });

  it('Rebuild Workspace Index embeds every chunk again', async () => {
    const before = api.workspaceIndex.chunkCount;
    const outcome = await vscode.commands.executeCommand<IndexRunOutcome>('minilm.rebuildIndex');
    assert.equal(outcome?.kind, 'done');
    if (outcome.kind !== 'done') return;
    assert.equal(outcome.folders[0]!.rebuilt, true);
    assert.equal(outcome.folders[0]!.embeddedChunks, outcome.folders[0]!.chunks);
    assert.equal(api.workspaceIndex.chunkCount, before);
  });
});

// Runs in the second pass of scripts/e2e/runInHostTests.mjs, with workspace trust on and the folder untrusted.
describe('semantic search index in an untrusted workspace @untrusted', function () {
  this.timeout(120_000);

  it('Update Workspace Index refuses to read the files, and says why', async () => {
    const api = await extensionApi();
    assert.equal(vscode.workspace.isTrusted, false);
    const outcome = await vscode.commands.executeCommand<IndexRunOutcome>('minilm.updateIndex');
    assert.equal(outcome?.kind, 'refused');
    if (outcome.kind !== 'refused') return;
    assert.equal(outcome.reason, 'untrusted');
    assert.match(outcome.message, /trusted workspace/);
    assert.equal(api.workspaceIndex.chunkCount, 0);
    assert.equal(api.workspaceIndex.hasIndex(), false);
    assert.equal(api.contextKeys.get('minilm.indexReady'), false);
  });
});
