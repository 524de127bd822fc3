import * as vscode from 'vscode';
import type { HostEncodedTexts, StudioServices } from '../host/studioServices';
import type { TokenEmbeddings } from '../engine/types';
import type { ExportFormat, LoadedModelsView, ModelPickerView, ModelStatus, StudioDtype, WebviewCommand } from '../shared/studioProtocol';
import { currentSettings } from '../host/engineHost';
import { SETTINGS_QUERY } from '../shared/errorActions';
import { modelPickerView, modelSettingUpdate, type SettingTarget } from '../host/modelPicker';
import { engineOptionsFrom } from '../host/studioSettings';
import type { BackendEncodeOptions, OtherModel, StudioBackend } from './studioRequests';
import type { ModelChoice } from '../engine/modelPool';

/** The engine state as the webview shows it, with the memory of this (the extension host) process. */
export function modelStatusOf(services: StudioServices): ModelStatus {
  const state = services.engine.state;
  const status: ModelStatus = {
    state: state.kind,
    dtype: services.engine.dtype,
    allowDownload: currentSettings().allowDownload,
    memoryRss: process.memoryUsage().rss,
  };
  if (state.kind === 'downloading') status.download = { file: state.file, received: state.received, total: state.total };
  if (state.kind === 'ready') status.info = { ...state.info };
  if (state.kind === 'error') status.error = { code: state.code, message: state.message };
  const backend = services.engine.backend();
  if (backend) status.backend = { api: backend.api, host: backend.host, ...(backend.model ? { model: backend.model } : {}) };
  return status;
}

/** A cancellation token that fires with the signal (the engine host speaks tokens, the protocol signals). */
function tokenFor(signal: AbortSignal): { token: vscode.CancellationToken; dispose(): void } {
  const source = new vscode.CancellationTokenSource();
  const cancel = () => source.cancel();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return {
    token: source.token,
    dispose: () => {
      signal.removeEventListener('abort', cancel);
      source.dispose();
    },
  };
}

async function withToken<T>(signal: AbortSignal, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const t = tokenFor(signal);
  try {
    return await run(t.token);
  } finally {
    t.dispose();
  }
}

/**
 * The engine options a `minilm.model` value would give, as a model choice for the pool: read exactly as the setting
 * is ("~", relative folders, catalogue ids, hub names), so that "Compare with" and the Model tab agree on a name.
 */
function modelChoiceOf(services: StudioServices, model: string): ModelChoice {
  const options = engineOptionsFrom({ ...currentSettings(), model: model.trim() }, services.engine.hostPaths());
  const hub = options.modelNamed ? { repository: options.hub?.repository, revision: options.hub?.revision } : undefined;
  return { modelDir: options.modelDir, hub, modelNamed: options.modelNamed, dtype: options.dtype };
}

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  json: { JSON: ['json'] },
  csv: { CSV: ['csv'] },
  npy: { 'NumPy array': ['npy'] },
};

const CONFIGURATION_TARGETS: Record<SettingTarget, vscode.ConfigurationTarget> = {
  global: vscode.ConfigurationTarget.Global,
  workspace: vscode.ConfigurationTarget.Workspace,
  workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder,
};

export class VscodeStudioBackend implements StudioBackend {
  constructor(private readonly services: StudioServices) {}

  status(): ModelStatus {
    return modelStatusOf(this.services);
  }

  async load(signal: AbortSignal): Promise<void> {
    await withToken(signal, (token) => this.services.engine.ensureReady({ token, silent: true }));
  }

  unload(): Promise<void> {
    return this.services.engine.unload();
  }

  async setDtype(dtype: StudioDtype): Promise<void> {
    const config = vscode.workspace.getConfiguration('minilm');
    // Write where the effective value comes from, so a workspace value does not silently win over the change.
    const inspected = config.inspect<string>('dtype');
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update('dtype', dtype, target);
    // The engine host applies settings from its own change listener; wait for it (when it offers a way) so that
    // the status answered next already shows the new dtype.
    await (this.services.engine as { settled?: () => Promise<void> }).settled?.();
  }

  modelPicker(): ModelPickerView {
    return modelPickerView(currentSettings(), this.services.engine.hostPaths());
  }

  loadedModels(): LoadedModelsView {
    return this.services.engine.loadedModels();
  }

  unloadPooled(key: string): Promise<void> {
    return this.services.engine.unloadPooled(key);
  }

  checkModel(value: string): void {
    // The same reading the engine host gives the setting ("~", relative folders, catalogue ids, hub names).
    engineOptionsFrom({ ...currentSettings(), model: value.trim() }, this.services.engine.hostPaths());
  }

  async setModel(value: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('minilm');
    const update = modelSettingUpdate(config.inspect<string>('model'), vscode.workspace.isTrusted, value.trim());
    await config.update('model', update.value, CONFIGURATION_TARGETS[update.target]);
    this.services.log.info(`minilm.model set to ${JSON.stringify(value.trim())} (${update.target} settings) from the Studio's model picker`);
    await this.services.engine.settled();
  }

  encodeWithTokens(texts: string[], options: BackendEncodeOptions): Promise<HostEncodedTexts> {
    return withToken(options.signal, (token) => this.services.engine.encodeWithTokens(texts, { token, onProgress: options.onProgress }));
  }

  withModel<T>(model: string, signal: AbortSignal, work: (other: OtherModel) => Promise<T>): Promise<T> {
    const choice = modelChoiceOf(this.services, model);
    return withToken(signal, (token) => this.services.engine.withModel(choice, (engine) => work(engine), { token }));
  }

  tokenEmbeddings(text: string, options: { signal: AbortSignal }): Promise<TokenEmbeddings> {
    return withToken(options.signal, (token) => this.services.engine.tokenEmbeddings(text, { token }));
  }

  async copyText(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async chooseSaveFile(suggestedName: string, format: ExportFormat): Promise<string | null> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
      filters: FILTERS[format],
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!uri) return null;
    if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('Only local files can be written: {0}', uri.toString()));
    return uri.fsPath;
  }

  async openTextFile(): Promise<{ file: string; text: string } | null> {
    const [uri] =
      (await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { [vscode.l10n.t('Text')]: ['txt', 'md', 'csv', 'tsv', 'jsonl'], '*': ['*'] },
        openLabel: vscode.l10n.t('Load Candidates'),
      })) ?? [];
    if (!uri) return null;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { file: uri.fsPath, text: new TextDecoder('utf-8').decode(bytes) };
  }

  async resultsFolder(): Promise<string | undefined> {
    const uri = await this.services.checkedResultsFolder();
    return uri?.scheme === 'file' ? uri.fsPath : undefined;
  }

  async openInEditor(file: string): Promise<void> {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  async runCommand(command: WebviewCommand): Promise<void> {
    // Settings open on this extension's own, as the error notifications' Open Settings does.
    if (command === 'workbench.action.openSettings') await vscode.commands.executeCommand(command, SETTINGS_QUERY);
    else await vscode.commands.executeCommand(command);
  }
}
