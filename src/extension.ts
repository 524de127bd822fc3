// Activation: creates the shared services (log, engine host) and registers commands, status bar, panel and notebook.
// The model is not loaded here (unless minilm.autoLoad): activation stays cheap, the first use loads it.
import * as vscode from 'vscode';
import { CommandOutcomes, registerCommands } from './commands';
import { VscodeEngineHost, currentSettings } from './host/engineHost';
import { showError } from './host/errorMessages';
import { ModelStatusBar } from './host/statusBar';
import type { StudioServices } from './host/studioServices';
import { registerNotebook } from './notebook';
import { StudioPanel, registerStudioPanel } from './panel/studioPanel';

/** What `activate` returns: the in-host tests inspect the running extension through it. */
export interface MiniLmExtensionApi {
  readonly services: StudioServices;
  readonly engineHost: VscodeEngineHost;
  readonly statusBar: ModelStatusBar;
  readonly outcomes: CommandOutcomes;
  /** The open Studio panel, if any (the in-host tests post protocol requests through it). */
  readonly studioPanel: () => StudioPanel | undefined;
}

export function activate(context: vscode.ExtensionContext): MiniLmExtensionApi {
  const log = vscode.window.createOutputChannel('MiniLM', { log: true });
  const engineHost = new VscodeEngineHost(context, log);
  const services: StudioServices = {
    context,
    engine: engineHost,
    log,
    resultsFolder: () => engineHost.resultsFolder(),
    checkedResultsFolder: () => engineHost.checkedResultsFolder(),
  };
  const outcomes = new CommandOutcomes();
  const statusBar = new ModelStatusBar(engineHost);
  context.subscriptions.push(
    log,
    engineHost,
    statusBar,
    registerCommands(services, outcomes),
    registerStudioPanel(services),
    registerNotebook(services),
  );
  log.info(`MiniLM Studio ${context.extension.packageJSON.version as string} activated (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: limited mode'})`);
  if (currentSettings().autoLoad) {
    engineHost.ensureLoaded({ silent: true }).catch((error: unknown) => showError(error, log, 'auto-load'));
  }
  return { services, engineHost, statusBar, outcomes, studioPanel: () => StudioPanel.current };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the engine host's dispose ends the worker thread.
}
