import * as vscode from 'vscode';
import { ENGLISH_STRINGS } from '../shared/studioUiStrings';

/**
 * The webview's strings in the UI language. l10n bundles are keyed by the English text; placeholders are passed
 * back as themselves so that `{0}` survives for the webview to fill in.
 */
export function translatedStrings(): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, english] of Object.entries(ENGLISH_STRINGS)) {
    result[key] = vscode.l10n.t(english, '{0}', '{1}');
  }
  return result;
}
