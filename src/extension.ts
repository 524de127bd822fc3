// Activation: creates the shared services (log, engine host) and registers commands, status bar, panel and notebook.
// The model is not loaded here unless minilm.autoLoad: activation (at start-up, onStartupFinished) stays cheap and
// the first use loads it. A package.json activation event cannot depend on a setting, so the extension starts
// after start-up in every window and looks at the setting itself.
import * as vscode from 'vscode';
import { CommandOutcomes, registerCommands } from './commands';
import { ContextKeys } from './host/contextKeys';
import { VscodeEngineHost, currentSettings } from './host/engineHost';
import { showError } from './host/errorMessages';
import { checkedResultsFolderUri, resultsFolderUri } from './host/resultsFolder';
import { ModelStatusBar } from './host/statusBar';
import type { StudioServices } from './host/studioServices';
import { currentHighlight } from './host/workspaceSearch/chunkReveal';
import { IndexStatusBar } from './host/workspaceSearch/indexStatusBar';
import { SemanticSearchView } from './host/workspaceSearch/semanticSearchView';
import { WorkspaceIndexService } from './host/workspaceSearch/workspaceIndexService';
import { registerWorkspaceSearchCommands } from './commands/workspaceSearch';
import { registerNotebook } from './notebook';
import { StudioPanel, registerStudioPanel } from './panel/studioPanel';

/** What `activate` returns: the in-host tests inspect the running extension through it. */
export interface MiniLmExtensionApi {
  readonly services: StudioServices;
  readonly engineHost: VscodeEngineHost;
  readonly statusBar: ModelStatusBar;
  /** The workspace semantic-search index, its status bar item and the Semantic Search view. */
  readonly workspaceIndex: WorkspaceIndexService;
  readonly indexStatusBar: IndexStatusBar;
  readonly searchView: SemanticSearchView;
  readonly outcomes: CommandOutcomes;
  /** The when-clause context keys as last set (minilm.modelLoaded, minilm.indexReady, minilm.indexing). */
  readonly contextKeys: ContextKeys;
  /** The open Studio panel, if any (the in-host tests post protocol requests through it). */
  readonly studioPanel: () => StudioPanel | undefined;
  /** The lines a revealed search result highlights now, if any. */
  readonly highlightedLines: typeof currentHighlight;
}

export function activate(context: vscode.ExtensionContext): MiniLmExtensionApi {
  const log = vscode.window.createOutputChannel('MiniLM', { log: true });
  const engineHost = new VscodeEngineHost(context, log);
  const services: StudioServices = {
    context,
    engine: engineHost,
    log,
    resultsFolder: resultsFolderUri,
    checkedResultsFolder: checkedResultsFolderUri,
  };
  const outcomes = new CommandOutcomes();
  const statusBar = new ModelStatusBar(engineHost);
  const contextKeys = new ContextKeys();
  const workspaceIndex = new WorkspaceIndexService(context, engineHost, log, contextKeys);
  const indexStatusBar = new IndexStatusBar(workspaceIndex);
  const searchView = new SemanticSearchView();
  context.subscriptions.push(
    log,
    engineHost,
    statusBar,
    contextKeys.followModel(engineHost),
    registerCommands(services, outcomes),
    registerStudioPanel(services),
    registerNotebook(services, workspaceIndex),
    workspaceIndex,
    indexStatusBar,
    searchView,
    registerWorkspaceSearchCommands(services, outcomes, { index: workspaceIndex, view: searchView }),
  );
  log.info(
    `MiniLM Studio ${context.extension.packageJSON.version as string} activated (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: limited mode'})`,
  );
  // currentSettings() reads only the user's own value in an untrusted workspace: a cloned repository cannot turn
  // this on.
  // A remote backend embeds: there is no local model to load then.
  if (currentSettings().autoLoad && currentSettings().backend === 'local') {
    engineHost.ensureLoaded({ silent: true }).catch((error: unknown) => showError(error, log, 'auto-load'));
  }
  return {
    services,
    engineHost,
    statusBar,
    workspaceIndex,
    indexStatusBar,
    searchView,
    outcomes,
    contextKeys,
    studioPanel: () => StudioPanel.current,
    highlightedLines: currentHighlight,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the engine host's dispose ends the worker thread.
}
