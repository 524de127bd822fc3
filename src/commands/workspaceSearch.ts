// The workspace-search commands: Search Workspace (a quick pick with live results while typing), Find Similar in
// Workspace (selection → the Semantic Search view), Update / Rebuild Workspace Index, and going to a match.
import path from 'node:path';
import * as vscode from 'vscode';
import { showError } from '../host/errorMessages';
import { t } from '../host/l10n';
import type { StudioServices } from '../host/studioServices';
import { disposeHighlight, revealHit } from '../host/workspaceSearch/chunkReveal';
import { Debouncer } from '../host/workspaceSearch/runQueue';
import { locationLabel, overlaps, previewLine, scoreLabel, type WorkspaceHit } from '../host/workspaceSearch/searchResultsModel';
import { REVEAL_COMMAND, SemanticSearchView } from '../host/workspaceSearch/semanticSearchView';
import type { IndexRunOutcome, WorkspaceIndexService } from '../host/workspaceSearch/workspaceIndexService';
import type { CommandOutcomes, WorkspaceSearchOutcome } from './commandOutcomes';
import { selectedOrLineText } from './encodeSelection';

/** Pause in typing before the quick pick searches. */
const TYPING_DEBOUNCE_MS = 250;
/** Matches listed in the quick pick and the view. */
const TOP_K = 50;

export interface WorkspaceSearchArgs {
  /** Search this text without opening the quick pick (for tests and scripts). */
  readonly query?: string;
  readonly topK?: number;
  /** With `query`: also show the results in the Semantic Search view. */
  readonly showResults?: boolean;
}

export interface WorkspaceSearch {
  readonly index: WorkspaceIndexService;
  readonly view: SemanticSearchView;
}

export function registerWorkspaceSearchCommands(services: StudioServices, outcomes: CommandOutcomes, search: WorkspaceSearch): vscode.Disposable {
  const register = (id: string, run: (arg: unknown) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      try {
        return await run(arg);
      } catch (error) {
        showError(error, services.log, id);
        return undefined;
      }
    });
  const plain = <T extends object>(arg: unknown): T => (arg !== null && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as T) : ({} as T));
  return vscode.Disposable.from(
    register('minilm.searchWorkspace', (arg) => searchWorkspace(services, outcomes, search, plain<WorkspaceSearchArgs>(arg))),
    register('minilm.findSimilarInWorkspace', (arg) => findSimilarInWorkspace(services, outcomes, search, plain<WorkspaceSearchArgs>(arg))),
    register('minilm.updateIndex', () => search.index.update({ rebuild: false, visible: true })),
    register('minilm.rebuildIndex', () => search.index.update({ rebuild: true, visible: true })),
    register('minilm.cancelIndexing', () => search.index.cancel()),
    register('minilm.clearSearchResults', () => search.view.clear()),
    register(REVEAL_COMMAND, (hit) => (isHit(hit) ? revealHit(hit) : undefined)),
    { dispose: disposeHighlight },
  );
}

/** Shows why no search ran; returns false then. */
function ready(outcome: IndexRunOutcome | undefined, outcomes: CommandOutcomes): boolean {
  if (outcome === undefined) return true;
  if (outcome.kind === 'refused' || outcome.kind === 'failed') {
    outcomes.lastMessage = outcome.message;
    // A failed run has shown its own error already.
    if (outcome.kind === 'refused') void vscode.window.showWarningMessage(t('MiniLM: {0}', outcome.message));
  }
  return false;
}

/** MiniLM: Search Workspace. */
export async function searchWorkspace(
  services: StudioServices,
  outcomes: CommandOutcomes,
  search: WorkspaceSearch,
  args: WorkspaceSearchArgs,
): Promise<WorkspaceSearchOutcome | undefined> {
  const query = args.query?.trim();
  if (query) {
    if (!ready(await search.index.ensureIndex(), outcomes)) return undefined;
    const outcome: WorkspaceSearchOutcome = { query, hits: await search.index.search(query, args.topK ?? TOP_K) };
    outcomes.lastWorkspaceSearch = outcome;
    if (args.showResults) await search.view.show(outcome);
    return outcome;
  }
  showSearchPick(services, outcomes, search);
  return undefined;
}

type HitItem = vscode.QuickPickItem & { hit: WorkspaceHit };

