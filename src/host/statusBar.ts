import * as vscode from 'vscode';
import type { EngineHost } from './studioServices';
import { t } from './l10n';
import { remoteStatusBarView, statusBarView, type StatusBarView } from './statusBarView';
import { currentSettings } from './engineHost';
import { configuredModelName } from './modelPicker';

/** The status bar item that shows the model state and loads the model (or shows the log) on click. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private current: StatusBarView;

  constructor(private readonly engine: EngineHost) {
    this.item = vscode.window.createStatusBarItem('minilm.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('MiniLM Model');
    this.current = this.render();
    this.subscriptions.push(
      engine.onDidChangeState(() => this.render()),
      // The dtype shown while unloaded, and the backend, follow the settings.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['minilm.dtype', 'minilm.model', 'minilm.backend', 'minilm.backendEndpoint', 'minilm.remoteModel'].some((key) => e.affectsConfiguration(key)))
          setTimeout(() => this.render(), 0);
      }),
    );
    this.item.show();
  }

  /** What the item shows now (for the in-host tests). */
  get view(): StatusBarView {
    return { ...this.current };
  }

  private render(): StatusBarView {
    const backend = this.engine.backend();
    const view = backend
      ? remoteStatusBarView(backend, t)
      : statusBarView(this.engine.state, this.engine.dtype, t, configuredModelName(currentSettings().model, this.engine.hostPaths()));
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: view.tooltip };
    this.current = view;
    return view;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.item.dispose();
  }
}
