// Installs, starts and stops code-server, the real VS Code (server + web workbench) these machines can run.
// Recipe and reasons: ../shared/docs/E2E.md. code-server is a test tool: it lives in .tools/code-server
// (git-ignored), never in the extension's own dependency tree.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const toolsDir = path.join(repoRoot, '.tools', 'code-server');
export const outputDir = path.join(repoRoot, '.test-output');
export const chromiumPath = '/usr/bin/chromium';

/** Flags from E2E.md: headless, no sandbox (root in CI), nothing that phones home. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const debianPackages = [
  { name: 'chromium', present: () => fs.existsSync(chromiumPath) },
  { name: 'libkrb5-dev', present: () => dpkgInstalled('libkrb5-dev') },
  { name: 'ripgrep', present: () => fs.existsSync('/usr/bin/rg') },
  // CJK glyphs for the Chinese example texts in screenshots.
  { name: 'fonts-wqy-microhei', present: () => dpkgInstalled('fonts-wqy-microhei') },
];

// @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall; a file with this
// name in this cache folder is taken instead. The version is the one code-server 4.100.3 pins.
const ripgrepCache = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

export function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

function dpkgInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs chromium, libkrb5-dev and ripgrep through apt when missing (root only); otherwise says what to run. */
export function ensureDebianPackages() {
  const missing = debianPackages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `missing system packages: ${missing.join(', ')}. Install them, then rerun:\n  sudo ${command}\n` +
        `(chromium is the browser the end-to-end tests drive; libkrb5-dev and ripgrep are needed by code-server's install)`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = debianPackages.filter((p) => !p.present()).map((p) => p.name);
  if (still.length > 0) throw new Error(`apt-get finished but these are still missing: ${still.join(', ')}`);
}

/** The entry script of the installed code-server (run with the current node). */
export function codeServerEntry() {
  return path.join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installedVersion() {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) return undefined;
  const r = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  // The first lines can be log output; the version line reads `4.100.3 <commit> with Code 1.100.3`.
  return /^(\d+\.\d+\.\d+) \S+ with Code/m.exec(r.stdout)?.[1];
}

/** Installs code-server into .tools/code-server unless a working copy of the right version is there. */
export function ensureCodeServer() {
  ensureDebianPackages();
  const have = installedVersion();
  if (have === CODE_SERVER_VERSION) return codeServerEntry();
  log(
    have
      ? `code-server ${have} found, replacing with ${CODE_SERVER_VERSION}`
      : `installing code-server ${CODE_SERVER_VERSION} into ${path.relative(repoRoot, toolsDir)}/ (about a minute)`,
  );
  const started = Date.now();
  fs.rmSync(toolsDir, { recursive: true, force: true });
  fs.mkdirSync(toolsDir, { recursive: true });
  // Its own package.json makes this folder npm's project root, so the extension's lockfile and .npmrc stay out.
  fs.writeFileSync(path.join(toolsDir, 'package.json'), JSON.stringify({ name: 'minilm-e2e-tools', private: true }, null, 2) + '\n');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-cs-install-'));
  const cacheDir = path.join(tmp, ripgrepCache.dir);
  fs.mkdirSync(cacheDir, { recursive: true });
  execFileSync('tar', ['-czf', path.join(cacheDir, ripgrepCache.file), '-C', '/usr/bin', 'rg']);

  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts'], {
    cwd: toolsDir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  const now = installedVersion();
  if (now !== CODE_SERVER_VERSION) throw new Error(`code-server installed but \`code-server --version\` gave ${now ?? 'nothing'}`);
  log(`code-server ${now} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry();
}

/** A free TCP port on 127.0.0.1 (the OS picks it; tiny race with other processes, acceptable for tests). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Scratch HOME, XDG folders, user data and extensions folder, so nothing from the real user leaks in or out. */
export function makeScratch(label) {
  return profileDirs(fs.mkdtempSync(path.join(os.tmpdir(), `minilm-${label}-`)));
}

/** HOME, XDG folders, user data and extensions folder of a code-server profile under `root`, created if missing. */
export function profileDirs(root) {
  const dirs = {
    root,
    home: path.join(root, 'home'),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    cache: path.join(root, 'cache'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

/** The real model beside the repository (../shared/models/all-MiniLM-L6-v2) unless MINILM_MODEL_DIR is set. */
export function sharedModelDir() {
  return process.env.MINILM_MODEL_DIR ?? path.resolve(repoRoot, '..', 'shared', 'models', 'all-MiniLM-L6-v2');
}

/** User settings the tests rely on: no welcome page stealing focus, the shared model, no surprise network. */
export function testSettings(extra = {}) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'minilm.modelFolder': sharedModelDir(),
    'minilm.allowDownload': false,
    ...extra,
  };
}

function codeServerEnv(dirs, env) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    MINILM_MODEL_DIR: sharedModelDir(),
    MINILM_SHARED_DIR: process.env.MINILM_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared'),
    ...env,
  };
}

function commonArgs(dirs) {
  return ['--config', path.join(dirs.config, 'code-server.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** `code-server --install-extension x.vsix` into the scratch extensions folder. */
export function installExtension(vsix, dirs) {
  const r = spawnSync(process.execPath, [codeServerEntry(), ...commonArgs(dirs), '--install-extension', vsix], {
    env: codeServerEnv(dirs, {}),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${path.basename(vsix)} into code-server failed (exit ${r.status}):\n${output}`);
  }
  return output.trim();
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * Starts a fresh code-server on 127.0.0.1 in its own process group.
 * @param {{ workspace: string, dirs?: ReturnType<typeof makeScratch>, settings?: object, env?: object,
 *   args?: string[], port?: number, logFile?: string, workspaceTrust?: boolean,
 *   keepExistingSettings?: boolean }} options
 */
export async function startCodeServer(options) {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) throw new Error('code-server is not installed: run `node scripts/e2e/install.mjs`');
  const dirs = options.dirs ?? makeScratch('code-server');
  const settingsDir = path.join(dirs.userData, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  const settingsFile = path.join(settingsDir, 'settings.json');
  if (!(options.keepExistingSettings && fs.existsSync(settingsFile))) {
    fs.writeFileSync(settingsFile, JSON.stringify(testSettings(options.settings), null, 2));
  }
  fs.writeFileSync(path.join(dirs.config, 'code-server.yaml'), 'auth: none\ncert: false\n');
  const port = options.port ?? (await freePort());
  const args = [
    entry,
    ...commonArgs(dirs),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.args ?? []),
    options.workspace,
  ];
  const logFile = options.logFile ?? path.join(dirs.root, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  // detached = setsid: code-server, its extension hosts and file watchers share one process group we can kill.
  const child = spawn(process.execPath, args, {
    env: codeServerEnv(dirs, options.env ?? {}),
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(child);
  };
  try {
    await waitForHealth(url, child, 60_000);
  } catch (err) {
    await stop();
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
    throw new Error(`${err.message}\n--- code-server log ---\n${tail}`);
  }
  return { url, port, dirs, logFile, child, stop };
}

async function killGroup(child) {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Workbench URL that opens `folder` and, optionally, runs an extension under development and its tests. */
export function workbenchUrl(serverUrl, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const host = new URL(serverUrl).host;
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams({ folder });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${serverUrl}/?${query.toString()}`;
}

/** Debian chromium through playwright-core, with a fresh profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
