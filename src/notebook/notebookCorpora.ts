// Which corpora a `minilm` cell can read: those defined by `corpus <name>` cells above it in its notebook, and those
// the notebook's kernel session holds (a corpus cell that ran, wherever it is now). Shared by the completions, the
// diagnostics, the quick fixes and go-to-definition.
import * as vscode from 'vscode';
import { definedCorpus, type CorpusRef } from './cellLanguage';

export type SessionCorpora = (notebook: vscode.NotebookDocument) => readonly string[];

export interface CorpusDefinition {
  readonly cell: vscode.NotebookCell;
  readonly ref: CorpusRef;
}

export interface CorporaInScope {
  readonly notebook: vscode.NotebookDocument;
  /** Definitions in cells above, nearest last (the one a run would use, since running a corpus cell again replaces it). */
  readonly above: readonly CorpusDefinition[];
  readonly session: readonly string[];
}

export function notebookOfCell(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; index: number } | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const index = notebook.getCells().findIndex((c) => c.document === document);
    if (index >= 0) return { notebook, index };
  }
  return undefined;
}

export function corporaInScope(document: vscode.TextDocument, session: SessionCorpora): CorporaInScope | undefined {
  const found = notebookOfCell(document);
  if (!found) return undefined;
  const above: CorpusDefinition[] = [];
  for (const cell of found.notebook.getCells().slice(0, found.index)) {
    if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId !== 'minilm') continue;
    const ref = definedCorpus(cell.document.getText());
    if (ref) above.push({ cell, ref });
  }
  return { notebook: found.notebook, above, session: session(found.notebook) };
}

export function corpusNames(scope: CorporaInScope): string[] {
  return [...new Set([...scope.above.map((d) => d.ref.name), ...scope.session])];
}
