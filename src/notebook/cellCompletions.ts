// Completions and live syntax diagnostics for `minilm` cells: directives on the directive line, corpus names after
// `in` (and after compare/encode/mine), `@` options in the body.
import * as vscode from 'vscode';
import { CellSyntaxError, DIRECTIVES, cellLines, definedCorpusName, directiveLineIndex, parseCell } from './cellLanguage';

const DIRECTIVE_SNIPPETS: Record<(typeof DIRECTIVES)[number], { snippet: string; detail: string }> = {
  compare: { snippet: 'compare\n${1:first text}\n${2:second text}', detail: 'N × N cosine similarity of the texts below' },
  similarity: { snippet: 'similarity\n${1:first text}\n${2:second text}', detail: 'cosine, Euclidean distance and norms of two texts' },
  explain: { snippet: 'explain\n${1:first text}\n${2:second text}', detail: 'which word pieces make the score: token alignment heatmap, precision, recall, F1' },
  search: { snippet: 'search ${1:query}\n${2:candidate}', detail: 'rank the candidates below (or @file, or in <corpus>) by similarity' },
  encode: { snippet: 'encode\n${1:text}', detail: 'embedding vectors of the texts below' },
  mine: { snippet: 'mine top ${1:10}\n${2:text}', detail: 'paraphrase mining: the most similar pairs' },
  cluster: { snippet: 'cluster ${1:0.75} min ${2:2}\n${3:text}', detail: 'community detection at a similarity threshold' },
  corpus: { snippet: 'corpus ${1:name}\n${2:text}', detail: 'encode the texts below once and keep them under a name' },
};

const OPTION_DETAILS: Record<string, string> = {
  file: 'read texts from a workspace-relative file, one per line',
  top: 'how many results (search) or partners per text (mine)',
  max: 'how many pairs mine keeps',
  min: 'smallest community cluster reports',
  workspace: 'search: rank the chunks of the workspace index instead of texts below',
};

/** Corpus names defined in cells above `document` in its notebook, plus those in the running session. */
function corpusNamesBefore(document: vscode.TextDocument, sessionNames: (nb: vscode.NotebookDocument) => string[]): string[] {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cells = notebook.getCells();
    const index = cells.findIndex((c) => c.document === document);
    if (index < 0) continue;
    const names = new Set<string>();
    for (const cell of cells.slice(0, index)) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const name = definedCorpusName(cell.document.getText());
      if (name) names.add(name);
    }
    for (const name of sessionNames(notebook)) names.add(name);
    return [...names];
  }
  return [];
}

export function registerCellLanguage(sessionNames: (nb: vscode.NotebookDocument) => string[]): vscode.Disposable {
  const selector: vscode.DocumentSelector = { language: 'minilm' };
  const completions = vscode.languages.registerCompletionItemProvider(
    selector,
    {
      provideCompletionItems(document, position) {
        const lines = cellLines(document.getText());
        const directiveAt = directiveLineIndex(lines);
        const before = document.lineAt(position.line).text.slice(0, position.character);
        const items: vscode.CompletionItem[] = [];
        const onDirectiveLine = directiveAt < 0 || directiveAt === position.line;
        if (onDirectiveLine && /^\s*\w*$/.test(before)) {
          for (const name of DIRECTIVES) {
            const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Keyword);
            item.insertText = new vscode.SnippetString(DIRECTIVE_SNIPPETS[name].snippet);
            item.detail = vscode.l10n.t(DIRECTIVE_SNIPPETS[name].detail);
            items.push(item);
          }
          return items;
        }
        if (onDirectiveLine && /(^\s*(compare|encode|mine)\s+\S*$)|(\sin\s+\S*$)/i.test(before)) {
          for (const name of corpusNamesBefore(document, sessionNames)) {
            const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
            item.detail = vscode.l10n.t('corpus');
            items.push(item);
          }
          return items;
        }
        if (!onDirectiveLine && /^\s*@\w*$/.test(before)) {
          const start = before.indexOf('@');
          for (const [name, detail] of Object.entries(OPTION_DETAILS)) {
            const item = new vscode.CompletionItem(`@${name}`, vscode.CompletionItemKind.Property);
            item.range = new vscode.Range(position.line, start, position.line, position.character);
            item.insertText = `@${name} `;
            item.detail = vscode.l10n.t(detail);
            items.push(item);
          }
          return items;
        }
        return undefined;
      },
    },
    '@',
    ' ',
  );

  const diagnostics = vscode.languages.createDiagnosticCollection('minilm');
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== 'minilm') return;
    try {
      parseCell(document.getText());
      diagnostics.delete(document.uri);
    } catch (error) {
      if (!(error instanceof CellSyntaxError)) return;
      const line = Math.min(error.line - 1, document.lineCount - 1);
      const range = document.lineAt(line).range;
      diagnostics.set(document.uri, [new vscode.Diagnostic(range, error.detail, vscode.DiagnosticSeverity.Error)]);
    }
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    completions,
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
  );
}
