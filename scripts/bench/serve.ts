/**
 * Throughput of `minilm serve` with batching across requests: 1 sequential client against 8 concurrent clients,
 * one text per request (POST /embed), a fixed number of requests, on 127.0.0.1. Prints texts/s of both, their
 * ratio (the contract: 8 concurrent clients reach at least 1.8x one sequential client) and p50/p99
 * latency. Informational: a miss is printed, never an exit status.
 *
 *   npx tsc -p . && node out/scripts/bench/serve.js [--requests 400] [--clients 8] [--dtype fp32] [--batch-linger-ms 0] [--model-dir DIR]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { machineInfo } from './machine';
import { percentile } from './stats';
import { repoRoot } from './paths';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const requests = Number(arg('requests', '400'));
const clients = Number(arg('clients', '8'));
const dtype = arg('dtype', 'fp32');
const linger = arg('batch-linger-ms', '0');
const modelDir = arg('model-dir', process.env.MINILM_MODEL_DIR ?? path.join(repoRoot, '..', 'shared', 'models', 'all-MiniLM-L6-v2'));

/** Flags after `--` go to `minilm serve` as they are (e.g. `-- --workers 1` to compare layouts). */
const extraServeArgs = process.argv.includes('--') ? process.argv.slice(process.argv.indexOf('--') + 1) : [];

const SUBJECTS = ['A man', 'The committee', 'My neighbour', 'A small robot', 'The orchestra', 'Our team', 'A cat', 'The river'];
const VERBS = ['plays the guitar', 'discussed the budget', 'planted tomatoes', 'crossed the street', 'rehearsed all night', 'shipped the release', 'sleeps on the sofa', 'floods every spring'];

/** Distinct sentences of ordinary length (about 12-16 word pieces), so no two requests are the same text. */
function sentence(i: number): string {
  return `${SUBJECTS[i % SUBJECTS.length]} ${VERBS[Math.floor(i / SUBJECTS.length) % VERBS.length]} on day ${i} of the year.`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function embed(url: string, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(`${url}/embed`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ inputs: text }));
  });
}

async function run(url: string, concurrency: number, offset: number): Promise<{ textsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        latencies.push(await embed(url, sentence(offset + i)));
      }
    }),
  );
  return { textsPerSecond: requests / ((performance.now() - started) / 1000), latencies };
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'minilm.js'), 'serve', '--model-dir', modelDir, '--dtype', dtype, '--port', '0', '--batch-linger-ms', linger, ...extraServeArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  try {
    const machine = machineInfo();
    const loadBefore = os.loadavg();
    await run(url, clients, 1_000_000); // warm-up: worker, JIT, connections
    const sequential = await run(url, 1, 0);
    const concurrent = await run(url, clients, 100_000);
    const ratio = concurrent.textsPerSecond / sequential.textsPerSecond;
    const fmt = (r: { textsPerSecond: number; latencies: number[] }) =>
      `${r.textsPerSecond.toFixed(1)} texts/s, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms`;
    console.log(`machine: ${machine.cpuModel}, ${machine.logicalCpus} logical CPUs; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`model: ${dtype}; batch linger ${linger} ms; ${requests} requests of one text each, POST /embed on ${url}`);
    console.log(`1 sequential client:      ${fmt(sequential)}`);
    console.log(`${clients} concurrent clients:    ${fmt(concurrent)}`);
    console.log(`ratio: ${ratio.toFixed(2)}x (contract: >= 1.8x) ${ratio >= 1.8 ? 'met' : 'MISSED'}`);
    const metrics = await new Promise<string>((resolve, reject) => {
      http.get(`${url}/metrics`, { agent }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    const count = Number(/minilm_batch_requests_count (\d+)/.exec(metrics)?.[1]);
    const sum = Number(/minilm_batch_requests_sum (\d+)/.exec(metrics)?.[1]);
    console.log(`engine calls: ${count}, mean requests per call ${(sum / count).toFixed(2)} (all phases)`);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
