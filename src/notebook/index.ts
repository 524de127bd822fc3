// Registers the .minilm notebook: serializer, MiniLM kernel, renderer messaging, cell-language completions.
import * as vscode from 'vscode';
import type { StudioServices } from '../host/studioServices';
import { registerCellLanguage } from './cellCompletions';
import { MiniLmController, NOTEBOOK_TYPE, translate } from './notebookController';
import { MiniLmNotebookSerializer } from './notebookSerializer';
import { registerRendererMessaging } from './rendererMessaging';

export function registerNotebook(services: StudioServices): vscode.Disposable {
  const serializer = new MiniLmNotebookSerializer({
    saveOutputs: () => vscode.workspace.getConfiguration('minilm.notebook').get<boolean>('saveOutputs', true),
    translate,
  });
  const controller = new MiniLmController(services);
  return vscode.Disposable.from(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: false }),
    controller,
    registerRendererMessaging(services.log),
    registerCellLanguage((notebook) => controller.corpusNames(notebook)),
  );
}
