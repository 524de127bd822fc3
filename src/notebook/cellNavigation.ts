// Hover docs for directives, options and directive-line keywords of `minilm` cells, and go-to-definition from a
// corpus name to the `corpus <name>` cell that defines it (the nearest one above, which a run would use).
import * as vscode from 'vscode';
import { HOVER_DOCS, HOVER_LABELS, SYNTAX_HINTS } from './cellMessages';
import { corpusNameAt, wordAt } from './cellPositions';
import { corporaInScope, type SessionCorpora } from './notebookCorpora';

export function registerCellNavigation(session: SessionCorpora): vscode.Disposable {
  const selector: vscode.DocumentSelector = { language: 'minilm' };
  const hover = vscode.languages.registerHoverProvider(selector, {
    provideHover(document, position) {
      const source = document.getText();
      const corpus = corpusNameAt(source, position.line, position.character);
      if (corpus) {
        const scope = corporaInScope(document, session);
        const defined = scope && [...scope.above].reverse().find((d) => d.ref.name === corpus.name && d.cell.document !== document);
        const text = defined
          ? vscode.l10n.t(HOVER_LABELS.corpusDefined, corpus.name, defined.cell.index + 1, defined.ref.line)
          : scope?.session.includes(corpus.name)
            ? vscode.l10n.t(HOVER_LABELS.corpusSession, corpus.name)
            : undefined;
        if (text) return new vscode.Hover(new vscode.MarkdownString(text), new vscode.Range(corpus.line - 1, corpus.start, corpus.line - 1, corpus.end));
      }
      const word = wordAt(source, position.line, position.character);
      if (!word) return undefined;
      const label = vscode.l10n.t(HOVER_LABELS[word.kind === 'directive' ? 'directive' : word.kind === 'option' ? 'option' : 'keyword']);
      const markdown = new vscode.MarkdownString();
      markdown.appendMarkdown(`**${word.topic}** — ${label}\n\n`);
      markdown.appendMarkdown(vscode.l10n.t(HOVER_DOCS[word.topic]));
      if (word.directive) markdown.appendMarkdown('\n\n' + vscode.l10n.t(HOVER_LABELS.syntax, vscode.l10n.t(SYNTAX_HINTS[word.directive])));
      return new vscode.Hover(markdown, new vscode.Range(position.line, word.start, position.line, word.end));
    },
  });
  const definition = vscode.languages.registerDefinitionProvider(selector, {
    provideDefinition(document, position) {
      const corpus = corpusNameAt(document.getText(), position.line, position.character);
      if (!corpus) return undefined;
      const scope = corporaInScope(document, session);
      const candidates = scope?.above.filter((d) => d.ref.name === corpus.name && d.cell.document !== document) ?? [];
      const nearest = candidates.at(-1);
      if (!nearest) return undefined;
      const { ref } = nearest;
      return new vscode.Location(nearest.cell.document.uri, new vscode.Range(ref.line - 1, ref.start, ref.line - 1, ref.end));
    },
  });
  return vscode.Disposable.from(hover, definition);
}
