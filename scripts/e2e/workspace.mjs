// The folder the tests open: a scratch copy, so tests may write results and edit files without touching the repo.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

/**
 * `<scratch>/workspace` holding `samples/` (the repository's sample notebooks) and everything in
 * `test/vscode/workspace/` (fixtures owned by the in-host suites), copied at the top level.
 */
export function prepareWorkspace(scratchRoot) {
  const workspace = path.join(scratchRoot, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const samples = path.join(repoRoot, 'samples');
  if (fs.existsSync(samples)) fs.cpSync(samples, path.join(workspace, 'samples'), { recursive: true });
  const fixtures = path.join(repoRoot, 'test', 'vscode', 'workspace');
  if (fs.existsSync(fixtures)) fs.cpSync(fixtures, workspace, { recursive: true });
  return workspace;
}
