import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { PreparedBatch } from './pretokenize';

/**
 * One ONNX Runtime session in its own worker thread, for the "two single-threaded sessions in two workers" lever.
 * It gets every batch once at start-up, then runs the batch numbers it is sent, so that timing excludes copying.
 */
export interface OrtWorkerData {
  modelPath: string;
  threads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  batches: PreparedBatch[];
}

export type OrtWorkerRequest = { kind: 'run'; batch: number } | { kind: 'stop' };
export type OrtWorkerReply = { kind: 'ready' } | { kind: 'done'; batch: number } | { kind: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('ortWorker must run in a worker thread');
const data = workerData as OrtWorkerData;

void (async () => {
  try {
    const session = await ort.InferenceSession.create(data.modelPath, {
      intraOpNumThreads: data.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: data.graphOptimizationLevel,
      executionMode: 'sequential',
    });
    port.on('message', (request: OrtWorkerRequest) => {
      if (request.kind === 'stop') {
        void session.release().then(() => port.close());
        return;
      }
      const b = data.batches[request.batch]!;
      const dims = [b.size, b.seqLength];
      session
        .run({
          input_ids: new ort.Tensor('int64', b.ids, dims),
          attention_mask: new ort.Tensor('int64', b.mask, dims),
          token_type_ids: new ort.Tensor('int64', b.types, dims),
        })
        .then(
          (output) => {
            for (const tensor of Object.values(output)) tensor.dispose?.();
            port.postMessage({ kind: 'done', batch: request.batch } satisfies OrtWorkerReply);
          },
          (error: unknown) => port.postMessage({ kind: 'failed', message: String(error) } satisfies OrtWorkerReply),
        );
    });
    port.postMessage({ kind: 'ready' } satisfies OrtWorkerReply);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: String(error) } satisfies OrtWorkerReply);
  }
})();
