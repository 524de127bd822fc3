// The workspace index of the extension: one index per local workspace folder in the extension's workspace storage,
// built and updated by the engine's indexer (inference in the engine's worker; file reads are async, so the
// extension host never blocks), one run at a time, kept current by a debounced file watcher.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { isCancellation } from '../../engine';
import {
  IndexStore,
  defaultScanThreads,
  excludedByGlobs,
  globMatcher,
  queryIndex,
  updateIndex,
  type IndexProgress,
  type IndexRunResult,
} from '../../engine/workspaceIndex';
import type { ContextKeys } from '../contextKeys';
import type { VscodeEngineHost } from '../engineHost';
import { currentSettings } from '../engineHost';
import { readIndexSettings, type IndexSettings } from './indexSettings';
import { CoalescingRunner, Debouncer } from './runQueue';
import { mergeRankings, type WorkspaceHit } from './searchResultsModel';

/** Quiet time after the last file event before the index is brought up to date. */
const WATCH_DEBOUNCE_MS = 1500;

export interface IndexRunRequest {
  /** Drop the index and embed every file again. */
  readonly rebuild: boolean;
  /** A notification with a cancel button (runs the user asked for); background runs show in the status bar only. */
  readonly visible: boolean;
}

export interface FolderRunSummary {
  readonly folder: string;
  readonly files: number;
  readonly chunks: number;
  readonly embeddedChunks: number;
  readonly changedFiles: number;
  readonly removedFiles: number;
  readonly skippedFiles: number;
  readonly rebuilt: boolean;
}

