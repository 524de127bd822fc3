import { parentPort, workerData } from 'node:worker_threads';
import { EngineError, serializeError } from './errors';
import { ModelSession, type NativeCall } from './modelSession';
import { GATE_IDLE, GATE_NATIVE, type WorkerData, type WorkerReply, type WorkerRequest } from './workerProtocol';

/**
 * Worker entry: owns the model so that tokenisation and inference never block the extension host or the CLI's
 * event loop. Requests are served in order; a cancel message only marks its target, which stops at the next batch.
 */
const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');

const gate = new Int32Array((workerData as WorkerData).gate);

/** Holds the gate during an ONNX Runtime call; once the engine has closed it, refuses to start one. */
const native: NativeCall = async (call) => {
  if (Atomics.compareExchange(gate, 0, GATE_IDLE, GATE_NATIVE) !== GATE_IDLE) throw new EngineError('CANCELLED', 'The inference worker is stopping.');
  try {
    return await call();
  } finally {
    Atomics.store(gate, 0, GATE_IDLE);
  }
};

let model: ModelSession | undefined;
const cancelledIds = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function requireModel(): ModelSession {
  if (!model) throw new EngineError('WORKER_FAILED', 'The model is not loaded in the worker.');
  return model;
}

async function handle(request: Exclude<WorkerRequest, { kind: 'cancel' | 'dispose' }>): Promise<void> {
  try {
    switch (request.kind) {
      case 'load': {
        await model?.dispose();
        model = undefined;
        model = await ModelSession.load({
          dir: request.dir,
          dtype: request.dtype,
          threads: request.threads,
          spin: request.spin,
          config: request.config,
          native,
        });
        reply({ id: request.id, kind: 'loaded' });
        break;
      }
      case 'encode': {
        const result = await requireModel().encode(
          request.texts,
          request.prompt,
          request.batchSize,
          request.maxBatchTokens,
          () => cancelledIds.has(request.id),
          request.progress !== false ? (done, total) => reply({ id: request.id, kind: 'progress', done, total }) : () => undefined,
          request.normalize,
        );
        reply(
          { id: request.id, kind: 'encoded', ...result },
          result.vectors.map((v) => v.buffer as ArrayBuffer),
        );
        break;
      }
      case 'tokenEmbeddings': {
        const result = await requireModel().tokenEmbeddings(request.text, request.prompt);
        reply({ id: request.id, kind: 'tokenEmbedded', ...result }, [result.hidden.buffer as ArrayBuffer]);
        break;
      }
      case 'tokenize': {
        const loaded = requireModel();
        const tokenized = request.texts.map((t) => loaded.tokenize(t, request.prompt));
        const tokens = tokenized.map(({ ids, truncated }) => ({ count: ids.length, truncated }));
        reply({ id: request.id, kind: 'tokenized', tokens, ...(request.withIds ? { ids: tokenized.map((t) => t.ids) } : {}) });
        break;
      }
    }
  } catch (error) {
    reply({ id: request.id, kind: 'failed', error: serializeError(error) });
  } finally {
    cancelledIds.delete(request.id);
  }
}

/**
 * Ends the thread only between requests: a thread terminated from outside while ONNX Runtime is inside
 * `session.run` (or while another worker creates a session) can abort the whole process.
 */
async function dispose(): Promise<void> {
  await model?.dispose().catch(() => undefined);
  model = undefined;
  process.exit(0);
}

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'cancel') {
    cancelledIds.add(request.target);
    return;
  }
  if (request.kind === 'dispose') {
    queue = queue.then(dispose);
    return;
  }
  queue = queue.then(() => handle(request));
});
