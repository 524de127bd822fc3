// `npm run test:e2e` (after tsc + esbuild): runs the in-host mocha suite (test/vscode/*.vscode.test.ts) inside a real
// VS Code extension host served by code-server, opened by Debian chromium through playwright-core.
// The host exits 0 even when the tests fail, so the verdict comes from the results file the runner writes.
//
// Environment: MINILM_E2E_EXTENSION_PATH (extension under development, default: this repository),
// MINILM_E2E_TESTS_PATH (default: out/test/vscode/index.js), MINILM_E2E_TIMEOUT_S (default 900),
// MINILM_TEST_GREP (mocha grep inside the host).
import fs from 'node:fs';
import path from 'node:path';
import {
  ensureCodeServer,
  launchChromium,
  log,
  makeScratch,
  outputDir,
  repoRoot,
  startCodeServer,
  workbenchUrl,
} from './codeServer.mjs';
import { prepareWorkspace } from './workspace.mjs';

const extensionPath = path.resolve(process.env.MINILM_E2E_EXTENSION_PATH ?? repoRoot);
const testsPath = path.resolve(process.env.MINILM_E2E_TESTS_PATH ?? path.join(repoRoot, 'out', 'test', 'vscode', 'index.js'));
const timeoutMs = Number(process.env.MINILM_E2E_TIMEOUT_S ?? 900) * 1000;
const resultsFile = path.join(outputDir, 'vscode-results.json');
const consoleFile = path.join(outputDir, 'vscode-console.log');

async function main() {
  const started = Date.now();
  ensureCodeServer();
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const main = path.join(extensionPath, pkg.main ?? 'dist/extension.js');
  for (const [file, hint] of [
    [main, 'run `npm run build` (esbuild) first'],
    [testsPath, 'run `npm run compile` (tsc) first'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: ${hint}`);
  }

  fs.mkdirSync(outputDir, { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  fs.writeFileSync(consoleFile, '');
  const dirs = makeScratch('vscode-tests');
  const workspace = prepareWorkspace(dirs.root);
  const server = await startCodeServer({
    workspace,
    dirs,
    env: { MINILM_TEST_RESULTS: resultsFile, MINILM_TEST_WORKSPACE: workspace },
  });
  log(`code-server on ${server.url} (log: ${server.logFile})`);
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      fs.appendFileSync(consoleFile, `${msg.type()}: ${text}\n`);
    });
    page.on('pageerror', (err) => fs.appendFileSync(consoleFile, `pageerror: ${err.message}\n`));
    const url = workbenchUrl(server.url, workspace, { extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath });
    await page.goto(url);
    log('workbench opened; waiting for the in-host runner to write its results');
    await waitForFile(resultsFile, timeoutMs, () => server.child.exitCode !== null);
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return report(results, seconds, dirs);
}

async function waitForFile(file, ms, serverDied) {
  const deadline = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (serverDied()) throw new Error('code-server exited before the tests wrote their results');
    if (Date.now() > deadline) {
      throw new Error(`no results file after ${ms / 1000} s (${path.relative(repoRoot, file)}); see ${path.relative(repoRoot, consoleFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function report(results, seconds, dirs) {
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? '  ✓' : t.state === 'failed' ? '  ✗' : '  -';
    console.log(`${mark} ${t.fullTitle}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  const failed = results.tests.filter((t) => t.state === 'failed');
  for (const [i, t] of failed.entries()) console.log(`\n  ${i + 1}) ${t.fullTitle}\n${indent(t.error ?? '')}`);
  if (results.runnerError) console.log(`\nrunner error:\n${indent(results.runnerError)}`);
  console.log(`\nin-host suite (VS Code ${results.vscodeVersion ?? '?'}, ${results.files.length} file(s), ${seconds} s)`);
  console.log(`  ${results.passes} passing`);
  if (results.pending > 0) console.log(`  ${results.pending} pending`);
  console.log(`  ${results.failures} failing`);
  const ok = !results.runnerError && results.failures === 0 && results.passes > 0;
  if (ok) fs.rmSync(dirs.root, { recursive: true, force: true });
  else log(`kept scratch folder ${dirs.root} (code-server log, settings); browser console: ${path.relative(repoRoot, consoleFile)}`);
  if (results.passes === 0 && !results.runnerError) console.log('no in-host test ran: counted as a failure');
  return ok ? 0 : 1;
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
