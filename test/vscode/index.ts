// Entry point VS Code loads as `extensionTestsPath` (out/test/vscode/index.js). It runs inside the extension
// host, so the suites below can use the real `vscode` API. Both launchers use it: @vscode/test-electron
// (test/vscode/runTests.ts) and the code-server route (scripts/e2e/runInHostTests.mjs).
import path from 'node:path';
import * as vscode from 'vscode';
import { runMocha } from './runner/runMocha';

export async function run(): Promise<void> {
  // out/test/vscode -> repository root
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const results = await runMocha({ repoRoot, testsDir: __dirname, vscodeVersion: vscode.version });
  console.log(`[minilm-tests] ${results.passes} passing, ${results.failures} failing, ${results.pending} pending`);
}
