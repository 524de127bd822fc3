// Opens a match of the workspace index: selects its lines, scrolls them into view and highlights them until the
// selection moves elsewhere or a few seconds pass.
import path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceHit } from './searchResultsModel';

const HIGHLIGHT_MS = 4000;

let decoration: vscode.TextEditorDecorationType | undefined;
let clearHighlight: (() => void) | undefined;
let highlighted: { readonly uri: string; readonly startLine: number; readonly endLine: number } | undefined;

/** The lines highlighted now (1-based, inclusive), if any: decorations cannot be read back through the API. */
export function currentHighlight(): typeof highlighted {
  return highlighted;
}

function highlightDecoration(): vscode.TextEditorDecorationType {
  decoration ??= vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  return decoration;
}

export function hitUri(hit: Pick<WorkspaceHit, 'folderPath' | 'path'>): vscode.Uri {
  return vscode.Uri.file(path.join(hit.folderPath, ...hit.path.split('/')));
}

/**
 * Shows the hit's lines selected and highlighted. The file may have changed since it was indexed: lines past its
 * end are clamped to the last line.
 */
export async function revealHit(hit: WorkspaceHit, options: { preview?: boolean; preserveFocus?: boolean } = {}): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(hitUri(hit), { preview: options.preview ?? true, preserveFocus: options.preserveFocus ?? false });
  const last = editor.document.lineCount - 1;
  const start = Math.min(Math.max(0, hit.startLine - 1), last);
  const end = Math.min(Math.max(start, hit.endLine - 1), last);
  const range = new vscode.Range(start, 0, end, editor.document.lineAt(end).range.end.character);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  highlight(editor, range);
  return editor;
}

function highlight(editor: vscode.TextEditor, range: vscode.Range): void {
  clearHighlight?.();
  const type = highlightDecoration();
  editor.setDecorations(type, [range]);
  const shown = { uri: editor.document.uri.toString(), startLine: range.start.line + 1, endLine: range.end.line + 1 };
  highlighted = shown;
  const selected = editor.selection;
  const clear = () => {
    clearTimeout(timer);
    listener.dispose();
    editor.setDecorations(type, []);
    if (highlighted === shown) highlighted = undefined;
    if (clearHighlight === clear) clearHighlight = undefined;
  };
  // The selection set above raises its own change event: only a different selection clears the highlight.
  const listener = vscode.window.onDidChangeTextEditorSelection((event) => {
    if (event.textEditor !== editor || !event.selections[0]?.isEqual(selected)) clear();
  });
  const timer = setTimeout(clear, HIGHLIGHT_MS);
  clearHighlight = clear;
}

/** Whether a highlight from the last reveal is still shown (for the in-host tests). */
export function highlightShown(): boolean {
  return clearHighlight !== undefined;
}

export function disposeHighlight(): void {
  clearHighlight?.();
  decoration?.dispose();
  decoration = undefined;
}
