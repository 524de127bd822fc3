import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

export interface PytorchResult {
  sentences: number;
  sentences_per_s: number;
  runs_s: number[];
  batch_size: number;
  torch: string;
  torch_threads: number;
  weights_rebuilt_from_onnx: boolean;
  min_cosine_vs_reference: number | null;
  pid_max_rss_kb: number | null;
}

/** The first interpreter that can import sentence_transformers: MINILM_BENCH_PYTHON, then /tmp/stvenv/bin/python. */
export function findPython(): { python?: string; tried: string[] } {
  const candidates = [process.env.MINILM_BENCH_PYTHON, '/tmp/stvenv/bin/python'].filter((p): p is string => !!p);
  for (const python of candidates) {
    if (!fs.existsSync(python) && python.includes('/')) continue;
    const probe = spawnSync(python, ['-c', 'import sentence_transformers'], { stdio: 'ignore', timeout: 180_000 });
    if (probe.status === 0) return { python, tried: candidates };
  }
  return { tried: candidates };
}

/** Runs scripts/bench_pytorch.py; its progress goes to our stderr, its JSON result is its last stdout line. */
export function runPytorch(
  python: string,
  args: { modelDir: string; corpusFile: string; referenceFile?: string; runs: number; batchSize: number },
): Promise<PytorchResult> {
  const script = path.join(repoRoot, 'scripts', 'bench_pytorch.py');
  const argv = [script, '--model-dir', args.modelDir, '--corpus', args.corpusFile, '--runs', String(args.runs), '--batch-size', String(args.batchSize)];
  if (args.referenceFile) argv.push('--reference', args.referenceFile);
  return new Promise((resolve, reject) => {
    const child = spawn(python, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (/^pytorch run|rebuilding/.test(line)) process.stderr.write(`  ${line}\n`);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20 * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last) as PytorchResult);
      } catch (error) {
        reject(new Error(`bench_pytorch.py failed (${(error as Error).message}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
  });
}
