// The extension end of the matrix renderer's messaging: a CSV export request opens a save dialog and the result goes
// back to the renderer that asked. Messages are validated: the renderer runs in the output iframe.
import * as vscode from 'vscode';
import { MATRIX_RENDERER_ID, isExportCsvRequest, type ExportCsvResult } from '../shared/matrixOutput';

export function registerRendererMessaging(log: vscode.LogOutputChannel): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(MATRIX_RENDERER_ID);
  return messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isExportCsvRequest(message)) {
      log.warn('matrix renderer sent an unexpected message');
      return;
    }
    const reply = (outcome: ExportCsvResult['outcome'], detail?: string) =>
      messaging.postMessage({ type: 'exportCsvResult', requestId: message.requestId, outcome, detail } satisfies ExportCsvResult, editor);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
    const fileName = message.fileName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120) || 'matrix.csv';
    const folder = vscode.workspace.getWorkspaceFolder(editor.notebook.uri)?.uri ?? vscode.Uri.joinPath(editor.notebook.uri, '..');
    try {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, fileName),
        filters: { CSV: ['csv'] },
        title: vscode.l10n.t('Export matrix as CSV'),
      });
      if (!target) {
        await reply('cancelled');
        return;
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(message.csv));
      await reply('saved', target.fsPath || target.toString());
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      log.error(`CSV export failed: ${text}`);
      await reply('failed', text);
    }
  });
}
