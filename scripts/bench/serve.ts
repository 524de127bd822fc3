/**
 * Throughput of `minilm serve` with batching across requests: 1 sequential client against 8 concurrent clients,
 * one text per request (POST /embed), a fixed number of requests, on 127.0.0.1. Prints texts/s of both, their
 * ratio (the issue's contract: 8 concurrent clients reach at least 1.8x one sequential client) and p50/p99
 * latency. Informational: a miss is printed, never an exit status. `--texts-per-request 32` sends 32 distinct texts per
 * request instead of one. `--soak N` then sends N more requests from the concurrent clients, one in ten a fault (a
 * malformed body, a body over --max-body, a client that hangs up mid-request), and prints the server's resident memory
 * (RSS, from /proc, Linux) every N/10 requests: it must stay flat.
 *
 *   npx tsc -b && node out/scripts/bench/serve.js [--requests 400] [--clients 8] [--texts-per-request 1] [--soak 10000] [--dtype fp32] [--batch-linger-ms 0] [--model-dir DIR]
 *     [--peer-url URL [--peer-model NAME]]
 *
 * `--peer-url` runs the same load against another OpenAI-compatible server (its base URL, the one `/embeddings`
 * hangs off, e.g. infinity-emb's root) and against `minilm serve`'s `/v1/embeddings`, and prints both side by side.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
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
const textsPerRequest = Number(arg('texts-per-request', '1'));
const soak = Number(arg('soak', '0'));
const peerUrl = arg('peer-url', '').replace(/\/$/, '');
const peerModel = arg('peer-model', 'all-MiniLM-L6-v2');
/** The server's --max-body in the soak: a faulty request sends more than this. */
const SOAK_MAX_BODY = 64 * 1024;
const modelDir = arg('model-dir', process.env.MINILM_MODEL_DIR ?? path.join(repoRoot, '..', 'shared', 'models', 'all-MiniLM-L6-v2'));

/** Flags after `--` go to `minilm serve` as they are (e.g. `-- --workers 1` to compare layouts). */
const extraServeArgs = process.argv.includes('--') ? process.argv.slice(process.argv.indexOf('--') + 1) : [];

const SUBJECTS = ['A man', 'The committee', 'My neighbour', 'A small robot', 'The orchestra', 'Our team', 'A cat', 'The river'];
const VERBS = [
  'plays the guitar',
  'discussed the budget',
  'planted tomatoes',
  'crossed the street',
  'rehearsed all night',
  'shipped the release',
  'sleeps on the sofa',
  'floods every spring',
];

/** Distinct sentences of ordinary length (about 12-16 word pieces), so no two requests are the same text. */
function sentence(i: number): string {
  return `${SUBJECTS[i % SUBJECTS.length]} ${VERBS[Math.floor(i / SUBJECTS.length) % VERBS.length]} on day ${i} of the year.`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The texts of request `i`: `textsPerRequest` distinct sentences. */
function inputsOf(i: number): string | string[] {
  if (textsPerRequest === 1) return sentence(i);
  return Array.from({ length: textsPerRequest }, (_, k) => sentence(i * textsPerRequest + k));
}

/** Where a load goes: a route and the body it takes. */
interface Target {
  route: string;
  body(inputs: string | string[]): string;
}

const teiTarget = (url: string): Target => ({ route: `${url}/embed`, body: (inputs) => JSON.stringify({ inputs }) });
const openaiTarget = (base: string): Target => ({ route: `${base}/embeddings`, body: (input) => JSON.stringify({ model: peerModel, input }) });

function embed(url: string, body: string, expected = 200, route = `${url}/embed`): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(route, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === expected ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}, expected ${expected}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A client that sends a request and hangs up before the answer. */
function hangUp(url: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.end(body, () => setTimeout(() => req.destroy(), 5));
  });
}

/** Request `i` of the soak: one in ten is a fault, in turn malformed, oversized and a hang-up. */
async function soakRequest(url: string, i: number): Promise<void> {
  if (i % 10 !== 9) return void (await embed(url, JSON.stringify({ inputs: inputsOf(3_000_000 + i) })));
  switch (((i / 10) % 3) | 0) {
    case 0:
      return void (await embed(url, '{"inputs": [', 400));
    case 1:
      return void (await embed(url, JSON.stringify({ inputs: 'x'.repeat(SOAK_MAX_BODY) }), 413).catch(() => undefined)); // the server may close before reading it all
    default:
      return hangUp(url, JSON.stringify({ inputs: inputsOf(4_000_000 + i) }));
  }
}

