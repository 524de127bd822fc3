import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { MODEL_NAME, missingFiles, type ModelInfo } from '../engine';
import type { StudioServices } from '../host/studioServices';
import { t } from '../host/l10n';
import type { CommandOutcomes } from './commandOutcomes';

/** MiniLM: Load Model. With a remote backend there is none to load: the backend is asked what it serves instead. */
export async function loadModel(services: StudioServices): Promise<ModelInfo | undefined> {
  const backend = services.engine.backend();
  if (backend) {
    const facts = await services.engine.ensureReady();
    void vscode.window.showInformationMessage(
      t(
        'MiniLM: texts are embedded by the {0} backend at {1} ({2}); no local model is loaded. Set minilm.backend to "local" to use one.',
        backend.api,
        backend.host,
        facts.model,
      ),
    );
    return undefined;
  }
  const info = await services.engine.ensureLoaded();
  vscode.window.setStatusBarMessage(t('$(check) MiniLM: {0} {1} loaded from {2} in {3} ms', info.name, info.dtype, info.source, Math.round(info.loadMs)), 5000);
  return info;
}

export async function downloadModel(services: StudioServices, outcomes: CommandOutcomes): Promise<ModelInfo> {
  const info = await services.engine.download();
  const message = t('MiniLM: {0} ({1}) is ready, from {2}.', info.name, info.dtype, info.dir);
  outcomes.lastMessage = message;
  void vscode.window.showInformationMessage(message);
  return info;
}

/** The folder itself when it holds the model, or its `all-MiniLM-L6-v2/` subfolder (as the engine accepts both). */
function modelFolderWithin(dir: string, dtype: 'fp32' | 'q8'): { folder?: string; missing: string[] } {
  const nested = path.join(dir, MODEL_NAME);
  if (missingFiles(dir, dtype).length === 0) return { folder: dir, missing: [] };
  if (fs.existsSync(nested) && missingFiles(nested, dtype).length === 0) return { folder: nested, missing: [] };
  return { missing: missingFiles(dir, dtype) };
}

export interface ChooseModelFolderArgs {
  /** Use this folder instead of asking (for tests and scripts). */
  readonly folder?: string;
}

/** MiniLM: Choose Model Folder: picks a folder, checks it holds the model files, and saves it in the user settings. */
export async function chooseModelFolder(services: StudioServices, outcomes: CommandOutcomes, args: ChooseModelFolderArgs = {}): Promise<string | undefined> {
  let dir = args.folder;
  if (!dir) {
    const [uri] =
      (await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        title: t('MiniLM: choose the folder holding all-MiniLM-L6-v2'),
        openLabel: t('Use This Folder'),
      })) ?? [];
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(t('The model folder must be on this machine’s file system: {0}', uri.toString()));
      return undefined;
    }
    dir = uri.fsPath;
  }
  const dtype = services.engine.dtype;
  const { folder, missing } = modelFolderWithin(dir, dtype);
  if (!folder) {
    const message = t('{0} does not hold all-MiniLM-L6-v2 ({1}): missing {2}.', dir, dtype, missing.join(', '));
    outcomes.lastMessage = message;
    const again = t('Choose Another Folder');
    void vscode.window.showErrorMessage(message, again).then((picked) => {
      if (picked === again) void vscode.commands.executeCommand('minilm.chooseModelFolder');
    });
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('minilm');
  await config.update('modelFolder', folder, vscode.ConfigurationTarget.Global);
  services.log.info(`model folder set to ${folder} (user settings)`);
  const inspected = config.inspect<string>('modelFolder');
  const shadowed = vscode.workspace.isTrusted && (inspected?.workspaceFolderValue || inspected?.workspaceValue);
  const message = shadowed
    ? t('Saved {0} as your model folder, but this workspace sets its own (minilm.modelFolder), which wins here.', folder)
    : t('MiniLM will load the model from {0}.', folder);
  outcomes.lastMessage = message;
  const load = t('Load Model');
  void (shadowed ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message, load)).then((picked) => {
    if (picked === load) void vscode.commands.executeCommand('minilm.loadModel');
  });
  return folder;
}

/** MiniLM: New MiniLM Notebook: an untitled notebook with a short explanation and a `compare` cell to run. */
export async function newNotebook(): Promise<vscode.NotebookDocument> {
  const intro = t(
    '# MiniLM notebook\n\nEach code cell starts with a directive (`compare`, `similarity`, `search`, `encode`, …) followed by one text per line. Run a cell to see the result; the model loads on first use.',
  );
  const data = new vscode.NotebookData([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, intro, 'markdown'),
    new vscode.NotebookCellData(
      vscode.NotebookCellKind.Code,
      ['compare', 'A man is eating food.', 'A man is eating a piece of bread.', 'The girl is carrying a baby.', 'A man is riding a horse.'].join('\n'),
      'minilm',
    ),
  ]);
  const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}
