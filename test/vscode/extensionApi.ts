// The running extension's test API (what activate() returns), typed for the in-host suites. Types only: the
// extension's modules are bundled in dist/extension.js, so tests must not import src/ at run time.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';

export const EXTENSION_ID = 'minilm-studio.minilm-studio';

export async function extensionApi(): Promise<MiniLmExtensionApi> {
  const extension = vscode.extensions.getExtension<MiniLmExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  assert.ok(api?.services, 'activate() returned no test API');
  return api;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  await waitForValue(() => condition() || undefined, what, timeoutMs);
}

/** Polls `read` until it gives a value other than undefined, and returns that value. */
export async function waitForValue<T>(read: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first workspace folder of the test run. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run has no workspace folder');
  return folder.uri;
}

/** The model folder the test run provides (MINILM_MODEL_DIR, else the user setting the launcher wrote). */
export function testModelFolder(): string {
  const folder = process.env.MINILM_MODEL_DIR ?? vscode.workspace.getConfiguration('minilm').inspect<string>('modelFolder')?.globalValue;
  assert.ok(folder, 'neither MINILM_MODEL_DIR nor the user setting minilm.modelFolder names the model');
  return folder;
}

/** Closes every editor without save prompts (untitled documents with content are dirty; a prompt would hang the run). */
export async function closeAllEditors(): Promise<void> {
  await letWebviewFetchesSettle();
  for (let i = 0; i < 50 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/**
 * Closing a webview (Studio panel, notebook) while it fetches a resource stalls the next webview for 30 s in
 * code-server; the harness, which sees the browser's fetches, answers this URL once none is in flight
 * (scripts/e2e/webviewFetches.mjs). Outside that harness there is nothing to wait for.
 */
async function letWebviewFetchesSettle(): Promise<void> {
  const url = process.env.MINILM_TEST_WEBVIEWS_SETTLED_URL;
  if (url) await fetch(url).catch(() => undefined);
}
