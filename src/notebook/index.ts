// Registers the .minilm notebook: serializer, MiniLM kernel, renderer messaging, cell-language completions.
import * as vscode from 'vscode';
import type { StudioServices } from '../host/studioServices';
import type { WorkspaceIndexService } from '../host/workspaceSearch/workspaceIndexService';
import type { WorkspaceSearchRows } from './directiveRunner';
import { registerCellLanguage } from './cellEditorFeatures';
import { MiniLmController, NOTEBOOK_TYPE, translate } from './notebookController';
import { MiniLmNotebookSerializer } from './notebookSerializer';
import { registerRendererMessaging } from './rendererMessaging';
import { registerCellModelStatus } from './setNotebookModel';

export function registerNotebook(services: StudioServices, workspaceIndex?: WorkspaceIndexService): vscode.Disposable {
  const serializer = new MiniLmNotebookSerializer({
    saveOutputs: () => vscode.workspace.getConfiguration('minilm.notebook').get<boolean>('saveOutputs', true),
    translate,
  });
  const controller = new MiniLmController(services, workspaceIndex && ((query, top, signal) => searchWorkspaceIndex(workspaceIndex, query, top, signal)));
  return vscode.Disposable.from(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: false }),
    controller,
    registerRendererMessaging(services.log),
    registerCellLanguage((notebook) => controller.corpusNames(notebook)),
    registerCellModelStatus(),
  );
}

/** `search <query>` with `@workspace`: the index is built first when there is none (as the search command does). */
async function searchWorkspaceIndex(index: WorkspaceIndexService, query: string, top: number, signal: AbortSignal): Promise<WorkspaceSearchRows> {
  const outcome = await index.ensureIndex();
  if (outcome?.kind === 'refused' || outcome?.kind === 'failed') throw new Error(outcome.message);
  if (outcome?.kind === 'cancelled') signal.throwIfAborted();
  const multiRoot = index.folders().length > 1;
  const hits = await index.search(query, top, signal);
  return {
    chunks: index.chunkCount,
    hits: hits.map((hit) => ({
      path: multiRoot ? `${hit.folder}/${hit.path}` : hit.path,
      startLine: hit.startLine,
      endLine: hit.endLine,
      text: hit.text,
      score: hit.score,
    })),
  };
}
