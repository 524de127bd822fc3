// Drives a .minilm notebook in the in-host suites: the MiniLM kernel selected, cells run and waited for, their
// outputs described for assertion messages.
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './extensionApi';

export const ERROR_MIME = 'application/vnd.code.notebook.error';
/** A first cell loads the model: on a busy 2-core machine that can take minutes. */
export const CELL_TIMEOUT_MS = 240_000;

export async function selectKernel(): Promise<void> {
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'minilm-kernel', extension: EXTENSION_ID });
}

/** Shows the notebook in an editor with the MiniLM kernel selected (commands act on the active notebook). */
export async function showWithKernel(notebook: vscode.NotebookDocument): Promise<void> {
  await vscode.window.showNotebookDocument(notebook);
  await selectKernel();
}

export function cellFinished(cell: vscode.NotebookCell): boolean {
  return cell.executionSummary?.success !== undefined;
}

/** Waits until cell `index` has finished (succeeded or failed). */
export async function waitForCell(
  notebook: vscode.NotebookDocument,
  index: number,
  what = `cell ${index + 1} to finish`,
  timeoutMs = CELL_TIMEOUT_MS,
): Promise<void> {
  await waitFor(() => cellFinished(notebook.cellAt(index)), what, timeoutMs);
}

/** Runs one cell and waits for it to end. */
export async function runCell(notebook: vscode.NotebookDocument, index: number): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: notebook.uri });
  await waitForCell(notebook, index);
}

/** Every output item's mime type, error outputs with their text. */
export function describeOutputs(cell: vscode.NotebookCell): string {
  return cell.outputs
    .flatMap((o) => o.items)
    .map((i) => (i.mime === ERROR_MIME ? `error: ${new TextDecoder().decode(i.data)}` : i.mime))
    .join(', ');
}
