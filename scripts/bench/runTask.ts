import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TaskResult, TaskSpec } from './tasks';

const RESULT_MARK = 'BENCH_RESULT ';

/** Runs one measurement in a fresh Node process (see task.ts) and returns its result. */
export function runTaskInChild(spec: TaskSpec, timeoutMs = 15 * 60_000): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'task.js'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_MARK.length)) as TaskResult);
      else reject(new Error(`${JSON.stringify(spec)} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
