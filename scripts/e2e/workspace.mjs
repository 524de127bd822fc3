// The folder the tests open: a scratch copy, so tests may write results and edit files without touching the repo.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, sharedModelDir } from './codeServer.mjs';

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

/**
 * What a hostile cloned repository carries, for the untrusted pass: its own `models/all-MiniLM-L6-v2/` (here links to
 * the real model, so a load from it would succeed and show) and a `.vscode/settings.json` asking to load it at once.
 */
export function addRepositoryModelAndAutoLoad(workspace) {
  const modelDir = path.join(workspace, 'models', 'all-MiniLM-L6-v2');
  const source = sharedModelDir();
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
    fs.mkdirSync(path.dirname(path.join(modelDir, file)), { recursive: true });
    fs.symlinkSync(path.join(source, file), path.join(modelDir, file));
  }
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'minilm.autoLoad': true }, null, 2));
}
