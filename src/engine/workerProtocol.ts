import type { SerializedEngineError } from './errors';
import type { ModelConfig } from './modelConfig';
import type { Dtype, TokenCount } from './types';

/** Messages from the engine to its worker. Every request carries an id that its reply repeats. */
export type WorkerRequest =
  /**
   * `config`: the folder's sentence-transformers configuration, read once by the engine (Dense weights included).
   * `spin`: ONNX Runtime's intra-op threads may spin between operators (see SessionConfig.spin).
   */
  | { id: number; kind: 'load'; dir: string; dtype: Dtype; threads: number; spin?: boolean; config: ModelConfig }
  /**
   * Batches hold at most `batchSize` texts and `maxBatchTokens` padded word pieces. `prompt`: the prompt already
   * resolved by the engine (undefined = none), put before every text. `progress: false`: send no progress replies
   * (each one wakes the engine's thread, which then competes with inference for the cores, when nobody listens).
   */
  | { id: number; kind: 'encode'; texts: string[]; prompt?: string; batchSize: number; maxBatchTokens: number; progress?: boolean; normalize?: boolean }
  /** `withIds`: also send each text's token ids (as `tokenize` gives them), not only the counts. */
  | { id: number; kind: 'tokenize'; texts: string[]; prompt?: string; withIds?: boolean }
  /** One text's word pieces and contextual token states (ST's `encode(text, output_value="token_embeddings")`). */
  | { id: number; kind: 'tokenEmbeddings'; text: string; prompt?: string }
  | { id: number; kind: 'cancel'; target: number }
  /** Finish what is running (cancelled requests stop at their next batch), release the session, end the thread. */
  | { id: number; kind: 'dispose' };

/** Messages from the worker. Progress with `done: 0` announces the number of batches before the first runs. */
export type WorkerReply =
  | { id: number; kind: 'loaded' }
  | { id: number; kind: 'encoded'; vectors: Float32Array[]; tokens: TokenCount[] }
  | { id: number; kind: 'tokenized'; tokens: TokenCount[]; ids?: number[][] }
  /** `hidden`: the token states row after row, `ids.length × dim` floats. */
  | { id: number; kind: 'tokenEmbedded'; ids: number[]; tokens: string[]; special: boolean[]; hidden: Float32Array; dim: number; truncated: boolean }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'failed'; error: SerializedEngineError };

/**
 * States of the native-call gate, one Int32 in a SharedArrayBuffer the engine passes to each worker as workerData.
 * The worker moves IDLE → NATIVE around every ONNX Runtime call; the engine terminates a thread only after moving
 * IDLE → CLOSED, so never while ONNX Runtime runs in it (terminating there aborts the whole process with
 * "terminate called after throwing an instance of 'Napi::Error'"). A closed gate refuses further native calls.
 */
export const GATE_IDLE = 0;
export const GATE_NATIVE = 1;
export const GATE_CLOSED = 2;

export interface WorkerData {
  gate: SharedArrayBuffer;
}
