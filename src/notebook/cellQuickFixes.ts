// Quick fixes for `minilm` cells: replace a mistyped directive, option or corpus name with a near one (edit distance
// at most 2). The problems are found again here rather than read back from the diagnostics, which reach a code action
// provider as copies without the parser's suggestions.
import * as vscode from 'vscode';
import { HOVER_LABELS } from './cellMessages';
import { cellProblems, problemRange } from './cellDiagnostics';
import type { SessionCorpora } from './notebookCorpora';

export function registerCellQuickFixes(session: SessionCorpora): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { language: 'minilm' },
    {
      provideCodeActions(document, range, context) {
        const actions: vscode.CodeAction[] = [];
        for (const problem of cellProblems(document, session)) {
          const at = problemRange(document, problem);
          if (!problem.fixes || !at.intersection(range)) continue;
          const diagnostics = context.diagnostics.filter((d) => d.range.isEqual(at));
          problem.fixes.forEach((fix, index) => {
            const action = new vscode.CodeAction(vscode.l10n.t(HOVER_LABELS.replaceWith, fix), vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            action.edit.replace(document.uri, at, fix);
            action.diagnostics = diagnostics;
            action.isPreferred = index === 0;
            actions.push(action);
          });
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
