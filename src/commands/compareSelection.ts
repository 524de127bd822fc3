import * as vscode from 'vscode';
import { euclideanDistance, cosineSimilarity, dot, manhattanDistance, matrixToRows, similarityMatrix } from '../core';
import type { StudioServices } from '../host/studioServices';
import { t } from '../host/l10n';
import { StudioPanel } from '../panel/studioPanel';
import { LIMITS } from '../shared/studioProtocol';
import type { CommandOutcomes, ComparisonOutcome } from './commandOutcomes';
import { comparisonMessage, shorten } from './resultMessages';
import { selectionTexts } from './selectionTexts';

export interface CompareSelectionArgs {
  /** The second text when only one is selected (instead of asking for it). */
  readonly secondText?: string;
}

/**
 * MiniLM: Compare Selection. Several selections → one text each; one selection over several lines → one text per
 * non-empty line; one selection within a line → asks for the text to compare it with. Two texts give a notification
 * with cosine similarity and Euclidean distance; more open their similarity matrix in the Studio.
 */
export async function compareSelection(
  services: StudioServices,
  outcomes: CommandOutcomes,
  args: CompareSelectionArgs = {},
): Promise<ComparisonOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  const nothing = t(
    'Nothing to compare. Select two or more lines, or make several selections (Alt+Click or Ctrl+D), then run MiniLM: Compare Selection again.',
  );
  if (!editor) {
    inform(outcomes, nothing);
    return undefined;
  }
  const document = editor.document;
  const found = selectionTexts(
    document.getText(),
    editor.selections.map((s) => ({ start: document.offsetAt(s.start), end: document.offsetAt(s.end) })),
  );
  let texts: string[];
  let from: ComparisonOutcome['from'];
  if (found.kind === 'none') {
    inform(outcomes, nothing);
    return undefined;
  } else if (found.kind === 'single') {
    const second =
      args.secondText ??
      (await vscode.window.showInputBox({
        title: t('MiniLM: Compare Selection'),
        prompt: t('Compare “{0}” with:', shorten(found.text, 50)),
        placeHolder: t('Type a second text, or select several lines before running the command'),
        ignoreFocusOut: true,
      }));
    if (second === undefined || second.trim() === '') return undefined;
    texts = [found.text, second.trim()];
    from = 'input';
  } else {
    texts = found.texts;
    from = found.from;
  }

  if (texts.length > LIMITS.matrixTexts) {
    void vscode.window.showWarningMessage(t('Comparing the first {0} of {1} texts.', LIMITS.matrixTexts, texts.length));
    texts = texts.slice(0, LIMITS.matrixTexts);
  }
  const vectors = await services.engine.encode(texts);
  if (texts.length === 2) {
    const [a, b] = texts as [string, string];
    const cosine = cosineSimilarity(vectors[0]!, vectors[1]!);
    const euclidean = euclideanDistance(vectors[0]!, vectors[1]!);
    const state = services.engine.state;
    const info = state.kind === 'ready' ? state.info : undefined;
    const similarityFunction = info?.similarityFunction ?? 'cosine';
    const [va, vb] = [vectors[0]!, vectors[1]!];
    const score = { cosine, dot: dot(va, vb), euclidean, manhattan: manhattanDistance(va, vb) }[similarityFunction];
    const outcome: ComparisonOutcome = { texts, from, cosine, euclidean, similarityFunction, score };
    outcomes.lastComparison = outcome;
    const open = t('Open in Studio');
    const message = comparisonMessage(a, b, cosine, euclidean, t, info && { name: info.name, similarityFunction, score });
    outcomes.lastMessage = message;
    void vscode.window.showInformationMessage(message, open).then((picked) => {
      if (picked === open) StudioPanel.show(services, { tab: 'similarity', similarity: { a, b } });
    });
    return outcome;
  }
  const outcome: ComparisonOutcome = { texts, from, matrix: matrixToRows(similarityMatrix(vectors)) };
  outcomes.lastComparison = outcome;
  StudioPanel.show(services, { tab: 'examples', matrix: { texts } });
  return outcome;
}

function inform(outcomes: CommandOutcomes, message: string): void {
  outcomes.lastMessage = message;
  void vscode.window.showInformationMessage(message);
}
