// MiniLM: Set Notebook Model: writes the notebook's metadata "model" (undoable, saved with the file) from a quick pick
// of the catalogue, the hub models in the cache and "Other…"; each cell shows the model it runs in its status bar.
import path from 'node:path';
import * as vscode from 'vscode';
import { cachedHubModels, MODEL_CATALOGUE } from '../engine';
import { currentSettings } from '../host/engineHost';
import { modelPickerView } from '../host/modelPicker';
import type { StudioServices } from '../host/studioServices';
import { cellModelOrigin, modelChoiceFor, NOTEBOOK_MODEL_KEY, notebookModelOf } from './cellModel';
import { notebookModelScope } from './notebookModelScope';
import { NOTEBOOK_TYPE } from './notebookController';

export const SET_NOTEBOOK_MODEL_COMMAND = 'minilm.setNotebookModel';

export interface SetNotebookModelArgs {
  /** The spec to write instead of asking (tests, keybindings); null: the default model. Validated as typed in "Other…". */
  readonly model?: string | null;
}

type Pick = vscode.QuickPickItem & { spec?: string | null; other?: true };

/** The model the notebook falls back to: `minilm.model`, else all-MiniLM-L6-v2 (or `minilm.modelFolder`). */
function defaultModelName(): string {
  const settings = currentSettings();
  return settings.model || (settings.modelFolder ? path.basename(settings.modelFolder) : MODEL_CATALOGUE[0]!.id);
}

/**
 * Writes `model` into the notebook's metadata through a workspace edit, so that undo and save see it. null: the
 * default model (VS Code merges a metadata edit into the old metadata, so the key is set to null, which the
 * serializer leaves out of the file, rather than removed).
 */
async function writeNotebookModel(notebook: vscode.NotebookDocument, model: string | null): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...notebook.metadata, [NOTEBOOK_MODEL_KEY]: model })]);
  return vscode.workspace.applyEdit(edit);
}

/** The first line of why `spec` cannot be this notebook's model, or undefined when it can. */
function specProblem(spec: string, notebook: vscode.NotebookDocument, services: StudioServices): string | undefined {
  try {
    modelChoiceFor(spec, notebookModelScope(notebook, services.engine.dtype));
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
}

export async function setNotebookModel(services: StudioServices, args: SetNotebookModelArgs = {}): Promise<string | null | undefined> {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a MiniLM notebook (.minilm) to choose the model it runs.'));
    return undefined;
  }
  let spec: string | null | undefined = args.model === undefined ? await askForModel(notebook, services) : args.model === null ? null : args.model.trim();
  if (spec === undefined) return undefined;
  if (spec !== null) {
    const problem = specProblem(spec, notebook, services);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined;
    }
  }
  if (spec === null || spec === '') spec = null;
  await writeNotebookModel(notebook, spec);
  services.log.info(`notebook ${notebook.uri.toString()}: model ${spec === null ? 'reset to the default' : `set to ${spec}`}`);
  return spec;
}

async function askForModel(notebook: vscode.NotebookDocument, services: StudioServices): Promise<string | null | undefined> {
  const current = notebookModelOf(notebook.metadata);
  const view = modelPickerView(currentSettings(), services.engine.hostPaths());
  const mark = (spec: string) => (current !== undefined && current.toLowerCase() === spec.toLowerCase() ? '$(check) ' : '');
  const items: Pick[] = [
    {
      label: `${current === undefined ? '$(check) ' : ''}${vscode.l10n.t('Use the default model')}`,
      description: defaultModelName(),
      detail: vscode.l10n.t('The model of the minilm.model setting, as the Studio uses it.'),
      spec: null,
    },
    { label: vscode.l10n.t('Catalogue'), kind: vscode.QuickPickItemKind.Separator },
    ...view.entries.map((entry): Pick => ({
      label: `${mark(entry.id)}${entry.id}`,
      description: `${entry.languageSummary} · ${entry.dimension}`,
      detail: entry.local
        ? vscode.l10n.t('On this machine: {0}', entry.local.dir)
        : vscode.l10n.t('Not downloaded: the first run downloads it when minilm.allowDownload is on.'),
      spec: entry.id,
    })),
  ];
  const cached = cachedHubModels(path.join(services.engine.hostPaths().globalStorage, 'models'));
  if (cached.length > 0) {
    items.push({ label: vscode.l10n.t('Downloaded from the hub'), kind: vscode.QuickPickItemKind.Separator });
    for (const model of cached) {
      const spec = `${model.repository}@${model.revision}`;
      items.push({ label: `${mark(spec)}${spec}`, description: model.dtypes.join(', '), spec });
    }
  }
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(edit) ${vscode.l10n.t('Other…')}`, detail: vscode.l10n.t('owner/name[@revision] on the hub, or a model folder in the workspace'), other: true },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('MiniLM: model of this notebook'),
    placeHolder: vscode.l10n.t('Cells without a "# model:" line run on this model'),
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.other) return picked.spec;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('MiniLM: model of this notebook'),
    prompt: vscode.l10n.t('owner/name[@revision] on the hub, or a model folder in the workspace'),
    value: current ?? '',
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Type a model, or press Escape.') : specProblem(value.trim(), notebook, services)),
  });
  return typed === undefined ? undefined : typed.trim();
}

/** Each MiniLM cell's status bar names the model it runs and where that comes from; a click sets the notebook's. */
export function registerCellModelStatus(): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems(cell) {
      if (cell.kind !== vscode.NotebookCellKind.Code) return [];
      let origin: ReturnType<typeof cellModelOrigin>;
      try {
        origin = cellModelOrigin(cell.document.getText(), cell.notebook.metadata);
      } catch {
        // An empty "# model:" line: the cell's diagnostics say so, and no model runs it.
        return [];
      }
      const name = origin?.spec ?? defaultModelName();
      const from =
        origin?.from === 'cell'
          ? vscode.l10n.t('this cell\'s "# model:" line')
          : origin?.from === 'notebook'
            ? vscode.l10n.t('the notebook')
            : vscode.l10n.t('the minilm.model setting');
      const item = new vscode.NotebookCellStatusBarItem(`$(library) ${name}`, vscode.NotebookCellStatusBarAlignment.Right);
      item.tooltip = vscode.l10n.t("Runs on {0} (from {1}). Click to choose the notebook's model.", name, from);
      item.command = SET_NOTEBOOK_MODEL_COMMAND;
      return [item];
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider),
    vscode.workspace.onDidChangeNotebookDocument((event) => {
      if (event.notebook.notebookType === NOTEBOOK_TYPE && event.metadata) changed.fire();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('minilm.model') || event.affectsConfiguration('minilm.modelFolder')) changed.fire();
    }),
  );
}
