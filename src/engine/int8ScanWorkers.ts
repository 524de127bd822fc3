import { Worker } from 'node:worker_threads';
import type { Int8ScanJob, Int8ScanThreads } from '../core/int8Corpus';

/**
 * The int8 scan is bound by memory bandwidth, and one core does not reach the machine's: on the 2-core test
 * machine a second thread scanning the other half of the rows cut a 1M-row scan from ~55 to ~35 ms. The workers
 * only run the kernel over a shared WebAssembly memory; selection and rescoring stay on the caller's thread.
 *
 * The worker is evaluated from this source (no file beside the bundle to locate). It keeps the kernel of the last
 * corpus it scanned, and with it that corpus's memory, until another corpus or {@link Int8ScanWorkers.close}.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let memoryId = -1;
let dots = null;
parentPort.on('message', (job) => {
  try {
    if (job.memoryId !== memoryId) {
      dots = new WebAssembly.Instance(job.module, { env: { memory: job.memory } }).exports.dots8;
      memoryId = job.memoryId;
    }
    dots(job.args[0], job.args[1], job.args[2], job.args[3], job.args[4], job.args[5]);
    parentPort.postMessage({ id: job.id });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.stack) || error) });
  }
});
`;

/** Enough for any machine this runs on; a larger count is a mistake (each thread competes for the same memory). */
const MAX_THREADS = 16;

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A few worker threads that scan parts of an {@link Int8Corpus} (Node's worker_threads, hence in the engine, not in core). */
export class Int8ScanWorkers implements Int8ScanThreads {
  private readonly workers: Worker[] = [];
  private readonly loaded: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextJob = 1;
  private nextWorker = 0;
  private closed = false;

  /** `threads` workers besides the caller's thread (default 1: two scanning threads). */
  constructor(readonly threads = 1) {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw new RangeError(`Int8ScanWorkers needs 1 to ${MAX_THREADS} threads, got ${threads}.`);
    }
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (message: { id: number; error?: string }) => this.settle(message.id, message.error));
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`An int8 scan worker exited (code ${code}).`));
      });
      worker.unref(); // idle workers must not keep the process alive; run() refs while a job is out
      this.workers.push(worker);
      this.loaded.push(-1);
    }
  }

  run(job: Int8ScanJob): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The int8 scan workers are closed.'));
    const w = this.nextWorker;
    this.nextWorker = (w + 1) % this.workers.length;
    const worker = this.workers[w];
    const id = this.nextJob++;
    const first = this.loaded[w] !== job.memoryId;
    this.loaded[w] = job.memoryId;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      // The module and memory travel only the first time a worker sees this corpus.
      worker.postMessage(
        first ? { id, memoryId: job.memoryId, module: job.module, memory: job.memory, args: job.args } : { id, memoryId: job.memoryId, args: job.args },
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('The int8 scan workers were closed during a scan.'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(id: number, error: string | undefined): void {
    const job = this.pending.get(id);
    if (!job) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.workers.forEach((w) => w.unref());
    if (error) job.reject(new Error(`int8 scan worker: ${error}`));
    else job.resolve();
  }

  private failAll(error: Error): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    this.loaded.fill(-1);
    jobs.forEach((job) => job.reject(error));
  }
}
