/** Machine-readable reason for an engine failure; the message always says what to do next. */
export type EngineErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_CORRUPT'
  /** The folder is a model, but uses a module, pooling mode or activation the engine does not run. */
  | 'MODEL_UNSUPPORTED'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'INVALID_INPUT'
  | 'WRONG_DIMENSION'
  | 'CANCELLED'
  | 'WORKER_FAILED'
  | 'DISPOSED'
  /** A remote backend could not be reached (connection refused, host unknown, no answer in time). */
  | 'REMOTE_UNREACHABLE'
  /** A remote backend refused the API key (401/403). */
  | 'REMOTE_UNAUTHORIZED'
  /** A remote backend does not know the model or the route (404). */
  | 'REMOTE_NOT_FOUND'
  /** A remote backend answered with something that is not one vector of numbers per text. */
  | 'REMOTE_BAD_RESPONSE'
  /** A remote backend answered with another error status. */
  | 'REMOTE_FAILED'
  /** What was asked needs the local model (token embeddings, say), and a remote backend is set. */
  | 'REMOTE_UNSUPPORTED';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof EngineError ? error.code === 'CANCELLED' : (error as { name?: string } | null)?.name === 'AbortError';
}

export function cancelled(): EngineError {
  return new EngineError('CANCELLED', 'The operation was cancelled.');
}

/** Plain-object form that survives postMessage between the worker and the caller. */
export interface SerializedEngineError {
  code: EngineErrorCode;
  message: string;
}

export function serializeError(error: unknown): SerializedEngineError {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'WORKER_FAILED', message };
}

export function deserializeError(error: SerializedEngineError): EngineError {
  return new EngineError(error.code, error.message);
}

/**
 * Settles like `promise`, or rejects with a cancellation error as soon as `signal` aborts: the caller stops waiting
 * while the shared work (a load other callers wait for) goes on.
 */
export function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
