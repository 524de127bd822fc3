// MiniLM: Open Sample Notebook. The sample ships in the extension's `samples/` folder, which must never be written to
// (an update replaces it, and it may be read-only): the notebook and the text file its `@file` cell reads are copied
// into the extension's global storage, one folder per extension version, and the copy is opened. A copy that exists
// already is opened as it is, so edits made to it are kept.
import * as vscode from 'vscode';
import { SAMPLE_FILES } from '../notebook/sampleFiles';

export async function openSampleNotebook(context: vscode.ExtensionContext): Promise<vscode.NotebookDocument> {
  const version = String(context.extension.packageJSON.version ?? 'dev');
  const folder = vscode.Uri.joinPath(context.globalStorageUri, 'samples', version);
  await vscode.workspace.fs.createDirectory(folder);
  for (const name of SAMPLE_FILES) {
    const target = vscode.Uri.joinPath(folder, name);
    if (await exists(target)) continue;
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'samples', name), target, { overwrite: false });
  }
  const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder, SAMPLE_FILES[0]));
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
