// Registers every `minilm.*` command. Each handler returns its outcome (useful to tests and scripts); failures are
// shown with the actions that fix them and resolve to undefined, so a failing command never throws at the caller.
import * as vscode from 'vscode';
import type { StudioServices } from '../host/studioServices';
import { showError } from '../host/errorMessages';
import { StudioPanel, type StudioShowRequest } from '../panel/studioPanel';
import { CommandOutcomes } from './commandOutcomes';
import { setBackendApiKey, type SetBackendApiKeyArgs } from './backendApiKey';
import { compareSelection, type CompareSelectionArgs } from './compareSelection';
import { encodeSelection, type EncodeSelectionArgs } from './encodeSelection';
import { findSimilar, type FindSimilarArgs } from './findSimilar';
import { chooseModelFolder, downloadModel, loadModel, newNotebook, type ChooseModelFolderArgs } from './modelCommands';
import { openSampleNotebook } from './openSampleNotebook';
import { SET_NOTEBOOK_MODEL_COMMAND, setNotebookModel, type SetNotebookModelArgs } from '../notebook/setNotebookModel';
import { runExamples, type RunExamplesArgs } from './runExamples';

/** Arguments from a menu (a URI) or key binding are not ours: only plain objects are taken as options. */
function options<T extends object>(arg: unknown): T {
  return arg !== null && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as T) : ({} as T);
}

export function registerCommands(services: StudioServices, outcomes: CommandOutcomes): vscode.Disposable {
  const register = (id: string, run: (arg: unknown) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      try {
        return await run(arg);
      } catch (error) {
        showError(error, services.log, id);
        return undefined;
      }
    });
  return vscode.Disposable.from(
    register('minilm.openStudio', (arg) => {
      StudioPanel.show(services, options<StudioShowRequest>(arg));
    }),
    register('minilm.loadModel', () => loadModel(services)),
    register('minilm.unloadModel', () => services.engine.unload()),
    register('minilm.compareSelection', (arg) => compareSelection(services, outcomes, options<CompareSelectionArgs>(arg))),
    register('minilm.encodeSelection', (arg) => encodeSelection(services, outcomes, options<EncodeSelectionArgs>(arg))),
    register('minilm.findSimilar', (arg) => findSimilar(services, outcomes, options<FindSimilarArgs>(arg))),
    register('minilm.runExamples', (arg) => runExamples(services, outcomes, options<RunExamplesArgs>(arg))),
    register('minilm.downloadModel', () => downloadModel(services, outcomes)),
    register('minilm.chooseModelFolder', (arg) => chooseModelFolder(services, outcomes, options<ChooseModelFolderArgs>(arg))),
    register('minilm.newNotebook', () => newNotebook()),
    register('minilm.openSampleNotebook', () => openSampleNotebook(services.context)),
    register(SET_NOTEBOOK_MODEL_COMMAND, (arg) => setNotebookModel(services, options<SetNotebookModelArgs>(arg))),
    register('minilm.setBackendApiKey', (arg) => setBackendApiKey(services, outcomes, options<SetBackendApiKeyArgs>(arg))),
    register('minilm.showLog', () => services.log.show(true)),
  );
}

export { CommandOutcomes };
