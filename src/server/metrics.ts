/**
 * The server's Prometheus metrics, written in the text exposition format (version 0.0.4). A handful of counters and
 * histograms do not need a client library.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((le, i) => {
      if (value <= le) this.counts[i]! += 1;
    });
  }

  render(name: string, labels: string): string[] {
    const join = (extra: string) => `{${[labels, extra].filter(Boolean).join(',')}}`;
    return [
      ...this.buckets.map((le, i) => `${name}_bucket${join(`le="${le}"`)} ${this.counts[i]}`),
      `${name}_bucket${join('le="+Inf"')} ${this.count}`,
      `${name}_sum${labels ? `{${labels}}` : ''} ${this.sum}`,
      `${name}_count${labels ? `{${labels}}` : ''} ${this.count}`,
    ];
  }
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly batchTexts = new Histogram(BATCH_BUCKETS);
  private readonly batchRequests = new Histogram(BATCH_BUCKETS);
  private tokens = 0;
  private texts = 0;

  constructor(private readonly queueDepth: () => number) {}

  /** One answered request. `route` is the route pattern (never the raw URL, whose values a client chooses). */
  request(route: string, status: number, seconds: number): void {
    const key = `route="${label(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (status >= 400) {
      const errorKey = `route="${label(route)}",class="${status >= 500 ? 'server' : 'client'}"`;
      this.errors.set(errorKey, (this.errors.get(errorKey) ?? 0) + 1);
    }
    const histogramKey = `route="${label(route)}"`;
    let histogram = this.latency.get(histogramKey);
    if (!histogram) this.latency.set(histogramKey, (histogram = new Histogram(LATENCY_BUCKETS)));
    histogram.observe(seconds);
  }

  batch(requests: number, texts: number): void {
    this.batchRequests.observe(requests);
    this.batchTexts.observe(texts);
  }

  encoded(texts: number, tokens: number): void {
    this.texts += texts;
    this.tokens += tokens;
  }

  render(): string {
    const lines: string[] = [];
    const counterFamily = (name: string, help: string, values: Map<string, number>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}{${labels}} ${value}`);
    };
    counterFamily('minilm_requests_total', 'HTTP requests answered, by route and status.', this.requests);
    counterFamily('minilm_errors_total', 'HTTP requests answered with a 4xx (client) or 5xx (server) status.', this.errors);
    lines.push('# HELP minilm_request_duration_seconds Time from receiving a request to answering it.', '# TYPE minilm_request_duration_seconds histogram');
    for (const [labels, histogram] of this.latency) lines.push(...histogram.render('minilm_request_duration_seconds', labels));
    lines.push('# HELP minilm_queue_depth Requests waiting for the engine.', '# TYPE minilm_queue_depth gauge', `minilm_queue_depth ${this.queueDepth()}`);
    lines.push(
      '# HELP minilm_batch_requests Requests joined into one engine call.',
      '# TYPE minilm_batch_requests histogram',
      ...this.batchRequests.render('minilm_batch_requests', ''),
    );
    lines.push(
      '# HELP minilm_batch_texts Texts in one engine call.',
      '# TYPE minilm_batch_texts histogram',
      ...this.batchTexts.render('minilm_batch_texts', ''),
    );
    lines.push('# HELP minilm_texts_total Texts embedded.', '# TYPE minilm_texts_total counter', `minilm_texts_total ${this.texts}`);
    lines.push(
      '# HELP minilm_tokens_total Word pieces embedded, special tokens included.',
      '# TYPE minilm_tokens_total counter',
      `minilm_tokens_total ${this.tokens}`,
    );
    return `${lines.join('\n')}\n`;
  }
}
