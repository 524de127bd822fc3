import type { SerializedEngineError } from './errors';
import type { Dtype, TokenCount } from './types';

/** Messages from the engine to its worker. Every request carries an id that its reply repeats. */
export type WorkerRequest =
  | { id: number; kind: 'load'; dir: string; dtype: Dtype; threads: number }
  | { id: number; kind: 'encode'; texts: string[]; batchSize: number }
  | { id: number; kind: 'tokenize'; texts: string[] }
  | { id: number; kind: 'cancel'; target: number }
  /** Finish what is running (cancelled requests stop at their next batch), release the session, end the thread. */
  | { id: number; kind: 'dispose' };

/** Messages from the worker. */
export type WorkerReply =
  | { id: number; kind: 'loaded' }
  | { id: number; kind: 'encoded'; vectors: Float32Array[]; tokens: TokenCount[] }
  | { id: number; kind: 'tokenized'; tokens: TokenCount[] }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'failed'; error: SerializedEngineError };
