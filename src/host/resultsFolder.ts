// minilm.resultsFolder is folder-scoped: in a multi-root workspace each folder keeps its results where its own
// settings say, and a result goes to the folder of the file or notebook it is about (the active editor's when the
// caller names none).
import * as vscode from 'vscode';
import { isReallyWithin } from './containedPath';
import { readStudioSettings, resultsFolderFor, resultsFolderOutside } from './studioSettings';

/** The local (file-scheme) workspace folders, in their order. */
function localFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** The document the user is working in: the active notebook, else the active text editor's file. */
function activeResource(): vscode.Uri | undefined {
  return vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
}

/** The file path a resource stands for (a notebook cell's is its workspace folder's), undefined for a remote one. */
function filePathOf(resource: vscode.Uri | undefined): string | undefined {
  if (!resource) return undefined;
  if (resource.scheme === 'file') return resource.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(resource);
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

function located(resource: vscode.Uri | undefined, trusted: boolean) {
  const settingsOf = (folder: string) => {
    const config = vscode.workspace.getConfiguration('minilm', vscode.Uri.file(folder));
    return readStudioSettings((key) => config.inspect(key), trusted);
  };
  return { found: resultsFolderFor(filePathOf(resource ?? activeResource()), localFolders(), settingsOf), settingsOf };
}

/**
 * The results folder for `resource` (default: the active editor's document): inside the workspace folder that holds
 * it, else the first. Throws when the folder's setting leaves the workspace folder; undefined without a local folder.
 */
export function resultsFolderUri(resource?: vscode.Uri, trusted: boolean = vscode.workspace.isTrusted): vscode.Uri | undefined {
  const { found } = located(resource, trusted);
  return found ? vscode.Uri.file(found.results) : undefined;
}

/** The same, also refused when a symbolic link on its way leads out of the workspace folder. */
export async function checkedResultsFolderUri(resource?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const { found, settingsOf } = located(resource, vscode.workspace.isTrusted);
  if (!found) return undefined;
  if (!(await isReallyWithin(found.folder, found.results))) throw resultsFolderOutside(settingsOf(found.folder).resultsFolder, found.folder);
  return vscode.Uri.file(found.results);
}
