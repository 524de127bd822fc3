/**
 * Batching across requests, as text-embeddings-inference does it: requests queue; while the engine is busy the
 * queue fills, and the next engine call takes the queued requests, oldest first, up to a word-piece budget. Results
 * are split back per request, in order. Up to `maxConcurrentBatches` engine calls run at once (one per inference
 * worker): a lone request starts at once on a free worker, and requests queued while several workers are free are
 * shared out evenly between them. A request whose signal aborts while queued is dropped; a running batch is
 * cancelled only when every request in it has gone. Requests that ask for different encodings (a prompt name, no
 * normalisation) never share an engine call: a call takes the oldest request and those queued after it that ask for
 * the same.
 */

/** What one engine call returns: one vector and one word-piece count per text, in order. */
export interface EncodedBatch {
  vectors: Float32Array[];
  tokens: number[];
}

/** How a request wants its texts encoded, beyond the texts: the model's default when a field is absent. */
export interface EncodeVariant {
  promptName?: string;
  normalize?: boolean;
}

export type EncodeBatch = (texts: string[], signal: AbortSignal, variant: EncodeVariant) => Promise<EncodedBatch>;

export interface BatcherOptions {
  /** Word pieces one engine call may hold, by `estimateTokens`; a single larger request still runs, alone. */
  maxBatchTokens: number;
  /** Texts one engine call may hold (a single larger request still runs, alone). */
  maxBatchTexts: number;
  /** Requests waiting or running beyond which `submit` refuses with QueueFullError. */
  maxQueue: number;
  /** Engine calls running at once (the engine's inference workers); default 1. */
  maxConcurrentBatches?: number;
  /** An upper bound of a text's word pieces, cheap to compute (no tokeniser). */
  estimateTokens: (text: string) => number;
  /**
   * After an engine call that held several requests, wait this long before the next one: their clients send their
   * next requests a little apart, and without the wait the first of them would start a call alone. Never used while
   * requests come one at a time, so a lone client pays nothing. 0 turns it off.
   */
  lingerMs?: number;
  /**
   * With several workers, how long a request that finds every worker idle may wait for the rest of an even share
   * while clients have recently been sending concurrently (default 2 ms). A lone client waits at most once.
   */
  gatherMs?: number;
  /** Called when an engine call starts: its requests, texts and estimated tokens. */
  onBatch?: (batch: { requests: number; texts: number; tokens: number }) => void;
}

export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`The server is busy: ${limit} requests are already queued or running. Retry later.`);
    this.name = 'QueueFullError';
  }
}

/** The request's own signal aborted (client gone or timed out) before its result was ready. */
export class RequestAbortedError extends Error {
  constructor(readonly reason: unknown) {
    super('The request was cancelled before it was encoded.');
    this.name = 'AbortError';
  }
}

interface Job {
  texts: string[];
  variant: EncodeVariant;
  /** Equal for requests that may share an engine call. */
  variantKey: string;
  cost: number;
  signal: AbortSignal | undefined;
  resolve: (result: EncodedBatch) => void;
  reject: (error: unknown) => void;
  detach: () => void;
  /** Set once the job left the queue, so an abort after that does not touch the queue. */
  batch?: RunningBatch;
  settled: boolean;
}

interface RunningBatch {
  jobs: Job[];
  controller: AbortController;
}

