import * as vscode from 'vscode';
import type { Translate } from '../shared/translate';

/** `vscode.l10n.t` for the pure view-model functions that take a translator. */
export const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);
