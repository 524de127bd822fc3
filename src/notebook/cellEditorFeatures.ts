// The editor's help for `minilm` cells: completions, diagnostics, hovers, go-to-definition, quick fixes and the
// semantic colouring the grammar cannot do.
import * as vscode from 'vscode';
import { registerCellCompletions } from './cellCompletions';
import { registerCellDiagnostics } from './cellDiagnostics';
import { registerCellHighlighting } from './cellHighlighting';
import { registerCellNavigation } from './cellNavigation';
import { registerCellQuickFixes } from './cellQuickFixes';
import type { SessionCorpora } from './notebookCorpora';

export function registerCellLanguage(session: SessionCorpora): vscode.Disposable {
  return vscode.Disposable.from(
    registerCellCompletions(session),
    registerCellDiagnostics(session),
    registerCellNavigation(session),
    registerCellQuickFixes(session),
    registerCellHighlighting(),
  );
}