function rssMegabytes(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function run(
  url: string,
  concurrency: number,
  offset: number,
  target: Target = teiTarget(url),
): Promise<{ textsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        latencies.push(await embed(url, target.body(inputsOf(offset + i)), 200, target.route));
      }
    }),
  );
  return { textsPerSecond: (requests * textsPerRequest) / ((performance.now() - started) / 1000), latencies };
}

/** The soak: `soak` requests from `clients` clients; the server's RSS after every tenth of them. */
async function runSoak(url: string, pid: number): Promise<void> {
  const samples: number[] = [rssMegabytes(pid)];
  const step = Math.max(1, Math.floor(soak / 10));
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < soak) {
        await soakRequest(url, next++);
        if (++done % step === 0) samples.push(rssMegabytes(pid));
      }
    }),
  );
  const health = await embed(url, JSON.stringify({ inputs: 'still serving?' }));
  console.log(
    `soak: ${soak} requests from ${clients} clients, one in ten a fault (malformed, over --max-body, hang-up); still serving (${health.toFixed(1)} ms)`,
  );
  console.log(`server RSS (MB) every ${step} requests: ${samples.map((m) => m.toFixed(0)).join(' ')}`);
  // The first tenth fills allocator pools and caches; growth after it is what a leak would show.
  console.log(
    `RSS from the first tenth to the end: ${samples[1]!.toFixed(0)} -> ${samples.at(-1)!.toFixed(0)} MB (${(((samples.at(-1)! - samples[1]!) / samples[1]!) * 100).toFixed(1)}%)`,
  );
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'minilm.js'),
      'serve',
      '--model-dir',
      modelDir,
      '--dtype',
      dtype,
      '--port',
      '0',
      '--batch-linger-ms',
      linger,
      '--max-body',
      String(SOAK_MAX_BODY),
      ...extraServeArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
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
    console.log(
      `machine: ${machine.cpuModel}, ${machine.logicalCpus} logical CPUs; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `model: ${dtype}; batch linger ${linger} ms; ${requests} requests of ${textsPerRequest} text${textsPerRequest === 1 ? '' : 's'} each, POST /embed on ${url}`,
    );
    console.log(`1 sequential client:      ${fmt(sequential)}`);
    console.log(`${clients} concurrent clients:    ${fmt(concurrent)}`);
    // The contract is for one text per request; with many, one request already fills an engine call.
    const verdict = textsPerRequest === 1 ? ` (contract: >= 1.8x) ${ratio >= 1.8 ? 'met' : 'MISSED'}` : '';
    console.log(`ratio: ${ratio.toFixed(2)}x${verdict}`);
    const metrics = await new Promise<string>((resolve, reject) => {
      http
        .get(`${url}/metrics`, { agent }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    const count = Number(/minilm_batch_requests_count (\d+)/.exec(metrics)?.[1]);
    const sum = Number(/minilm_batch_requests_sum (\d+)/.exec(metrics)?.[1]);
    console.log(`engine calls: ${count}, mean requests per call ${(sum / count).toFixed(2)} (all phases)`);
    if (peerUrl) await sideBySide(url, fmt);
    if (soak > 0) await runSoak(url, child.pid!);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

/** The same load through the OpenAI route of `minilm serve` and of the peer, one after the other. */
async function sideBySide(url: string, fmt: (r: { textsPerSecond: number; latencies: number[] }) => string): Promise<void> {
  const targets: [string, Target][] = [
    ['minilm serve /v1/embeddings', openaiTarget(`${url}/v1`)],
    [`peer ${peerUrl}/embeddings`, openaiTarget(peerUrl)],
  ];
  const rates: number[] = [];
  for (const [name, target] of targets) {
    await run(url, clients, 2_000_000, target); // warm-up
    const sequential = await run(url, 1, 5_000_000, target);
    const concurrent = await run(url, clients, 6_000_000, target);
    console.log(`${name}: 1 client ${fmt(sequential)}; ${clients} clients ${fmt(concurrent)}`);
    rates.push(concurrent.textsPerSecond);
  }
  console.log(
    `minilm serve / peer at ${clients} clients: ${(rates[0]! / rates[1]!).toFixed(2)}x (load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
