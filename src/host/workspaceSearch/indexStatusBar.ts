// The status bar item of the workspace index: the chunk count (click: search), a spinner with the percentage while
// indexing (click: cancel), a warning when the last run failed (click: show the log).
import * as vscode from 'vscode';
import { t } from '../l10n';
import { indexCountLabel } from './searchResultsModel';
import type { WorkspaceIndexService } from './workspaceIndexService';

export interface IndexStatusView {
  readonly text: string;
  readonly tooltip: string;
  readonly command: string;
  readonly visible: boolean;
}

export class IndexStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;
  private current: IndexStatusView = { text: '', tooltip: '', command: '', visible: false };

  constructor(private readonly index: WorkspaceIndexService) {
    this.item = vscode.window.createStatusBarItem('minilm.index', vscode.StatusBarAlignment.Right, 99);
    this.item.name = vscode.l10n.t('MiniLM Workspace Index');
    this.subscription = index.onDidChange(() => this.render());
    this.render();
  }

  /** What the item shows now (for the in-host tests). */
  get view(): IndexStatusView {
    return { ...this.current };
  }

  private render(): void {
    const activity = this.index.activity;
    let view: IndexStatusView;
    if (activity.kind === 'running') {
      view = {
        text: activity.percent === undefined ? t('$(sync~spin) Indexing') : t('$(sync~spin) Indexing {0}%', activity.percent),
        tooltip: t('MiniLM: indexing the workspace ({0}). Click to cancel.', activity.message),
        command: 'minilm.cancelIndexing',
        visible: true,
      };
    } else if (activity.kind === 'failed') {
      view = {
        text: t('$(warning) Index'),
        tooltip: t('MiniLM: the workspace index could not be updated: {0}', activity.message),
        command: 'minilm.showLog',
        visible: true,
      };
    } else {
      view = {
        text: indexCountLabel(this.index.chunkCount, t),
        tooltip: t(
          'MiniLM workspace index: {0} files, {1} chunks, {2} MB on disk. Click to search the workspace.',
          this.index.fileCount,
          this.index.chunkCount,
          (this.index.bytesOnDisk / 1_000_000).toFixed(1),
        ),
        command: 'minilm.searchWorkspace',
        visible: this.index.hasIndex(),
      };
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.accessibilityInformation = { label: view.tooltip };
    if (view.visible) this.item.show();
    else this.item.hide();
    this.current = view;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
