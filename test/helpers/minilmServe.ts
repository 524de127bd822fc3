import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot, testModelDir } from './sharedPaths';

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`, as the server announced it. */
  url: string;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** The exit code, once it has exited. */
  exited: Promise<number | null>;
}

/** Starts `node bin/minilm.js serve … --port 0` (node itself, so that signals reach it) and waits for its address. */
export async function startServe(extra: string[] = [], modelDir = testModelDir()): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'minilm.js'), 'serve', '--model-dir', modelDir, '--host', '127.0.0.1', '--port', '0', ...extra],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MINILM_API_KEY: '' },
    },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

/** Stops a server still running (SIGTERM) and waits for it to exit. */
export async function stopServe(server: ServeProcess | undefined): Promise<void> {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}
