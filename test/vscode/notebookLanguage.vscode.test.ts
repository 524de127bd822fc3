// The `minilm` cell language's editor help inside a real VS Code: every problem of a cell as a diagnostic, an undefined
// corpus flagged while typing, hover docs, quick fixes for typos, completion of @file paths and corpus names,
// go-to-definition of corpus names, and MiniLM: Open Sample Notebook.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, waitForValue as waitFor } from './extensionApi';
import { ERROR_MIME, runCell, selectKernel } from './notebookDriver';

async function openCells(...sources: string[]): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(sources.map((s) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, s, 'minilm')));
  const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

const diagnosticsOf = (notebook: vscode.NotebookDocument, cell: number) => vscode.languages.getDiagnostics(notebook.cellAt(cell).document.uri);

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('minilm cell language in the editor', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  afterEach(closeAllEditors);

  it('shows every problem of a cell as a diagnostic, with its range', async () => {
    const notebook = await openCells('compare\n@limit 3\n@top 3\nx\n@file');
    const diagnostics = await waitFor(() => (diagnosticsOf(notebook, 0).length >= 3 ? diagnosticsOf(notebook, 0) : undefined), 'three diagnostics');
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [1, 0, 6],
        [2, 0, 4],
        [4, 0, 5],
      ],
    );
    assert.match(diagnostics[0]!.message, /unknown option "@limit"/);
    assert.match(diagnostics[2]!.message, /workspace-relative path/);
  });

  it('a run of a cell with several problems shows each in its error output, one line per problem', async () => {
    const notebook = await openCells('search q\n@tpo 3\nx\n@top zero');
    await selectKernel();
    await runCell(notebook, 0);
    assert.equal(notebook.cellAt(0).executionSummary?.success, false);
    const item = notebook.cellAt(0).outputs[0]?.items.find((i) => i.mime === ERROR_MIME);
    assert.ok(item, 'an error output');
    const { message } = JSON.parse(new TextDecoder().decode(item.data)) as { message: string };
    assert.deepEqual(
      message.split('\n').map((l) => l.replace(/:.*/, '')),
      ['Line 2', 'Line 4'],
      message,
    );
    assert.match(message, /unknown option "@tpo"[\s\S]*positive whole number after "@top", got "zero"/);
  });

  it('flags a corpus no cell above defines while typing, and clears it when the name is defined', async () => {
    const notebook = await openCells('corpus faq_docs\nWhere is my order?', 'search refunds in faq_dcs');
    const [diagnostic] = await waitFor(() => (diagnosticsOf(notebook, 1).length ? diagnosticsOf(notebook, 1) : undefined), 'the undefined corpus');
    assert.deepEqual([diagnostic!.range.start.character, diagnostic!.range.end.character], [18, 25]);
    assert.match(diagnostic!.message, /no corpus "faq_dcs".*did you mean "faq_docs"/);
    assert.equal(diagnosticsOf(notebook, 0).length, 0);

    const rename = new vscode.WorkspaceEdit();
    rename.replace(notebook.cellAt(0).document.uri, new vscode.Range(0, 7, 0, 15), 'faq_dcs');
    assert.ok(await vscode.workspace.applyEdit(rename));
    await waitFor(() => (diagnosticsOf(notebook, 1).length === 0 ? true : undefined), 'the diagnostic to clear after the corpus cell changed');
  });

  it('offers quick fixes for a mistyped directive, option and corpus name, and applying one fixes the text', async () => {
    const notebook = await openCells('corpus faq\nQ1', 'comapre\nx', 'search q\n@fiel notes.txt', 'compare fqa');
    const fix = async (cell: number, range: vscode.Range) => {
      const document = notebook.cellAt(cell).document;
      await waitFor(() => (vscode.languages.getDiagnostics(document.uri).length ? true : undefined), `a diagnostic in cell ${cell + 1}`);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range);
      return actions.filter((a) => a.kind?.value === 'quickfix');
    };
    const directive = await fix(1, new vscode.Range(0, 2, 0, 2));
    assert.equal(directive[0]?.title, 'Replace with "compare"');
    assert.equal(directive[0]?.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(directive[0]!.edit!));
    assert.equal(notebook.cellAt(1).document.getText(), 'compare\nx');
    assert.equal((await fix(2, new vscode.Range(1, 1, 1, 1)))[0]?.title, 'Replace with "@file"');
    const corpus = await fix(3, new vscode.Range(0, 9, 0, 9));
    assert.equal(corpus[0]?.title, 'Replace with "faq"');
    assert.ok(await vscode.workspace.applyEdit(corpus[0]!.edit!));
    assert.equal(notebook.cellAt(3).document.getText(), 'compare faq');
  });

  it('shows hover docs for directives, options, keywords and corpus names', async () => {
    const notebook = await openCells('corpus faq\nQ1', 'mine faq top 3', 'search q\n@top 2\nx');
    const hover = async (cell: number, line: number, character: number) =>
      hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          notebook.cellAt(cell).document.uri,
          new vscode.Position(line, character),
        ),
      );
    assert.match(await hover(1, 0, 2), /\*\*mine\*\*.*Directive[\s\S]*Paraphrase mining/);
    assert.match(await hover(1, 0, 10), /\*\*@top\*\*.*Keyword[\s\S]*how many partners/);
    assert.match(await hover(2, 1, 2), /\*\*@top\*\*.*Option[\s\S]*how many results/);
    assert.match(await hover(1, 0, 6), /Corpus "faq", defined in cell 1, line 1/);
    assert.equal(await hover(2, 2, 0), '', 'no hover on a text');
  });

  it('goes from a corpus name to the cell that defines it', async () => {
    const notebook = await openCells('corpus faq\nQ1', '# redefined\ncorpus faq\nQ2', 'search q in faq');
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      notebook.cellAt(2).document.uri,
      new vscode.Position(0, 13),
    );
    assert.equal(locations.length, 1);
    const location = locations[0] as vscode.Location;
    assert.equal(location.uri.toString(), notebook.cellAt(1).document.uri.toString(), 'the nearest definition above, which a run uses');
    assert.deepEqual([location.range.start.line, location.range.start.character, location.range.end.character], [1, 7, 10]);
  });

  it('colours a query ending in "in <name>" as text when candidates follow, and not when the tail names the corpus', async () => {
    const notebook = await openCells('search what is kept in docs\na candidate', 'search what is kept in docs');
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>(
      'vscode.provideDocumentSemanticTokensLegend',
      notebook.cellAt(0).document.uri,
    );
    const tokensOf = (cell: number) =>
      vscode.commands.executeCommand<vscode.SemanticTokens | undefined>('vscode.provideDocumentSemanticTokens', notebook.cellAt(cell).document.uri);
    // Each token is [deltaLine, deltaStart, length, type, modifiers].
    const first = await tokensOf(0);
    assert.deepEqual(Array.from(first?.data ?? []), [0, 7, 'what is kept in docs'.length, legend.tokenTypes.indexOf('string'), 0]);
    const second = await tokensOf(1);
    assert.deepEqual(Array.from(second?.data ?? []), []);
  });

  it('completes @file paths in the workspace folder and corpus names of cells above', async () => {
    const notebook = await openCells('corpus faq_docs\nQ1', 'encode\n@file samples/', 'search q in ');
    const labels = async (cell: number, position: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        notebook.cellAt(cell).document.uri,
        position,
      );
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const files = await labels(1, new vscode.Position(1, 14));
    assert.ok(files.includes('quickstart-texts.txt') && files.includes('quickstart.minilm'), files.join(', '));
    assert.ok((await labels(2, new vscode.Position(0, 12))).includes('faq_docs'));
  });

  it('MiniLM: Open Sample Notebook opens a copy outside the extension folder, whose @file texts sit beside it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const notebook = await vscode.commands.executeCommand<vscode.NotebookDocument | undefined>('minilm.openSampleNotebook');
    assert.ok(notebook, 'the command returns the notebook');
    assert.equal(notebook.notebookType, 'minilm-notebook');
    assert.equal(vscode.window.activeNotebookEditor?.notebook, notebook);
    const folder = path.dirname(notebook.uri.fsPath);
    assert.ok(!folder.startsWith(extension.extensionUri.fsPath), `${folder} is inside the extension`);
    const texts = await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(folder, 'quickstart-texts.txt')));
    assert.ok(texts.byteLength > 0);
    const markdown = notebook
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Markup)
      .map((c) => c.document.getText())
      .join('\n');
    assert.match(markdown, /\]\(https:\/\/[^)]+docs\/notebook-format\.md\)/);
    for (const cell of notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code)) {
      assert.deepEqual(vscode.languages.getDiagnostics(cell.document.uri), [], cell.document.getText());
    }
    // A second call opens the same copy (edits to it are kept, never overwritten).
    const again = await vscode.commands.executeCommand<vscode.NotebookDocument | undefined>('minilm.openSampleNotebook');
    assert.equal(again?.uri.toString(), notebook.uri.toString());
  });
});
