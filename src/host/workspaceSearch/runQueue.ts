// Scheduling of index runs without VS Code: one run at a time with later requests folded into one queued run, and a
// debounce for bursts (file events, keystrokes). Timers are injected so the unit tests drive time themselves.

/**
 * Runs one job at a time. A request made while a job runs is queued; further requests merge into that queued one
 * (so a burst of requests costs at most one more run). Each request's promise settles with the run that covers it.
 */
export class CoalescingRunner<R, T> {
  private running: Promise<T> | undefined;
  private queued: { request: R; promise: Promise<T> } | undefined;

  constructor(
    private readonly run: (request: R) => Promise<T>,
    private readonly merge: (queued: R, next: R) => R,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  request(request: R): Promise<T> {
    if (!this.running && !this.queued) return this.start(request);
    if (this.queued) {
      this.queued.request = this.merge(this.queued.request, request);
      return this.queued.promise;
    }
    const after = this.running!.then(noop, noop);
    const queued: { request: R; promise: Promise<T> } = {
      request,
      promise: after.then(() => {
        // Taken at start time, so requests merged in while waiting are included.
        this.queued = undefined;
        return this.start(queued.request);
      }),
    };
    this.queued = queued;
    return queued.promise;
  }

  /** Settles when nothing runs and nothing is queued. */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued?.promise ?? this.running)!.then(noop, noop);
  }

  private start(request: R): Promise<T> {
    const promise = this.run(request);
    this.running = promise;
    const clear = () => {
      if (this.running === promise) this.running = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }
}

function noop(): void {}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Calls `fire` once `delayMs` have passed since the last `trigger`. */
export class Debouncer {
  private handle: unknown;

  constructor(
    private readonly delayMs: number,
    private readonly fire: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  get pending(): boolean {
    return this.handle !== undefined;
  }

  trigger(): void {
    this.cancel();
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, this.delayMs);
  }

  cancel(): void {
    if (this.handle === undefined) return;
    this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
