// `npm run test:inhost:electron`: the in-host suite through @vscode/test-electron, for machines that can download VS Code
// (CI elsewhere, developer laptops). Here the download fails; `npm run test:inhost` runs the same suite in code-server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { resultsPath, type RunResults } from './runner/results';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const extensionDevelopmentPath = repoRoot;
  const extensionTestsPath = path.join(__dirname, 'index.js');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const samples = path.join(repoRoot, 'samples');
  if (fs.existsSync(samples)) fs.cpSync(samples, path.join(workspace, 'samples'), { recursive: true });
  const fixtures = path.join(repoRoot, 'test', 'vscode', 'workspace');
  if (fs.existsSync(fixtures)) fs.cpSync(fixtures, workspace, { recursive: true });
  const userData = path.join(scratch, 'user-data');
  const modelDir = process.env.MINILM_MODEL_DIR ?? path.resolve(repoRoot, '..', 'shared', 'models', 'all-MiniLM-L6-v2');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'minilm.modelFolder': modelDir, 'minilm.allowDownload': false }, null, 2),
  );
  const results = resultsPath(repoRoot);

  // The oldest VS Code that engines.vscode claims, then stable (as rust-analyzer does).
  const versions = (process.env.MINILM_VSCODE_VERSIONS ?? '1.95.0,stable').split(',');
  for (const version of versions) {
    console.log(`\n=== VS Code ${version} ===`);
    fs.rmSync(results, { force: true });
    await runTests({
      version,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'extensions'), '--disable-workspace-trust'],
      extensionTestsEnv: { MINILM_MODEL_DIR: modelDir, MINILM_TEST_WORKSPACE: workspace, MINILM_TEST_RESULTS: results },
    });
    // runTests rejects on a non-zero exit; the results file also catches "zero tests ran".
    const outcome = JSON.parse(fs.readFileSync(results, 'utf8')) as RunResults;
    if (outcome.failures > 0 || outcome.passes === 0 || outcome.runnerError) {
      throw new Error(`VS Code ${version}: ${outcome.passes} passing, ${outcome.failures} failing`);
    }
    console.log(`VS Code ${version}: ${outcome.passes} passing, ${outcome.failures} failing`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
