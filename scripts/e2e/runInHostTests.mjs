// `npm run test:inhost` (after tsc + esbuild): runs the in-host mocha suite (test/vscode/*.vscode.test.ts) inside a real
// VS Code extension host served by code-server, opened by Debian chromium through playwright-core.
// The host exits 0 even when the tests fail, so the verdict comes from the results file the runner writes.
//
// Environment: MINILM_E2E_EXTENSION_PATH (extension under development, default: this repository),
// MINILM_E2E_TESTS_PATH (default: out/test/vscode/index.js), MINILM_E2E_TIMEOUT_S (default 900),
// MINILM_TEST_GREP (mocha grep inside the host).
//
// Tests whose title contains `@untrusted` run in a second pass with workspace trust enabled and the workspace left
// untrusted (restricted mode); tests tagged `@autoload` in a third, trusted pass whose user settings turn
// minilm.autoLoad on (start-up alone must load the model); every other test runs in the first, trusted pass.
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, launchChromium, log, makeScratch, outputDir, repoRoot, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { startWebviewFetchTracker } from './webviewFetches.mjs';
import { addRepositoryModelAndAutoLoad, prepareWorkspace } from './workspace.mjs';

const extensionPath = path.resolve(process.env.MINILM_E2E_EXTENSION_PATH ?? repoRoot);
const testsPath = path.resolve(process.env.MINILM_E2E_TESTS_PATH ?? path.join(repoRoot, 'out', 'test', 'vscode', 'index.js'));
const timeoutMs = Number(process.env.MINILM_E2E_TIMEOUT_S ?? 900) * 1000;
const consoleFile = path.join(outputDir, 'vscode-console.log');
const UNTRUSTED_TAG = '@untrusted';
const AUTOLOAD_TAG = '@autoload';

/** Whether any compiled suite mentions the tag (then that tag's pass is needed). */
function hasTaggedTests(tag) {
  const dir = path.dirname(testsPath);
  if (!fs.existsSync(dir)) return false;
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.vscode.test.js'))
    .some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(tag));
}

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
  fs.writeFileSync(consoleFile, '');

  const userGrep = process.env.MINILM_TEST_GREP;
  // mocha takes a grep string as a regular expression.
  const passes = [{ label: 'trusted workspace', trusted: true, grep: userGrep ?? `${UNTRUSTED_TAG}|${AUTOLOAD_TAG}`, invert: userGrep === undefined }];
  if (userGrep === undefined && hasTaggedTests(UNTRUSTED_TAG))
    passes.push({ label: 'untrusted workspace', trusted: false, grep: UNTRUSTED_TAG, invert: false });
  if (userGrep === undefined && hasTaggedTests(AUTOLOAD_TAG)) {
    passes.push({
      label: 'autoLoad at start-up',
      trusted: true,
      grep: AUTOLOAD_TAG,
      invert: false,
      settings: { 'minilm.autoLoad': true },
      results: 'vscode-results-autoload.json',
    });
  }

  let ok = true;
  const totals = { passes: 0, failures: 0, pending: 0 };
  for (const pass of passes) {
    const results = await runPass(pass);
    ok = report(results, pass.label) && ok;
    totals.passes += results.passes;
    totals.failures += results.failures;
    totals.pending += results.pending;
  }
  console.log(`\nin-host suite: ${passes.length} pass(es) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  ${totals.passes} passing`);
  if (totals.pending > 0) console.log(`  ${totals.pending} pending`);
  console.log(`  ${totals.failures} failing`);
  if (totals.passes === 0) console.log('no in-host test passed: counted as a failure');
  return ok && totals.passes > 0 ? 0 : 1;
}

/** One code-server, one browser, one run of the in-host runner; returns what the runner wrote. */
async function runPass(pass) {
  const started = Date.now();
  // A name per run, so two runs in one checkout (several people or agents) never read each other's results;
  // the last run's results are then copied to the stable name.
  const stableName = pass.results ?? (pass.trusted ? 'vscode-results.json' : 'vscode-results-untrusted.json');
  const resultsFile = path.join(outputDir, `${path.basename(stableName, '.json')}-${process.pid}.json`);
  fs.rmSync(resultsFile, { force: true });
  const dirs = makeScratch('vscode-tests');
  const workspace = prepareWorkspace(dirs.root);
  if (!pass.trusted) addRepositoryModelAndAutoLoad(workspace);
  const webviewFetches = await startWebviewFetchTracker();
  const server = await startCodeServer({
    workspace,
    dirs,
    workspaceTrust: !pass.trusted,
    settings: pass.trusted
      ? (pass.settings ?? {})
      : {
          'security.workspace.trust.enabled': true,
          // No modal at start-up: the folder simply opens in restricted mode.
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
          'security.workspace.trust.emptyWindow': false,
        },
    env: {
      MINILM_TEST_RESULTS: resultsFile,
      MINILM_TEST_WORKSPACE: workspace,
      MINILM_TEST_GREP: pass.grep,
      MINILM_TEST_GREP_INVERT: pass.invert ? '1' : '0',
      MINILM_TEST_TRUSTED: pass.trusted ? '1' : '0',
      MINILM_TEST_WEBVIEWS_SETTLED_URL: webviewFetches.url,
    },
  });
  log(`${pass.label}: code-server on ${server.url} (log: ${server.logFile})`);
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    webviewFetches.watch(page);
    page.on('console', (msg) => fs.appendFileSync(consoleFile, `[${pass.label}] ${msg.type()}: ${msg.text()}\n`));
    page.on('pageerror', (err) => fs.appendFileSync(consoleFile, `[${pass.label}] pageerror: ${err.message}\n`));
    const url = workbenchUrl(server.url, workspace, { extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
    log(`${pass.label}: workbench opened; waiting for the in-host runner to write its results`);
    await waitForFile(resultsFile, timeoutMs, () => server.child.exitCode !== null);
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    await webviewFetches.close();
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  fs.renameSync(resultsFile, path.join(outputDir, stableName));
  results.seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.scratch = dirs.root;
  return results;
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

function report(results, label) {
  console.log(`\n${label} (VS Code ${results.vscodeVersion ?? '?'}, ${results.files.length} file(s), ${results.seconds} s)`);
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? '  ✓' : t.state === 'failed' ? '  ✗' : '  -';
    console.log(`${mark} ${t.fullTitle}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  const failed = results.tests.filter((t) => t.state === 'failed');
  for (const [i, t] of failed.entries()) console.log(`\n  ${i + 1}) ${t.fullTitle}\n${indent(t.error ?? '')}`);
  if (results.runnerError) console.log(`\nrunner error:\n${indent(results.runnerError)}`);
  const ok = !results.runnerError && results.failures === 0;
  if (ok) fs.rmSync(results.scratch, { recursive: true, force: true });
  else log(`kept scratch folder ${results.scratch} (code-server log, settings); browser console: ${path.relative(repoRoot, consoleFile)}`);
  return ok;
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
