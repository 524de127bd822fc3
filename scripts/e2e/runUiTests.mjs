// `npm run test:ui`: packages the extension, installs the .vsix into a fresh code-server and runs the Playwright
// suites (test/e2e/*.ui.test.ts, compiled by tsc) against its workbench, as a person would use it.
// Screenshots go to MINILM_SCREENSHOTS_DIR (`npm run screenshots`: docs/screenshots/), else <tmpdir>/minilm-screenshots.
// A second phase packages the offline .vsix (q8 model inside) and runs test/e2e/*.offline-ui.test.ts against a
// code-server that has no model folder, no MINILM_MODEL_DIR, an unreachable hub and downloads turned off.
//
// Environment: MINILM_UI_VSIX / MINILM_UI_OFFLINE_VSIX (use these .vsix files instead of packaging),
// MINILM_UI_HEADED=1 (visible browser, needs a display), MINILM_SCREENSHOTS_DIR (default <tmpdir>/minilm-screenshots).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  chromiumArgs,
  chromiumPath,
  ensureCodeServer,
  installExtension,
  log,
  makeScratch,
  outputDir,
  repoRoot,
  sharedModelDir,
  startCodeServer,
  workbenchUrl,
} from './codeServer.mjs';
import { prepareWorkspace } from './workspace.mjs';

function packageVsix(offline) {
  const given = offline ? process.env.MINILM_UI_OFFLINE_VSIX : process.env.MINILM_UI_VSIX;
  if (given) return path.resolve(given);
  const args = offline ? ['--offline', '--model-dir', sharedModelDir(), '--skip-build'] : [];
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

function findUiTests(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

function runMocha(files, env) {
  return new Promise((resolve) => {
    const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const grep = process.env.MINILM_UI_GREP ? ['--grep', process.env.MINILM_UI_GREP] : [];
    const child = spawn(process.execPath, [mocha, '--timeout', '300000', '--reporter', 'spec', ...grep, ...files], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Installs `vsix` into a fresh code-server and runs `files` against its workbench; resolves with mocha's exit code. */
async function runPhase({ label, vsix, files, screenshots, settings, env }) {
  const started = Date.now();
  const dirs = makeScratch(label);
  log(installExtension(vsix, dirs));
  const workspace = prepareWorkspace(dirs.root);
  const server = await startCodeServer({ workspace, dirs, settings, env });
  log(`code-server on ${server.url} with ${path.basename(vsix)} installed (log: ${server.logFile})`);
  let code;
  try {
    code = await runMocha(files, {
      MINILM_UI_URL: workbenchUrl(server.url, workspace),
      MINILM_UI_WORKSPACE: workspace,
      MINILM_UI_EXTENSIONS_DIR: dirs.extensions,
      MINILM_SCREENSHOTS_DIR: screenshots,
      MINILM_UI_OUTPUT_DIR: outputDir,
      MINILM_CHROMIUM: chromiumPath,
      MINILM_CHROMIUM_ARGS: JSON.stringify(chromiumArgs),
    });
  } finally {
    await server.stop();
  }
  log(`${label}: finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
  if (code === 0) fs.rmSync(dirs.root, { recursive: true, force: true });
  else log(`kept scratch folder ${dirs.root} (code-server log, workspace)`);
  return code;
}

async function main() {
  const started = Date.now();
  ensureCodeServer();
  const vsix = packageVsix(false);
  if (!vsix || !fs.existsSync(vsix)) throw new Error(`no .vsix to install (got ${vsix})`);
  // Under `npm test` (scripts/test-all.mjs) out/ was compiled once for every suite.
  if (process.env.MINILM_COMPILED !== '1') {
    log(`compiling the UI tests (tsc)`);
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', repoRoot], { stdio: 'inherit' });
  }
  const testsDir = path.join(repoRoot, 'out', 'test', 'e2e');
  const files = findUiTests(testsDir, '.ui.test.js');
  if (files.length === 0) throw new Error('no out/test/e2e/**/*.ui.test.js: nothing to run');
  // test/helpers/screenshotsDir.ts spells the same default.
  const screenshots = path.resolve(process.env.MINILM_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'minilm-screenshots'));
  fs.mkdirSync(screenshots, { recursive: true });
  fs.mkdirSync(outputDir, { recursive: true });

  let code = await runPhase({ label: 'ui-tests', vsix, files, screenshots });
  const offlineFiles = findUiTests(testsDir, '.offline-ui.test.js');
  if (offlineFiles.length > 0) {
    const offlineVsix = packageVsix(true);
    if (!offlineVsix || !fs.existsSync(offlineVsix)) throw new Error(`no offline .vsix to install (got ${offlineVsix})`);
    const offlineCode = await runPhase({
      label: 'ui-offline',
      vsix: offlineVsix,
      files: offlineFiles,
      screenshots,
      // Nothing but the .vsix can supply the model: no folder, no cache, a hub that refuses, downloads off.
      settings: { 'minilm.modelFolder': '', 'minilm.hubEndpoint': 'http://127.0.0.1:9', 'minilm.allowDownload': false },
      env: { MINILM_MODEL_DIR: '' },
    });
    code = code || offlineCode;
  }
  log(`UI suites finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
