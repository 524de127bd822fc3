// Shows a failure to the user with buttons that fix it; cancellations stay silent.
import * as vscode from 'vscode';
import { EngineError, isCancellation } from '../engine';
import { SETTINGS_QUERY, errorActions, type ErrorAction } from '../shared/errorActions';
import { currentSettings } from './engineHost';

function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'chooseModelFolder':
      return vscode.l10n.t('Choose Model Folder');
    case 'downloadModel':
      return vscode.l10n.t('Download Model');
    case 'openSettings':
      return vscode.l10n.t('Open Settings');
    case 'showLog':
      return vscode.l10n.t('Show Log');
    case 'loadModel':
      return vscode.l10n.t('Load Model');
  }
}

async function runAction(action: ErrorAction): Promise<void> {
  switch (action) {
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_QUERY);
      return;
    default:
      await vscode.commands.executeCommand(`minilm.${action}`);
  }
}

/** Logs the error and shows it without waiting for the user (commands return while the message is up). */
export function showError(error: unknown, log: vscode.LogOutputChannel, context: string): void {
  if (isCancellation(error)) {
    log.info(`${context}: cancelled`);
    return;
  }
  const code = error instanceof EngineError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${context}: ${code ? `${code}: ` : ''}${message}`);
  const actions = errorActions(code, currentSettings().allowDownload);
  const labels = actions.map(actionLabel);
  void vscode.window.showErrorMessage(vscode.l10n.t('MiniLM: {0}', message), ...labels).then((picked) => {
    const index = picked === undefined ? -1 : labels.indexOf(picked);
    if (index >= 0) void runAction(actions[index]!);
  });
}
