import * as vscode from 'vscode';
import { BACKEND_API_KEY_SECRET } from '../host/engineHost';
import type { StudioServices } from '../host/studioServices';
import { t } from '../host/l10n';
import type { CommandOutcomes } from './commandOutcomes';

export interface SetBackendApiKeyArgs {
  /** Use this key instead of asking (tests and scripts); "" removes the stored key. */
  readonly key?: string;
}

/**
 * MiniLM: Set Backend API Key: keeps the remote backend's key in VS Code's secret storage (the OS keychain where
 * there is one), never in settings, which are plain files a repository can carry. An empty key removes it.
 */
export async function setBackendApiKey(
  services: StudioServices,
  outcomes: CommandOutcomes,
  args: SetBackendApiKeyArgs = {},
): Promise<'saved' | 'removed' | undefined> {
  const key =
    args.key ??
    (await vscode.window.showInputBox({
      title: t('MiniLM: API key of the remote backend'),
      prompt: t('Sent as "Authorization: Bearer <key>" to minilm.backendEndpoint. Leave empty to remove the stored key.'),
      password: true,
      ignoreFocusOut: true,
    }));
  if (key === undefined) return undefined;
  const trimmed = key.trim();
  if (trimmed === '') await services.context.secrets.delete(BACKEND_API_KEY_SECRET);
  else await services.context.secrets.store(BACKEND_API_KEY_SECRET, trimmed);
  const message = trimmed === '' ? t('MiniLM: the backend API key was removed.') : t("MiniLM: the backend API key is saved in VS Code's secret storage.");
  outcomes.lastMessage = message;
  void vscode.window.showInformationMessage(message);
  return trimmed === '' ? 'removed' : 'saved';
}
