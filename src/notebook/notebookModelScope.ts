// Where a notebook's model specs are read: its folder, its workspace folder, the workspace's trust.
import * as vscode from 'vscode';
import type { ModelScope } from './cellModel';

export function notebookModelScope(notebook: vscode.NotebookDocument, dtype: ModelScope['dtype']): ModelScope {
  const local = (uri: vscode.Uri | undefined) => (uri?.scheme === 'file' ? uri.fsPath : undefined);
  const workspaceFolder = local(vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri) ?? local(vscode.workspace.workspaceFolders?.[0]?.uri);
  const notebookFolder = notebook.uri.scheme === 'file' ? vscode.Uri.joinPath(notebook.uri, '..').fsPath : undefined;
  return { notebookFolder, workspaceFolder, trusted: vscode.workspace.isTrusted, dtype };
}
