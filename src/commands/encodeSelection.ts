import * as vscode from 'vscode';
import { norm } from '../core';
import type { StudioServices } from '../host/studioServices';
import { t } from '../host/l10n';
import { StudioPanel } from '../panel/studioPanel';
import type { CommandOutcomes, EncodeOutcome } from './commandOutcomes';
import { encodeMessage, vectorJson } from './resultMessages';

export interface EncodeSelectionArgs {
  /** Encode this text instead of the selection. */
  readonly text?: string;
}

/** The primary selection, or the cursor's line when nothing is selected; undefined when that is blank. */
export function selectedOrLineText(editor: vscode.TextEditor): string | undefined {
  const selection = editor.selection;
  const text = selection.isEmpty ? editor.document.lineAt(selection.active.line).text : editor.document.getText(selection);
  return text.trim() === '' ? undefined : text.trim();
}

/** MiniLM: Encode Selection: the selection's vector summarised in a notification, with Copy as JSON / Open in Studio. */
export async function encodeSelection(services: StudioServices, outcomes: CommandOutcomes, args: EncodeSelectionArgs = {}): Promise<EncodeOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  const text = args.text?.trim() || (editor ? selectedOrLineText(editor) : undefined);
  if (!text) {
    const message = t('Nothing to encode. Select some text (or put the cursor on a non-empty line) and run MiniLM: Encode Selection again.');
    outcomes.lastMessage = message;
    void vscode.window.showInformationMessage(message);
    return undefined;
  }
  const { vectors, tokens } = await services.engine.encodeWithTokens([text]);
  const vector = vectors[0]!;
  const outcome: EncodeOutcome = { text, dimension: vector.length, norm: norm(vector), tokens: tokens?.[0]!.count, truncated: tokens?.[0]!.truncated ?? false };
  outcomes.lastEncode = outcome;
  const copy = t('Copy as JSON');
  const open = t('Open in Studio');
  const message = encodeMessage(text, vector, outcome.norm, tokens?.[0], t);
  outcomes.lastMessage = message;
  void vscode.window.showInformationMessage(message, copy, open).then(async (picked) => {
    if (picked === copy) {
      await vscode.env.clipboard.writeText(vectorJson(vector));
      vscode.window.setStatusBarMessage(t('MiniLM: copied a {0}-dimensional vector as JSON', vector.length), 4000);
    } else if (picked === open) {
      StudioPanel.show(services, { tab: 'encode', encode: { text } });
    }
  });
  return outcome;
}
