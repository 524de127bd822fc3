// `npm run test:ui`: packages the extension, installs the .vsix into a fresh code-server and runs the Playwright
// suites (test/e2e/*.ui.test.ts, compiled by tsc) against its workbench, as a person would use it.
// Screenshots go to docs/screenshots/.
//
// Environment: MINILM_UI_VSIX (use this .vsix instead of packaging), MINILM_UI_HEADED=1 (visible browser, needs a
// display), MINILM_SCREENSHOTS_DIR (default docs/screenshots).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
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
  startCodeServer,
  workbenchUrl,
} from './codeServer.mjs';
import { prepareWorkspace } from './workspace.mjs';

function packageVsix() {
  if (process.env.MINILM_UI_VSIX) return path.resolve(process.env.MINILM_UI_VSIX);
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

function findUiTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ui.test.js'))
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

async function main() {
  const started = Date.now();
  ensureCodeServer();
  const vsix = packageVsix();
  if (!vsix || !fs.existsSync(vsix)) throw new Error(`no .vsix to install (got ${vsix})`);
  log(`compiling the UI tests (tsc)`);
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', repoRoot], { stdio: 'inherit' });
  const files = findUiTests(path.join(repoRoot, 'out', 'test', 'e2e'));
  if (files.length === 0) throw new Error('no out/test/e2e/**/*.ui.test.js: nothing to run');

  const dirs = makeScratch('ui-tests');
  log(installExtension(vsix, dirs));
  const workspace = prepareWorkspace(dirs.root);
  const server = await startCodeServer({ workspace, dirs });
  log(`code-server on ${server.url} with ${path.basename(vsix)} installed (log: ${server.logFile})`);
  const screenshots = path.resolve(process.env.MINILM_SCREENSHOTS_DIR ?? path.join(repoRoot, 'docs', 'screenshots'));
  fs.mkdirSync(screenshots, { recursive: true });
  fs.mkdirSync(outputDir, { recursive: true });
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
  log(`UI suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
  if (code === 0) fs.rmSync(dirs.root, { recursive: true, force: true });
  else log(`kept scratch folder ${dirs.root} (code-server log, workspace)`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
