// `npm start`: builds MiniLM Studio and opens it in a real VS Code.
// - Desktop VS Code (`code` on PATH): `code --extensionDevelopmentPath=<repo> samples/`.
// - Otherwise: code-server on 127.0.0.1 with the packaged .vsix installed; prints the URL; runs until Ctrl+C.
//
// Options: --code-server (use code-server even when `code` exists), --port <n> (default 8080, or a free one).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CODE_SERVER_VERSION,
  ensureCodeServer,
  freePort,
  installExtension,
  log,
  profileDirs,
  repoRoot,
  sharedModelDir,
  startCodeServer,
} from './e2e/codeServer.mjs';

const argv = process.argv.slice(2);
const forceCodeServer = argv.includes('--code-server');
const portArg = argv.includes('--port') ? Number(argv[argv.indexOf('--port') + 1]) : undefined;
const workspace = fs.existsSync(path.join(repoRoot, 'samples')) ? path.join(repoRoot, 'samples') : repoRoot;

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

async function portIsFree(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    return false;
  } catch {
    return true;
  }
}

function startDesktop() {
  log('building (esbuild)');
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  log(`opening VS Code with the extension under development on ${path.relative(repoRoot, workspace) || '.'}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${repoRoot}`, '--new-window', workspace], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function startInCodeServer() {
  ensureCodeServer();
  log('packaging the extension (esbuild --production + vsce)');
  const vsix = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();

  // One persistent profile under .tools/start so settings survive restarts; the extension is reinstalled each time.
  const root = path.join(repoRoot, '.tools', 'start');
  fs.rmSync(path.join(root, 'extensions'), { recursive: true, force: true });
  const dirs = profileDirs(root);
  installExtension(vsix, dirs);

  const model = sharedModelDir();
  const settings = {
    // Only this machine's shared copy is pinned; elsewhere the extension finds or downloads the model itself.
    'minilm.modelFolder': fs.existsSync(path.join(model, 'config.json')) ? model : '',
    'minilm.allowDownload': true,
  };
  const port = portArg ?? ((await portIsFree(8080)) ? 8080 : await freePort());
  const server = await startCodeServer({ workspace, dirs, settings, port, logFile: path.join(root, 'code-server.log'), keepExistingSettings: true });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(
    `\nMiniLM Studio is running in code-server (code-server ${CODE_SERVER_VERSION}).\n\n  Open ${url}\n\nPress Ctrl+C to stop. Log: ${path.relative(repoRoot, server.logFile)}\n`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => {
    log(`code-server exited (${code})`);
    process.exit(code ?? 1);
  });
}

if (!forceCodeServer && onPath('code')) startDesktop();
else
  startInCodeServer().catch((err) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
