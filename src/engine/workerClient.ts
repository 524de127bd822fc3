import { Worker } from 'node:worker_threads';
import { EngineError, cancelled, deserializeError } from './errors';
import { GATE_CLOSED, GATE_IDLE, GATE_NATIVE, type WorkerData, type WorkerReply, type WorkerRequest } from './workerProtocol';
import type { BatchProgress } from './types';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type WorkerRequestBody = DistributiveOmit<WorkerRequest, 'id'>;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: BatchProgress) => void;
}

/**
 * One inference worker thread and the requests waiting on it. The thread is unref'd while idle so that a CLI
 * process with a loaded model can still exit.
 */
export class WorkerClient {
  private readonly worker: Worker;
  /** The native-call gate shared with the thread (see workerProtocol). */
  private readonly gate = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, Pending>();
  /** Settles when the thread has ended, however it ended. */
  readonly exited: Promise<void>;
  private nextId = 1;
  private stopped = false;

  /** `onFail` runs once if the thread dies or throws outside a request; pending requests are already rejected. */
  constructor(workerPath: string, onFail: (error: Error) => void) {
    const worker = new Worker(workerPath, { workerData: { gate: this.gate.buffer as SharedArrayBuffer } satisfies WorkerData });
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      if (reply.kind === 'progress') {
        pending.onProgress?.({ done: reply.done, total: reply.total });
        return;
      }
      this.pending.delete(reply.id);
      if (reply.kind === 'failed') pending.reject(deserializeError(reply.error));
      else pending.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      this.rejectAll(new EngineError('WORKER_FAILED', `The inference worker stopped (${error.message}). Load the model again.`));
      onFail(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
  }

  /** Requests sent and not yet answered: the engine hands new work to the worker with the fewest. */
  get inFlight(): number {
    return this.pending.size;
  }

  request(message: WorkerRequestBody, signal?: AbortSignal, onProgress?: (p: BatchProgress) => void): Promise<WorkerReply> {
    if (this.stopped) return Promise.reject(new EngineError('WORKER_FAILED', 'The model is not loaded.'));
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.worker.postMessage({ id: this.nextId++, kind: 'cancel', target: id } satisfies WorkerRequest);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        onProgress,
      });
      this.worker.ref();
      this.worker.postMessage({ ...message, id } as WorkerRequest);
    }).finally(() => {
      if (this.pending.size === 0 && !this.stopped) this.worker.unref();
    });
  }

  /**
   * Rejects what is pending with `reason` and ends the thread (its memory returns to the system) once it is between
   * requests: the running request is cancelled and stops at its next batch. A thread that has not ended after
   * `graceMs` (stuck in JavaScript) is terminated, but never inside an ONNX Runtime call: then it is terminated as
   * soon as that call returns. Resolves when the thread is gone.
   */
  async stop(reason: EngineError, graceMs = 15_000): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      const running = [...this.pending.keys()];
      this.rejectAll(reason);
      for (const target of running) this.worker.postMessage({ id: 0, kind: 'cancel', target } satisfies WorkerRequest);
      this.worker.postMessage({ id: 0, kind: 'dispose' } satisfies WorkerRequest);
      // Keep the process alive until the thread has ended, so that whatever awaits this runs afterwards.
      this.worker.ref();
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
      timer.unref();
    });
    if ((await Promise.race([this.exited, late])) === 'late') await this.terminateOutsideNative();
    clearTimeout(timer);
  }

  /** Closes the gate once no native call runs, then terminates; resolves when the thread is gone. */
  private async terminateOutsideNative(): Promise<void> {
    let gone = false;
    void this.exited.then(() => (gone = true));
    while (!gone && Atomics.compareExchange(this.gate, 0, GATE_IDLE, GATE_CLOSED) === GATE_NATIVE) {
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 20)), this.exited]);
    }
    if (!gone) await this.worker.terminate();
  }

  private rejectAll(error: EngineError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/**
 * The worker with the fewest requests in flight, the first of them on a tie: concurrent callers spread over the
 * workers, and a lone caller always lands on the same one.
 */
export function leastBusy<W extends { readonly inFlight: number }>(workers: readonly W[]): W {
  if (workers.length === 0) throw new RangeError('no workers to choose from');
  return workers.reduce((best, worker) => (worker.inFlight < best.inFlight ? worker : best));
}
