// The `MiniLM` kernel: runs `minilm` cells in order with the extension host's shared model. Per notebook it keeps
// the execution counter, the named corpora (kernel state) and a queue; a failure ends the queue, and interrupt
// cancels the running cell (the engine's AbortSignal, through the EngineHost cancellation token) and drops the rest.
import * as vscode from 'vscode';
import type { StudioServices } from '../host/studioServices';
import type { Engine } from '../engine/engine';
import type { ModelChoice } from '../engine/modelPool';
import type { ModelInfo, TokenEmbeddings } from '../engine/types';
import type { SimilarityFunction } from '../engine/modelConfig';
import { isReallyWithin } from '../host/containedPath';
import { cellModelPragma, modelChoiceFor, notebookModelOf, NotebookModelError } from './cellModel';
import { notebookModelScope } from './notebookModelScope';
import { readCellFile, type CellFileScope } from './cellFiles';
import { CellSyntaxError, parseCell } from './cellLanguage';
import { renderMessage } from './cellMessages';
import { DirectiveError, runDirective, type DirectiveContext, type StoredCorpus } from './directiveRunner';
import { outputItemsOf, RESULT_OUTPUT_METADATA } from './resultOutputs';
import type { Translate } from '../shared/translate';

export const CONTROLLER_ID = 'minilm-kernel';
export const NOTEBOOK_TYPE = 'minilm-notebook';

interface KernelState {
  executionOrder: number;
  /** Corpora encoded by the active model (`minilm.model`). */
  readonly corpora: Map<string, StoredCorpus>;
  /** Corpora encoded by other models, per model: a corpus is searched only with the vectors of the model asking. */
  readonly corporaByModel: Map<string, Map<string, StoredCorpus>>;
  /** Batches queued behind the running one. */
  chain: Promise<void>;
  /** Bumped by interrupt: batches queued under an older generation do not run. */
  generation: number;
  running?: AbortController;
}

export const translate: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

export class MiniLmController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly states = new Map<string, KernelState>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: StudioServices,
    private readonly searchWorkspace?: DirectiveContext['searchWorkspace'],
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'MiniLM');
    this.controller.supportedLanguages = ['minilm'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = vscode.l10n.t('all-MiniLM-L6-v2 sentence embeddings, run locally');
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.disposables.push(
      this.controller,
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.states.delete(notebook.uri.toString())),
    );
  }

  /** Corpus names the session of a notebook holds (for completions). */
  corpusNames(notebook: vscode.NotebookDocument): string[] {
    return [...(this.states.get(notebook.uri.toString())?.corpora.keys() ?? [])];
  }

  dispose(): void {
    for (const state of this.states.values()) state.running?.abort();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private stateOf(notebook: vscode.NotebookDocument): KernelState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      state = { executionOrder: 0, corpora: new Map(), corporaByModel: new Map(), chain: Promise.resolve(), generation: 0 };
      this.states.set(key, state);
    }
    return state;
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const state = this.stateOf(notebook);
    const generation = state.generation;
    // VS Code's handler promise must last until the batch ends: cells it passed that were never started are then
    // cleared from the queue in the UI, which is how "stop at the first failure" shows.
    const batch = state.chain.then(() => this.runBatch(cells, notebook, state, generation));
    state.chain = batch.catch(() => undefined);
    return batch;
  }

  private async runBatch(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, state: KernelState, generation: number) {
    for (const cell of cells) {
      if (state.generation !== generation) return;
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const ok = await this.runCell(cell, notebook, state);
      if (!ok) return;
    }
  }

  private interrupt(notebook: vscode.NotebookDocument): void {
    const state = this.states.get(notebook.uri.toString());
    if (!state) return;
    state.generation++;
    state.running?.abort();
  }

  /** The active model's facts while it is loaded (a remote backend leaves it unloaded). */
  private activeInfo(): ModelInfo | undefined {
    const state = this.services.engine.state;
    return state.kind === 'ready' ? state.info : undefined;
  }

  /** Runs one cell; resolves false when it failed or was cancelled (the batch then stops). */
  private async runCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument, state: KernelState): Promise<boolean> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++state.executionOrder;
    const abort = new AbortController();
    state.running = abort;
    const tokenListener = execution.token.onCancellationRequested(() => abort.abort());
    execution.start(Date.now());
    await execution.clearOutput();
    try {
      const source = cell.document.getText();
      const directive = parseCell(source);
      const model = await this.modelOf(source, notebook);
      // Which model produced the vectors, for the output's title: the engine that ran last tells.
      let producedBy: string | undefined;
      let similarityFunction: SimilarityFunction | undefined;
      const note = (engine: Pick<Engine, 'info'>) => {
        if (engine.info) producedBy = `${engine.info.name} ${engine.info.dtype}`;
        similarityFunction = engine.info?.similarityFunction;
      };
      const onModel = <T>(signal: AbortSignal, work: (engine: Engine, signal: AbortSignal | undefined) => Promise<T>) =>
        this.withToken(signal, (token) =>
          this.services.engine.withModel(
            model!.choice,
            async (engine, s) => {
              const result = await work(engine, s);
              note(engine);
              return result;
            },
            { token },
          ),
        );
      let corpora = state.corpora;
      if (model) {
        const key = JSON.stringify(model.choice);
        corpora = state.corporaByModel.get(key) ?? new Map();
        state.corporaByModel.set(key, corpora);
      }
      const result = await runDirective(directive, {
        encode: model ? (texts, signal) => onModel(signal, (engine, s) => engine.encode(texts, { signal: s })) : (texts, signal) => this.encode(texts, signal),
        tokenEmbeddings: model
          ? (text, signal) => onModel(signal, (engine, s) => engine.tokenEmbeddings(text, { signal: s }))
          : (text, signal) => this.tokenEmbeddings(text, signal),
        readTextFile: async (path) => readCellFile(cellFileScope(notebook), path, translate),
        corpora,
        similarityFunction: () => (model ? similarityFunction : this.activeInfo()?.similarityFunction),
        searchWorkspace: model ? undefined : this.searchWorkspace,
        signal: abort.signal,
      });
      const active = model ? undefined : this.activeInfo();
      if (active) producedBy = `${active.name} ${active.dtype}`;
      const items = outputItemsOf(result, translate, producedBy).map((i) => vscode.NotebookCellOutputItem.text(i.text, i.mime));
      await execution.replaceOutput(new vscode.NotebookCellOutput(items, { ...RESULT_OUTPUT_METADATA }));
      execution.end(true, Date.now());
      return true;
    } catch (error) {
      await execution.replaceOutput(new vscode.NotebookCellOutput([errorItem(error, abort.signal.aborted)]));
      execution.end(false, Date.now());
      if (!(error instanceof CellSyntaxError || error instanceof DirectiveError || abort.signal.aborted)) {
        this.services.log.error(`notebook cell ${cell.index + 1} of ${notebook.uri.toString()}: ${describe(error)}`);
      }
      return false;
    } finally {
      tokenListener.dispose();
      if (state.running === abort) state.running = undefined;
    }
  }

  /**
   * The model a cell names (`# model: …`), else the notebook's (metadata "model"); undefined: the active model.
   * A folder must really lie inside the notebook's workspace folder, symbolic links followed.
   */
  private async modelOf(source: string, notebook: vscode.NotebookDocument): Promise<{ choice: ModelChoice; label: string } | undefined> {
    const pragma = cellModelPragma(source);
    const spec = pragma?.spec ?? notebookModelOf(notebook.metadata);
    if (!spec) return undefined;
    const line = pragma?.line ?? 1;
    const scope = notebookModelScope(notebook, this.services.engine.dtype);
    const workspaceFolder = scope.workspaceFolder;
    try {
      const model = modelChoiceFor(spec, scope);
      if (model.choice.modelDir && !(await isReallyWithin(workspaceFolder!, model.choice.modelDir))) {
        throw new NotebookModelError('modelFolderLink', model.choice.modelDir);
      }
      return model;
    } catch (error) {
      if (error instanceof NotebookModelError) throw new DirectiveError(line, error.template, ...error.args);
      throw error;
    }
  }

  private encode(texts: string[], signal: AbortSignal): Promise<Float32Array[]> {
    return this.withToken(signal, async (token) => {
      await this.services.engine.ensureReady({ token });
      return this.services.engine.encode(texts, { token });
    });
  }

  private tokenEmbeddings(text: string, signal: AbortSignal): Promise<TokenEmbeddings> {
    return this.withToken(signal, (token) => this.services.engine.tokenEmbeddings(text, { token }));
  }

  private async withToken<T>(signal: AbortSignal, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    const source = new vscode.CancellationTokenSource();
    const onAbort = () => source.cancel();
    signal.addEventListener('abort', onAbort);
    try {
      if (signal.aborted) source.cancel();
      return await run(source.token);
    } finally {
      signal.removeEventListener('abort', onAbort);
      source.dispose();
    }
  }
}