export class Batcher {
  private readonly queue: Job[] = [];
  private readonly running = new Set<RunningBatch>();
  private scheduled = false;
  /** Requests of the last engine call: more than one means clients are sending concurrently. */
  private lastBatchRequests = 0;
  private idleWaiters: (() => void)[] = [];
  /** Requests recently in flight at once: how many clients are sending concurrently. */
  private concurrency = 0;
  private gatherTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly encode: EncodeBatch,
    private readonly options: BatcherOptions,
  ) {}

  /** Requests waiting for the engine (not yet in a running batch). */
  get queued(): number {
    return this.queue.length;
  }

  /** Requests waiting or running. */
  get pending(): number {
    let running = 0;
    for (const batch of this.running) running += batch.jobs.filter((j) => !j.settled).length;
    return this.queue.length + running;
  }

  /** Queues `texts`; resolves with their vectors and word-piece counts, in order. */
  submit(texts: string[], signal?: AbortSignal, variant: EncodeVariant = {}): Promise<EncodedBatch> {
    if (signal?.aborted) return Promise.reject(new RequestAbortedError(signal.reason));
    if (this.pending >= this.options.maxQueue) return Promise.reject(new QueueFullError(this.options.maxQueue));
    return new Promise<EncodedBatch>((resolve, reject) => {
      const job: Job = {
        texts,
        variant,
        variantKey: JSON.stringify([variant.promptName ?? null, variant.normalize ?? null]),
        cost: texts.reduce((sum, text) => sum + this.options.estimateTokens(text), 0),
        signal,
        resolve,
        reject,
        detach: () => undefined,
        settled: false,
      };
      if (signal) {
        const onAbort = () => this.abandon(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.concurrency = Math.max(this.concurrency, this.pending);
      this.schedule();
    });
  }

  /** Resolves when nothing is queued or running (for a graceful shutdown). */
  idle(): Promise<void> {
    if (this.pending === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Requests that arrive in the same turn of the event loop join one batch. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const linger = this.lastBatchRequests > 1 ? (this.options.lingerMs ?? 0) : 0;
    const run = () => {
      this.scheduled = false;
      this.pump();
    };
    if (linger > 0) setTimeout(run, linger);
    else setImmediate(run);
  }

  /**
   * The oldest queued request and the next ones that ask for the same encoding, at most `maxJobs` of them and within
   * the budgets (one request always).
   */
  private take(maxJobs: number): Job[] {
    const jobs: Job[] = [];
    const key = this.queue[0]?.variantKey;
    let tokens = 0;
    let texts = 0;
    for (let i = 0; i < this.queue.length && jobs.length < maxJobs;) {
      const next = this.queue[i]!;
      if (next.variantKey !== key) {
        i++;
        continue;
      }
      const fits = tokens + next.cost <= this.options.maxBatchTokens && texts + next.texts.length <= this.options.maxBatchTexts;
      if (jobs.length > 0 && !fits) break;
      this.queue.splice(i, 1);
      jobs.push(next);
      tokens += next.cost;
      texts += next.texts.length;
    }
    return jobs;
  }

  /**
   * Starts engine calls while workers are free, each with an even share of the requests in flight (the clients
   * sending concurrently): a worker that took each request as it arrived would mostly run batches of one, and a
   * batch of one costs about twice as much per text as a batch of four (small matrix products use a core poorly).
   * While another call runs, a free worker waits for its share at most until a call ends; with every worker idle, at
   * most `gatherMs`, after which the remembered concurrency is lowered to what came. A lone client never waits but
   * once after concurrent traffic; with one worker, whatever is queued starts as soon as the worker is free.
   */
  private pump(): void {
    const slots = this.options.maxConcurrentBatches ?? 1;
    if (this.queue.length === 0) {
      if (this.running.size === 0) this.notifyIdle();
      return;
    }
    if (this.running.size >= slots) return;
    const share = Math.ceil(Math.max(this.pending, this.concurrency) / slots);
    if (slots > 1 && this.queue.length < share) {
      if (this.running.size === 0 && !this.gatherTimer) {
        this.gatherTimer = setTimeout(() => {
          this.gatherTimer = undefined;
          this.concurrency = this.pending;
          this.pump();
        }, this.options.gatherMs ?? 2);
      }
      return;
    }
    clearTimeout(this.gatherTimer);
    this.gatherTimer = undefined;
    while (this.running.size < slots && this.queue.length > 0) {
      void this.start(this.take(Math.ceil(this.queue.length / (slots - this.running.size))));
    }
  }

  private async start(jobs: Job[]): Promise<void> {
    const batch: RunningBatch = { jobs, controller: new AbortController() };
    for (const job of jobs) job.batch = batch;
    this.running.add(batch);
    this.lastBatchRequests = jobs.length;
    const texts = jobs.length === 1 ? jobs[0]!.texts : jobs.flatMap((job) => job.texts);
    this.options.onBatch?.({ requests: jobs.length, texts: texts.length, tokens: jobs.reduce((sum, job) => sum + job.cost, 0) });
    try {
      const result = await this.encode(texts, batch.controller.signal, jobs[0]!.variant);
      let offset = 0;
      for (const job of jobs) {
        const end = offset + job.texts.length;
        this.settle(job, () =>
          job.resolve(jobs.length === 1 ? result : { vectors: result.vectors.slice(offset, end), tokens: result.tokens.slice(offset, end) }),
        );
        offset = end;
      }
    } catch (error) {
      for (const job of jobs) this.settle(job, () => job.reject(error));
    } finally {
      this.running.delete(batch);
    }
    if (this.queue.length > 0) this.schedule();
    else if (this.running.size === 0) this.notifyIdle();
  }

  /** A job whose client went away: out of the queue, or, when its whole batch has gone, the batch is cancelled. */
  private abandon(job: Job): void {
    if (job.settled) return;
    this.settle(job, () => job.reject(new RequestAbortedError(job.signal?.reason)));
    const batch = job.batch;
    if (!batch) {
      const index = this.queue.indexOf(job);
      if (index >= 0) this.queue.splice(index, 1);
      if (this.queue.length === 0 && this.running.size === 0) this.notifyIdle();
      return;
    }
    if (batch.jobs.every((j) => j.settled)) batch.controller.abort(new RequestAbortedError('every request of the batch was cancelled'));
  }

  private settle(job: Job, action: () => void): void {
    if (job.settled) return;
    job.settled = true;
    job.detach();
    action();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
