// Semantic colouring where the TextMate grammar cannot know enough: it reads one line at a time, so it cannot tell
// that `search … in docs` with candidates below is a query ending in "in docs" rather than a search of corpus docs.
import * as vscode from 'vscode';
import { queryReadWithIn } from './cellPositions';

const LEGEND = new vscode.SemanticTokensLegend(['string']);

export function registerCellHighlighting(): vscode.Disposable {
  return vscode.languages.registerDocumentSemanticTokensProvider(
    { language: 'minilm' },
    {
      provideDocumentSemanticTokens(document) {
        const builder = new vscode.SemanticTokensBuilder(LEGEND);
        const query = queryReadWithIn(document.getText());
        if (query) builder.push(new vscode.Range(query.line, query.start, query.line, query.end), 'string');
        return builder.build();
      },
    },
    LEGEND,
  );
}