function errorItem(error: unknown, cancelled: boolean): vscode.NotebookCellOutputItem {
  if (cancelled) {
    return vscode.NotebookCellOutputItem.error({
      name: vscode.l10n.t('Interrupted'),
      message: vscode.l10n.t('The cell was interrupted before it finished.'),
      stack: '',
    });
  }
  if (error instanceof CellSyntaxError) {
    // Every problem of the cell, one per line, as the editor's diagnostics show them.
    const message = error.problems.map((p) => translate('Line {0}: {1}', p.line, renderMessage(p.message, p.args, translate))).join('\n');
    return vscode.NotebookCellOutputItem.error({ name: vscode.l10n.t('Syntax error'), message, stack: '' });
  }
  if (error instanceof DirectiveError) {
    return vscode.NotebookCellOutputItem.error({ name: vscode.l10n.t('Cannot run this cell'), message: error.translated(translate), stack: '' });
  }
  const name = error instanceof Error ? error.name : 'Error';
  return vscode.NotebookCellOutputItem.error({ name, message: describe(error), stack: '' });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Where `@file` paths of a notebook are looked up, and the folder they may not leave: a notebook in a workspace folder
 * reads inside that folder (relative to it, then to the notebook's own folder); a notebook outside every workspace
 * folder reads inside its own folder; an untitled notebook reads inside the first workspace folder.
 */
export function cellFileScope(notebook: vscode.NotebookDocument): CellFileScope {
  const uri = notebook.uri;
  if (uri.scheme === 'untitled') {
    const first = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (!first) throw new Error(vscode.l10n.t('an untitled notebook reads @file paths in the workspace folder: open a folder, or save the notebook first'));
    return { root: first.uri.fsPath, folders: [first.uri.fsPath] };
  }
  if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('@file reads files on this computer only; this notebook is not a local file'));
  const beside = vscode.Uri.joinPath(uri, '..').fsPath;
  const workspace = vscode.workspace.getWorkspaceFolder(uri)?.uri;
  if (workspace?.scheme === 'file') return { root: workspace.fsPath, folders: [workspace.fsPath, beside] };
  return { root: beside, folders: [beside] };
}
