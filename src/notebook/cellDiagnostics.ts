// Live diagnostics of `minilm` cells: every syntax problem of a cell, and a corpus it reads that no cell above
// defines (nor the kernel session holds). A change to any cell re-checks its whole notebook, since renaming or
// removing a corpus cell changes what the cells below may read.
import * as vscode from 'vscode';
import { checkCell, nearest, type CellProblem } from './cellLanguage';
import { renderMessage } from './cellMessages';
import { corporaInScope, corpusNames, notebookOfCell, type SessionCorpora } from './notebookCorpora';

/** The problems of a cell, the undefined corpus included. */
export function cellProblems(document: vscode.TextDocument, session: SessionCorpora): CellProblem[] {
  const { directive, problems } = checkCell(document.getText());
  if (!directive || directive.kind === 'similarity' || directive.kind === 'explain' || directive.kind === 'corpus') return [...problems];
  const ref = directive.input.corpus;
  const scope = ref && corporaInScope(document, session);
  if (!ref || !scope) return [...problems];
  const names = corpusNames(scope);
  if (names.includes(ref.name)) return [...problems];
  const fixes = nearest(ref.name, names);
  return [
    {
      line: ref.line,
      start: ref.start,
      end: ref.end,
      message: fixes.length ? 'undefinedCorpusSuggest' : 'undefinedCorpus',
      args: [ref.name, ...fixes.slice(0, 1)],
      ...(fixes.length ? { fixes } : {}),
    },
  ];
}

/** A problem's range in the cell's document; a problem one line past the end sits at the end of the last line. */
export function problemRange(document: vscode.TextDocument, problem: CellProblem): vscode.Range {
  if (problem.line > document.lineCount)
    return document.lineAt(document.lineCount - 1).range.with({ start: document.lineAt(document.lineCount - 1).range.end });
  const line = problem.line - 1;
  const length = document.lineAt(line).text.length;
  return new vscode.Range(line, Math.min(problem.start, length), line, Math.min(problem.end, length));
}

export function registerCellDiagnostics(session: SessionCorpora): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('minilm');
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== 'minilm') return;
    diagnostics.set(
      document.uri,
      cellProblems(document, session).map((problem) => {
        const diagnostic = new vscode.Diagnostic(
          problemRange(document, problem),
          renderMessage(problem.message, problem.args, (m, ...a) => vscode.l10n.t(m, ...a)),
          vscode.DiagnosticSeverity.Error,
        );
        diagnostic.source = 'minilm';
        diagnostic.code = problem.message;
        return diagnostic;
      }),
    );
  };
  const checkNotebookOf = (document: vscode.TextDocument) => {
    const found = notebookOfCell(document);
    if (!found) return check(document);
    for (const cell of found.notebook.getCells()) check(cell.document);
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(checkNotebookOf),
    vscode.workspace.onDidChangeTextDocument((e) => checkNotebookOf(e.document)),
    vscode.workspace.onDidOpenNotebookDocument((notebook) => notebook.getCells().forEach((cell) => check(cell.document))),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      // A run changes the session's corpora: a corpus cell below that ran makes its name readable above it.
      if (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.executionSummary)) e.notebook.getCells().forEach((cell) => check(cell.document));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
  );
}
