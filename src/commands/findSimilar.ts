import path from 'node:path';
import * as vscode from 'vscode';
import { semanticSearch } from '../core';
import type { StudioServices } from '../host/studioServices';
import { showError } from '../host/errorMessages';
import { t } from '../host/l10n';
import type { CommandOutcomes, SearchOutcome } from './commandOutcomes';
import { rankedLineItem, type RankedLine } from './resultMessages';
import { nonEmptyLines, type NumberedLine } from './selectionTexts';
import { selectedOrLineText } from './encodeSelection';

/** Ranked results listed at most (the QuickPick filters them further as the user types). */
const TOP_K = 100;

export interface FindSimilarArgs {
  /** Query instead of the selection. */
  readonly query?: string;
  /** Search the lines of this file instead of the active document. */
  readonly file?: string;
  /** false: return the ranking without showing it (for tests and scripts). */
  readonly showResults?: boolean;
}

interface Candidates {
  readonly lines: NumberedLine[];
  readonly uri: vscode.Uri;
  readonly label: string;
}

/**
 * MiniLM: Find Similar: ranks the non-empty lines of the active document (or of a chosen file) by cosine similarity
 * to the selection, and lists them in a QuickPick; picking one reveals that line. The lines of the selection itself
 * are left out of the candidates.
 */
export async function findSimilar(services: StudioServices, outcomes: CommandOutcomes, args: FindSimilarArgs = {}): Promise<SearchOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  const query =
    args.query?.trim() ||
    (editor ? selectedOrLineText(editor) : undefined) ||
    (await vscode.window.showInputBox({ title: t('MiniLM: Find Similar'), prompt: t('Text to find similar lines for'), ignoreFocusOut: true }))?.trim();
  if (!query) return undefined;

  let candidates: Candidates | undefined;
  if (args.file) candidates = await fileCandidates(vscode.Uri.file(args.file));
  else if (editor) candidates = documentCandidates(editor);
  else candidates = await chooseFileCandidates();
  if (!candidates) return undefined;
  if (candidates.lines.length === 0) {
    const message = t('{0} has no other non-empty lines to compare with.', candidates.label);
    outcomes.lastMessage = message;
    void vscode.window.showInformationMessage(message);
    return undefined;
  }
  const outcome = await rank(services, query, candidates);
  outcomes.lastSearch = outcome;
  if (args.showResults !== false) showRanking(services, outcomes, outcome, candidates);
  return outcome;
}

async function rank(services: StudioServices, query: string, candidates: Candidates): Promise<SearchOutcome> {
  const vectors = await services.engine.encode([query, ...candidates.lines.map((l) => l.text)]);
  const [hits] = semanticSearch(vectors[0]!, vectors.slice(1), { topK: Math.min(TOP_K, candidates.lines.length) });
  const ranked: RankedLine[] = hits!.map((hit) => ({ ...candidates.lines[hit.corpus_id]!, score: hit.score }));
  return { query, source: candidates.label, candidates: candidates.lines.length, hits: ranked };
}

function documentCandidates(editor: vscode.TextEditor): Candidates {
  const exclude = new Set<number>();
  for (const s of editor.selections) {
    if (s.isEmpty) exclude.add(s.active.line);
    else {
      // A selection ending at column 0 (whole lines selected) does not include that last line.
      const last = s.end.character === 0 && s.end.line > s.start.line ? s.end.line - 1 : s.end.line;
      for (let line = s.start.line; line <= last; line++) exclude.add(line);
    }
  }
  return {
    lines: nonEmptyLines(editor.document.getText(), exclude),
    uri: editor.document.uri,
    label: path.basename(editor.document.fileName) || editor.document.uri.toString(),
  };
}

async function fileCandidates(uri: vscode.Uri): Promise<Candidates> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { lines: nonEmptyLines(new TextDecoder('utf-8').decode(bytes)), uri, label: path.basename(uri.fsPath) };
}

async function chooseFileCandidates(): Promise<Candidates | undefined> {
  const [uri] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      title: t('MiniLM: Find Similar — search the lines of a file'),
      openLabel: t('Search This File'),
      filters: { [t('Text')]: ['txt', 'md', 'csv', 'tsv', 'jsonl'], '*': ['*'] },
    })) ?? [];
  return uri ? fileCandidates(uri) : undefined;
}

type RankedItem = vscode.QuickPickItem & { hit: RankedLine };

/** Shown without being awaited: the command's promise resolves with the ranking while the list is open. */
function showRanking(services: StudioServices, outcomes: CommandOutcomes, outcome: SearchOutcome, candidates: Candidates): void {
  const pick = vscode.window.createQuickPick<RankedItem>();
  const searchFile: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: t('Search the lines of a file instead') };
  pick.title = t('Lines of {0} most similar to “{1}”', candidates.label, outcome.query.length > 40 ? `${outcome.query.slice(0, 39)}…` : outcome.query);
  pick.placeholder = t('{0} of {1} lines, best first; type to filter, Enter to go to the line', outcome.hits.length, outcome.candidates);
  pick.matchOnDescription = true;
  pick.buttons = [searchFile];
  pick.items = outcome.hits.map((hit, rank) => ({ ...rankedLineItem(hit, rank, t), hit }));
  pick.onDidTriggerButton(async () => {
    pick.hide();
    const chosen = await chooseFileCandidates();
    if (!chosen) return;
    try {
      const next = await rank(services, outcome.query, chosen);
      outcomes.lastSearch = next;
      showRanking(services, outcomes, next, chosen);
    } catch (error) {
      showError(error, services.log, 'find similar');
    }
  });
  pick.onDidAccept(async () => {
    const item = pick.selectedItems[0];
    pick.hide();
    if (!item) return;
    const position = new vscode.Position(item.hit.line, 0);
    const editor = await vscode.window.showTextDocument(candidates.uri, { preview: true });
    const end = editor.document.lineAt(Math.min(item.hit.line, editor.document.lineCount - 1)).range.end;
    editor.selection = new vscode.Selection(position, end);
    editor.revealRange(new vscode.Range(position, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
