// The extension's when-clause context keys (package.json menus, views welcome): one place sets them all, so a
// menu never shows Load and Unload together and the in-host tests can see what was set (VS Code offers no way
// to read a context key back).
import * as vscode from 'vscode';
import type { EngineHost } from './studioServices';

export type ContextKey =
  /** The model is loaded: Unload shows, Load hides. */
  | 'minilm.modelLoaded'
  /** Some workspace folder has an index with chunks: Search shows its results. */
  | 'minilm.indexReady'
  /** The workspace index is being built or updated: Cancel Indexing shows. */
  | 'minilm.indexing';

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  set(key: ContextKey, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  /** The value last set (false before the first set, as an unset key reads in a when-clause). */
  get(key: ContextKey): boolean {
    return this.values.get(key) ?? false;
  }

  /** Keeps `minilm.modelLoaded` in step with the engine's state. */
  followModel(engine: EngineHost): vscode.Disposable {
    const update = () => this.set('minilm.modelLoaded', engine.state.kind === 'ready');
    update();
    return engine.onDidChangeState(update);
  }
}