export type IndexRunOutcome =
  | { readonly kind: 'done'; readonly folders: readonly FolderRunSummary[]; readonly seconds: number }
  /** Not run: untrusted workspace, or no local folder open. `message` is what the user was shown. */
  | { readonly kind: 'refused'; readonly reason: 'untrusted' | 'no-folder'; readonly message: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

/** What the status bar shows about the index. */
export type IndexActivity =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly percent: number | undefined; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export class WorkspaceIndexService implements vscode.Disposable {
  /**
   * A read-only view of each folder's index, for searches and counts. The writer lock is taken only for the length of
   * a run, so the CLI may update the same folder between runs and a reloaded window never meets its own stale lock.
   */
  private readonly stores = new Map<string, IndexStore>();
  private readonly runner = new CoalescingRunner<IndexRunRequest, IndexRunOutcome>(
    (request) => this.run(request),
    (a, b) => ({ rebuild: a.rebuild || b.rebuild, visible: a.visible || b.visible }),
  );
  private readonly watchDebounce = new Debouncer(WATCH_DEBOUNCE_MS, () => void this.backgroundUpdate('files changed'));
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the index's contents or the activity change. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private current: IndexActivity = { kind: 'idle' };
  private running: AbortController | undefined;
  private disposed = false;
  /** Outcome of the last run (for the in-host tests). */
  lastOutcome: IndexRunOutcome | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly engineHost: VscodeEngineHost,
    private readonly log: vscode.LogOutputChannel,
    private readonly contextKeys: ContextKeys,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const onEvent = (uri: vscode.Uri) => this.fileEvent(uri);
    this.disposables.push(
      this.changeEmitter,
      watcher,
      watcher.onDidCreate(onEvent),
      watcher.onDidChange(onEvent),
      watcher.onDidDelete(onEvent),
      { dispose: () => this.watchDebounce.cancel() },
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.catchUp()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // Another model or dtype changes the index's identity: the next run rebuilds; do it now if the index is kept.
        const identity = [
          'minilm.model',
          'minilm.dtype',
          'minilm.modelFolder',
          'minilm.backend',
          'minilm.backendEndpoint',
          'minilm.remoteModel',
          'minilm.index',
        ];
        if (identity.some((section) => event.affectsConfiguration(section))) {
          if (this.hasIndex()) this.watchDebounce.trigger();
        }
      }),
    );
    void this.catchUp();
  }

  /** Chunks in the index, over every folder. */
  get chunkCount(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.chunkCount();
    return total;
  }

  get fileCount(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.files().size;
    return total;
  }

  get bytesOnDisk(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.bytesOnDisk();
    return total;
  }

  get activity(): IndexActivity {
    return this.current;
  }

  /** Whether some folder has a committed index (possibly empty). */
  hasIndex(): boolean {
    return [...this.stores.values()].some((store) => store.identity() !== undefined);
  }

  /** Brings the index up to date (or rebuilds it). A request while a run is going is queued once. */
  update(request: IndexRunRequest): Promise<IndexRunOutcome> {
    return this.runner.request(request);
  }

  /** Cancels the running update, if any. */
  cancel(): void {
    this.running?.abort();
  }

  /** Resolves when no run is going or queued and no watcher update is pending. */
  async idle(): Promise<void> {
    await this.runner.idle();
  }

  /** Whether a watcher-triggered update is waiting for the quiet time to pass (for the in-host tests). */
  get updatePending(): boolean {
    return this.watchDebounce.pending || this.runner.busy;
  }

  /**
   * Before a search: makes sure there is an index to search. Without one it is built (when minilm.index.autoUpdate
   * is on) with a visible notification; returns the refusal or failure, if any, for the caller to show.
   */
  async ensureIndex(): Promise<IndexRunOutcome | undefined> {
    const refusal = this.refusal();
    if (refusal) return refusal;
    await this.openExisting();
    if (this.hasIndex()) return undefined;
    if (!this.settingsFor(this.folders()[0]!).autoUpdate) {
      return { kind: 'failed', message: vscode.l10n.t('There is no workspace index yet: run "MiniLM: Update Workspace Index" to build it.') };
    }
    const outcome = await this.update({ rebuild: false, visible: true });
    return outcome.kind === 'done' ? undefined : outcome;
  }

  /** The `topK` chunks closest to `query` over every folder's index, best first. */
  async search(query: string, topK: number, signal?: AbortSignal): Promise<WorkspaceHit[]> {
    const engine = this.engineHost.engineForIndex();
    // Queries go to the backend that embeds (an index built by another one is refused with one message).
    const embedder = (await this.engineHost.remoteEmbedder()) ?? engine;
    const rankings: WorkspaceHit[][] = [];
    for (const folder of this.folders()) {
      const store = this.stores.get(folder.uri.toString());
      if (!store || store.identity() === undefined) continue;
      const [hits] = await queryIndex(embedder, store, [query], { topK, signal });
      rankings.push(
        (hits ?? []).map((hit) => ({
          folder: folder.name,
          folderPath: folder.uri.fsPath,
          path: hit.path,
          startLine: hit.startLine,
          endLine: hit.endLine,
          text: hit.text,
          score: hit.score,
        })),
      );
    }
    return mergeRankings(rankings, topK);
  }

  /** The index folder of a workspace folder, under the extension's workspace storage. */
  indexDir(folder: vscode.WorkspaceFolder): string | undefined {
    const storage = this.context.storageUri;
    if (!storage || storage.scheme !== 'file') return undefined;
    const id = createHash('sha256').update(folder.uri.toString()).digest('hex').slice(0, 16);
    return path.join(storage.fsPath, 'workspace-index', id);
  }

  /** Local workspace folders (the indexer reads files with node:fs). */
  folders(): vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  }

  settingsFor(folder: vscode.WorkspaceFolder | undefined): IndexSettings {
    return readIndexSettings((section, key) => vscode.workspace.getConfiguration(section, folder?.uri).get(key));
  }

  private refusal(): Extract<IndexRunOutcome, { kind: 'refused' }> | undefined {
    if (!vscode.workspace.isTrusted) {
      return {
        kind: 'refused',
        reason: 'untrusted',
        message: vscode.l10n.t(
          'Workspace search reads every file of this workspace, so it needs a trusted workspace. Trust this folder to index it (Manage Workspace Trust).',
        ),
      };
    }
    if (this.folders().length === 0 || !this.context.storageUri) {
      return { kind: 'refused', reason: 'no-folder', message: vscode.l10n.t('Workspace search needs a folder on this computer: open a folder first.') };
    }
    return undefined;
  }

  /** At start-up (and when trust is granted): open the indexes kept from earlier sessions and catch up with changes. */
  private async catchUp(): Promise<void> {
    if (this.refusal()) return;
    try {
      await this.openExisting();
    } catch (error) {
      this.log.warn(`workspace index: ${describe(error)}`);
      return;
    }
    this.changeEmitter.fire();
    this.contextKeys.set('minilm.indexReady', this.chunkCount > 0);
    if (this.hasIndex() && this.settingsFor(this.folders()[0]).autoUpdate) void this.backgroundUpdate('start-up');
  }

  /** Opens read-only views of the indexes built earlier; creates nothing. */
  private async openExisting(): Promise<void> {
    for (const folder of this.folders()) {
      const dir = this.indexDir(folder);
      if (!dir || this.stores.has(folder.uri.toString()) || !fs.existsSync(dir)) continue;
      await this.reopenReader(folder);
    }
  }

  /** Replaces a folder's read-only view by one of the index as it is on disk now (after a run committed). */
  private async reopenReader(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const reader = await IndexStore.open(this.indexDir(folder)!, { readOnly: true, scanThreads: defaultScanThreads() });
    const previous = this.stores.get(key);
    this.stores.set(key, reader);
    await previous?.close();
  }

  private fileEvent(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || /[\\/]\.git([\\/]|$)/.test(uri.fsPath)) return;
    const storage = this.context.storageUri?.fsPath;
    if (storage && uri.fsPath.startsWith(storage)) return;
    if (!vscode.workspace.isTrusted || !this.hasIndex()) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const settings = this.settingsFor(folder);
    if (!settings.autoUpdate) return;
    // A change the walker would leave out (node_modules, build output, files.exclude) starts no update.
    if (folder && this.isExcluded(settings.exclude, path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/'))) return;
    this.watchDebounce.trigger();
  }

  /** The exclude globs compiled once per distinct list (settings are read afresh for every event). */
  private excludeMatchers = new Map<string, ReturnType<typeof globMatcher>>();

  private isExcluded(exclude: readonly string[], relativePath: string): boolean {
    const key = JSON.stringify(exclude);
    let matcher = this.excludeMatchers.get(key);
    if (!matcher) {
      try {
        matcher = globMatcher(exclude, 'minilm.index.exclude glob');
      } catch {
        // An invalid glob is reported by the update itself; meanwhile every change counts.
        matcher = () => false;
      }
      if (this.excludeMatchers.size > 16) this.excludeMatchers.clear();
      this.excludeMatchers.set(key, matcher);
    }
    return excludedByGlobs(matcher, relativePath);
  }

  private async backgroundUpdate(reason: string): Promise<void> {
    this.log.info(`workspace index: update (${reason})`);
    await this.update({ rebuild: false, visible: false });
  }

  private setActivity(activity: IndexActivity): void {
    const wasRunning = this.current.kind === 'running';
    this.current = activity;
    if (wasRunning !== (activity.kind === 'running') && !this.disposed) this.contextKeys.set('minilm.indexing', activity.kind === 'running');
    this.changeEmitter.fire();
  }

  private async run(request: IndexRunRequest): Promise<IndexRunOutcome> {
    const refusal = this.refusal();
    if (refusal) {
      if (request.visible) void vscode.window.showWarningMessage(vscode.l10n.t('MiniLM: {0}', refusal.message));
      this.log.info(`workspace index: ${refusal.message}`);
      return (this.lastOutcome = refusal);
    }
    const started = performance.now();
    const controller = new AbortController();
    this.running = controller;
    this.setActivity({ kind: 'running', percent: undefined, message: vscode.l10n.t('Indexing the workspace…') });
    let outcome: IndexRunOutcome;
    try {
      await this.engineHost.ensureReady({ silent: !request.visible });
      const folders = await vscode.window.withProgress(
        {
          location: request.visible ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title: vscode.l10n.t('MiniLM: indexing the workspace'),
          cancellable: request.visible,
        },
        async (progress, token) => {
          const listener = token.onCancellationRequested(() => controller.abort());
          try {
            return await this.indexFolders(request, controller.signal, progress);
          } finally {
            listener.dispose();
          }
        },
      );
      outcome = { kind: 'done', folders, seconds: (performance.now() - started) / 1000 };
      this.log.info(`workspace index: ${folders.map(describeSummary).join('; ')} in ${outcome.seconds.toFixed(1)} s`);
      this.setActivity({ kind: 'idle' });
    } catch (error) {
      if (isCancellation(error) || controller.signal.aborted) {
        outcome = { kind: 'cancelled' };
        this.log.info('workspace index: cancelled (the previous index is kept)');
        this.setActivity({ kind: 'idle' });
      } else {
        outcome = { kind: 'failed', message: describe(error) };
        this.log.error(`workspace index: ${outcome.message}`);
        this.setActivity({ kind: 'failed', message: outcome.message });
        if (request.visible || isIndexFull(error)) this.showFailure(error);
      }
    } finally {
      if (this.running === controller) this.running = undefined;
    }
    if (!this.disposed) this.contextKeys.set('minilm.indexReady', this.chunkCount > 0);
    this.changeEmitter.fire();
    return (this.lastOutcome = outcome);
  }

  private async indexFolders(
    request: IndexRunRequest,
    signal: AbortSignal,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<FolderRunSummary[]> {
    // With minilm.backend the server embeds the chunks and the local model is left alone.
    const remote = await this.engineHost.remoteEmbedder();
    const engine = remote ? undefined : this.engineHost.engineForIndex();
    const folders = this.folders();
    const summaries: FolderRunSummary[] = [];
    let reported = 0;
    for (const [i, folder] of folders.entries()) {
      const settings = this.settingsFor(folder);
      // The cap is read at every run, so a changed minilm.index.maxSizeMB applies to the next one.
      const store = await IndexStore.open(this.indexDir(folder)!, { maxBytes: settings.maxBytes });
      const prefix = folders.length > 1 ? `${folder.name}: ` : '';
      const onProgress = (p: IndexProgress) => {
        const message = prefix + progressMessage(p);
        // The embed phase is nearly all of the time: the bar follows it, spread over the folders.
        const percent = p.phase === 'embed' && p.total > 0 ? Math.floor(((i + p.done / p.total) / folders.length) * 100) : undefined;
        const increment = percent !== undefined && percent > reported ? percent - reported : undefined;
        if (percent !== undefined) reported = Math.max(reported, percent);
        progress.report({ message, increment });
        this.setActivity({ kind: 'running', percent: percent ?? (this.current.kind === 'running' ? this.current.percent : undefined), message });
      };
      let result: IndexRunResult;
      try {
        result = await updateIndex({
          root: folder.uri.fsPath,
          store,
          engine,
          remote,
          include: settings.include,
          exclude: settings.exclude,
          useGitIgnore: settings.useGitIgnore,
          maxFileBytes: settings.maxFileBytes,
          rebuild: request.rebuild,
          batchSize: currentSettings().batchSize,
          signal,
          onProgress,
        });
      } finally {
        await store.close();
        await this.reopenReader(folder);
      }
      summaries.push({
        folder: folder.name,
        files: result.files,
        chunks: result.chunks,
        embeddedChunks: result.embeddedChunks,
        changedFiles: result.changedFiles,
        removedFiles: result.removedFiles,
        skippedFiles: result.skipped.length,
        rebuilt: result.rebuilt,
      });
    }
    return summaries;
  }

  private showFailure(error: unknown): void {
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const actions = isIndexFull(error) ? [openSettings, showLog] : [showLog];
    void vscode.window.showErrorMessage(vscode.l10n.t('MiniLM: {0}', describe(error)), ...actions).then((picked) => {
      if (picked === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'minilm.index');
      else if (picked === showLog) this.log.show(true);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.running?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
    // A running update releases its writer lock as it stops; the readers go once it has.
    void this.runner.idle().then(async () => {
      for (const store of this.stores.values()) await store.close().catch(() => undefined);
      this.stores.clear();
    });
  }
}

function progressMessage(p: IndexProgress): string {
  switch (p.phase) {
    case 'scan':
      return p.files === 0 ? vscode.l10n.t('looking for files…') : vscode.l10n.t('{0} files found', p.files);
    case 'read':
      return vscode.l10n.t('reading files: {0} of {1}', p.done, p.total);
    case 'embed':
      return vscode.l10n.t('embedding chunks: {0} of {1}', p.done, p.total);
    case 'write':
      return vscode.l10n.t('writing the index…');
  }
}

function isIndexFull(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'IndexFullError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeSummary(s: FolderRunSummary): string {
  return `${s.folder}: ${s.files} files, ${s.chunks} chunks (${s.embeddedChunks} embedded${s.rebuilt ? ', rebuilt' : `, ${s.changedFiles} changed, ${s.removedFiles} removed`}, ${s.skippedFiles} skipped)`;
}
