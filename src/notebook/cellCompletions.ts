// Completions for `minilm` cells: directives on the directive line, corpus names after `in` (and after
// compare/encode/mine), `@` options in the body, and paths after `@file` (the folders a cell's @file reads from).
import * as vscode from 'vscode';
import { DIRECTIVES, cellLines, directiveLineIndex } from './cellLanguage';
import { HOVER_DOCS, HOVER_LABELS } from './cellMessages';
import { filePathBefore } from './cellPositions';
import { corporaInScope, corpusNames, notebookOfCell, type SessionCorpora } from './notebookCorpora';
import { cellFileScope } from './notebookController';
import type { CellFileScope } from './cellFiles';

const DIRECTIVE_SNIPPETS: Record<(typeof DIRECTIVES)[number], { snippet: string; detail: string }> = {
  compare: { snippet: 'compare\n${1:first text}\n${2:second text}', detail: 'N × N cosine similarity of the texts below' },
  similarity: { snippet: 'similarity\n${1:first text}\n${2:second text}', detail: 'cosine, Euclidean distance and norms of two texts' },
  explain: {
    snippet: 'explain\n${1:first text}\n${2:second text}',
    detail: 'which word pieces make the score: token alignment heatmap, precision, recall, F1',
  },
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

/** Folders and files listed for `@file`; more would make the list useless and the listing slow. */
const MAX_PATH_ITEMS = 500;

export function registerCellCompletions(session: SessionCorpora): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    { language: 'minilm' },
    {
      async provideCompletionItems(document, position) {
        const lines = cellLines(document.getText());
        const directiveAt = directiveLineIndex(lines);
        const before = document.lineAt(position.line).text.slice(0, position.character);
        const onDirectiveLine = directiveAt < 0 || directiveAt === position.line;
        if (onDirectiveLine && /^\s*\w*$/.test(before)) return directiveItems();
        if (onDirectiveLine && /(^\s*(compare|encode|mine)\s+\S*$)|(\sin\s+\S*$)/i.test(before)) return corpusItems(document, session);
        if (!onDirectiveLine && /^\s*@\w*$/.test(before)) return optionItems(position, before.indexOf('@'));
        const path = onDirectiveLine ? undefined : filePathBefore(before);
        if (path) return pathItems(document, position, path.typed);
        return undefined;
      },
    },
    '@',
    ' ',
    '/',
  );
}

function directiveItems(): vscode.CompletionItem[] {
  return DIRECTIVES.map((name) => {
    const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Keyword);
    item.insertText = new vscode.SnippetString(DIRECTIVE_SNIPPETS[name].snippet);
    item.detail = vscode.l10n.t(DIRECTIVE_SNIPPETS[name].detail);
    item.documentation = vscode.l10n.t(HOVER_DOCS[name]);
    return item;
  });
}

function corpusItems(document: vscode.TextDocument, session: SessionCorpora): vscode.CompletionItem[] {
  const scope = corporaInScope(document, session);
  return (scope ? corpusNames(scope) : []).map((name) => {
    const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
    item.detail = vscode.l10n.t(HOVER_LABELS.corpusDetail);
    return item;
  });
}

function optionItems(position: vscode.Position, start: number): vscode.CompletionItem[] {
  return Object.entries(OPTION_DETAILS).map(([name, detail]) => {
    const item = new vscode.CompletionItem(`@${name}`, vscode.CompletionItemKind.Property);
    item.range = new vscode.Range(position.line, start, position.line, position.character);
    item.insertText = `@${name} `;
    item.detail = vscode.l10n.t(detail);
    item.documentation = vscode.l10n.t(HOVER_DOCS[`@${name}` as keyof typeof HOVER_DOCS]);
    return item;
  });
}

/**
 * The entries of the folder the typed path is in, in each folder `@file` reads from (the workspace folder, then the
 * notebook's). Nothing outside the scope's root is listed, as `@file` would refuse it.
 */
async function pathItems(document: vscode.TextDocument, position: vscode.Position, typed: string): Promise<vscode.CompletionItem[]> {
  const found = notebookOfCell(document);
  let scope: CellFileScope;
  try {
    if (!found) return [];
    scope = cellFileScope(found.notebook);
  } catch {
    return [];
  }
  const slash = Math.max(typed.lastIndexOf('/'), typed.lastIndexOf('\\'));
  const folderPart = typed.slice(0, slash + 1);
  const replace = new vscode.Range(position.line, position.character - (typed.length - folderPart.length), position.line, position.character);
  const root = vscode.Uri.file(scope.root);
  const seen = new Set<string>();
  const items: vscode.CompletionItem[] = [];
  for (const folder of new Set(scope.folders)) {
    const dir = vscode.Uri.joinPath(vscode.Uri.file(folder), folderPart.replace(/\\/g, '/'));
    if (!isInside(root, dir)) continue;
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(dir);
    } catch {
      continue;
    }
    for (const [name, type] of entries) {
      if (name.startsWith('.') || seen.has(name) || items.length >= MAX_PATH_ITEMS) continue;
      seen.add(name);
      const isFolder = (type & vscode.FileType.Directory) !== 0;
      const item = new vscode.CompletionItem(isFolder ? `${name}/` : name, isFolder ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File);
      item.range = replace;
      item.detail = vscode.l10n.t(isFolder ? HOVER_LABELS.folderDetail : HOVER_LABELS.fileDetail);
      if (isFolder) item.command = { command: 'editor.action.triggerSuggest', title: '' };
      items.push(item);
    }
  }
  return items;
}

function isInside(root: vscode.Uri, dir: vscode.Uri): boolean {
  const a = root.path.replace(/\/$/, '');
  const b = dir.path.replace(/\/$/, '');
  return b === a || b.startsWith(a + '/');
}