/** Shown without being awaited: the quick pick lives on while the user types. */
function showSearchPick(services: StudioServices, outcomes: CommandOutcomes, search: WorkspaceSearch): void {
  const pick = vscode.window.createQuickPick<HitItem>();
  const showInView: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('list-tree'), tooltip: t('Show the results in the Semantic Search view') };
  pick.title = t('MiniLM: Search Workspace');
  pick.placeholder = t('Describe what you are looking for; results follow as you type');
  pick.matchOnDescription = false;
  pick.buttons = [showInView];
  let latest: WorkspaceSearchOutcome | undefined;
  let running: AbortController | undefined;
  let indexReady = false;
  let sequence = 0;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;

  const runSearch = async () => {
    const query = pick.value.trim();
    running?.abort();
    const mine = ++sequence;
    if (!query || !indexReady) {
      if (!query) pick.items = [];
      return;
    }
    const controller = new AbortController();
    running = controller;
    pick.busy = true;
    try {
      const hits = await search.index.search(query, TOP_K, controller.signal);
      if (mine !== sequence) return;
      latest = { query, hits };
      outcomes.lastWorkspaceSearch = latest;
      pick.items = hits.map((hit) => ({
        label: previewLine(hit.text) || locationLabel(hit, multiRoot),
        description: scoreLabel(hit.score),
        // On its own line, so a long preview never hides where the match is.
        detail: `$(file) ${locationLabel(hit, multiRoot)}`,
        // The quick pick filters by label; these are ranked by meaning, so every one stays listed, in rank order.
        alwaysShow: true,
        hit,
      }));
      if (hits.length === 0) pick.placeholder = t('No match in the workspace index');
    } catch (error) {
      if (mine === sequence && !controller.signal.aborted) showError(error, services.log, 'search workspace');
    } finally {
      if (mine === sequence) pick.busy = false;
    }
  };
  const debounce = new Debouncer(TYPING_DEBOUNCE_MS, () => void runSearch());
  pick.onDidChangeValue(() => debounce.trigger());
  pick.onDidTriggerButton(() => {
    if (latest) void search.view.show(latest, { focus: true });
    pick.hide();
  });
  pick.onDidAccept(async () => {
    const item = pick.selectedItems[0] ?? pick.activeItems[0];
    if (!item) return;
    pick.hide();
    await revealHit(item.hit);
  });
  pick.onDidHide(() => {
    debounce.cancel();
    running?.abort();
    pick.dispose();
  });
  pick.busy = true;
  pick.show();
  void search.index.ensureIndex().then(
    (outcome) => {
      pick.busy = false;
      if (!ready(outcome, outcomes)) {
        pick.hide();
        return;
      }
      indexReady = true;
      if (pick.value.trim()) void runSearch();
    },
    (error: unknown) => {
      pick.hide();
      showError(error, services.log, 'search workspace');
    },
  );
}

/**
 * MiniLM: Find Similar in Workspace: the selection (or the current line) as the query; the chunks that cover the
 * selection itself are left out; the ranking goes to the Semantic Search view.
 */
export async function findSimilarInWorkspace(
  services: StudioServices,
  outcomes: CommandOutcomes,
  search: WorkspaceSearch,
  args: WorkspaceSearchArgs,
): Promise<WorkspaceSearchOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  const query = args.query?.trim() || (editor ? selectedOrLineText(editor) : undefined);
  if (!query) {
    const message = t('Select some text (or put the cursor on a line) to find similar passages in the workspace.');
    outcomes.lastMessage = message;
    void vscode.window.showInformationMessage(message);
    return undefined;
  }
  if (!ready(await search.index.ensureIndex(), outcomes)) return undefined;
  const topK = args.topK ?? TOP_K;
  const place = editor && !args.query ? selectionPlace(editor) : undefined;
  // A few more than shown: the chunks of the selection itself are dropped.
  const hits = (await search.index.search(query, topK + 5)).filter((hit) => !place || !overlaps(hit, place)).slice(0, topK);
  const outcome: WorkspaceSearchOutcome = { query, hits };
  outcomes.lastWorkspaceSearch = outcome;
  if (args.showResults !== false) await search.view.show(outcome);
  services.log.info(`find similar in workspace: ${hits.length} matches`);
  return outcome;
}

/** Where the selection is, as the index names places (folder, relative POSIX path, 1-based lines). */
function selectionPlace(editor: vscode.TextEditor): { folderPath: string; path: string; startLine: number; endLine: number } | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  if (!folder || folder.uri.scheme !== 'file' || editor.document.uri.scheme !== 'file') return undefined;
  const selection = editor.selection;
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return {
    folderPath: folder.uri.fsPath,
    path: path.relative(folder.uri.fsPath, editor.document.uri.fsPath).split(path.sep).join('/'),
    startLine: selection.start.line + 1,
    endLine,
  };
}

function isHit(value: unknown): value is WorkspaceHit {
  const hit = value as Partial<WorkspaceHit> | null;
  return (
    hit !== null &&
    typeof hit === 'object' &&
    typeof hit.folderPath === 'string' &&
    typeof hit.path === 'string' &&
    typeof hit.startLine === 'number' &&
    typeof hit.endLine === 'number'
  );
}
