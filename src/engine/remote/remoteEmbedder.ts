import { EmbeddingCache } from '../embeddingCache';
import { EngineError, cancelled, isCancellation } from '../errors';
import type { EncodeOptions } from '../types';
import { API_SHAPES } from './remoteApis';
import { requestBatches, limitsFromTeiInfo } from './remoteLimits';
import { DEFAULT_POLICY, describe, requestJson, type BackendPlace, type RequestPolicy } from './remoteRequest';
import { CLI_NAMES, DEFAULT_ENDPOINT, DEFAULT_REMOTE_MODEL, type RemoteApi, type RemoteDescription, type ServerLimits, type SettingNames } from './remoteTypes';

export interface RemoteEmbedderOptions {
  api: RemoteApi;
  /** Base URL: TEI's root, an OpenAI-compatible base ending in /v1, Ollama's root (default http://127.0.0.1:11434). */
  endpoint?: string;
  /** Model name sent to an OpenAI-compatible or Ollama server (TEI serves one model and ignores it). */
  model?: string;
  /**
   * Scale vectors to unit length, as a model ending in Normalize does (all-MiniLM-L6-v2 does). TEI is asked for
   * normalised vectors; the others are normalised here. Default true.
   */
  normalize?: boolean;
  /**
   * Prompt texts by name, for `promptName` (prepended here: a server applies only its own default prompt). Default:
   * sentence-transformers' "query" and "document", both empty.
   */
  prompts?: Readonly<Record<string, string>>;
  /** Texts per request at most (the server's own limit, when it publishes one, may lower it). Default 32. */
  batchSize?: number;
  /**
   * Requests in flight at once (default 4): a server batches concurrent requests together, and replicas behind a
   * load balancer serve them in parallel. Vectors keep the input order whatever order the answers come in.
   */
  concurrency?: number;
  policy?: Partial<RequestPolicy>;
  /**
   * Vectors already fetched, keyed by backend, endpoint, model, prompt and text (never by a local model folder, so
   * they cannot mix with local vectors). Pass one to share it between embedders (the extension keeps one across
   * settings changes); default: this embedder's own, of REMOTE_CACHE_BYTES.
   */
  cache?: EmbeddingCache<Float32Array>;
  /** What error messages call the settings: the CLI's options by default. */
  names?: SettingNames;
  log?: (message: string) => void;
}

/** Requests in flight at once by default: enough to keep a server's batcher fed, few enough not to queue up. */
export const DEFAULT_CONCURRENCY = 4;

/** Bytes of vectors an embedder keeps by default (as the local engine's default cache). */
export const REMOTE_CACHE_BYTES = 64 * 1024 * 1024;

/** A cache of remote vectors bounded by bytes. */
export function remoteVectorCache(maxBytes = REMOTE_CACHE_BYTES): EmbeddingCache<Float32Array> {
  return new EmbeddingCache<Float32Array>({ maxBytes }, (vector) => vector.byteLength);
}

/** Distance from 1 within which a vector counts as unit length (float32 sums of 384 squares). */
const UNIT_TOLERANCE = 1e-3;

/**
 * Embeds texts on a serving engine — text-embeddings-inference, an OpenAI-compatible server or Ollama — with the
 * local engine's `encode` contract: one vector per text, in input order. Requests are sized to the server's
 * published limits, sent a few at a time, retried on 429/503 and cancellable.
 */
export class RemoteEmbedder {
  readonly api: RemoteApi;
  readonly endpoint: string;
  private readonly base: URL;
  private readonly model: string | undefined;
  private readonly normalize: boolean;
  private readonly prompts: Readonly<Record<string, string>>;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly policy: RequestPolicy;
  private readonly log: (message: string) => void;
  private readonly names: SettingNames;
  private readonly cache: EmbeddingCache<Float32Array>;
  private description: Promise<RemoteDescription> | undefined;
  private knownDimension: number | undefined;
  private unitVectors: boolean | undefined;

  /** Throws EngineError INVALID_INPUT for an endpoint that is not an http(s) URL. */
  constructor(options: RemoteEmbedderOptions) {
    this.api = options.api;
    const names = options.names ?? CLI_NAMES;
    this.names = names;
    const endpoint = options.endpoint ?? DEFAULT_ENDPOINT[options.api];
    if (endpoint === undefined || endpoint.trim() === '') {
      throw new EngineError('INVALID_INPUT', `the ${options.api} backend needs its address: give ${names.endpoint} (e.g. ${exampleEndpoint(options.api)}).`);
    }
    let url: URL;
    try {
      url = new URL(endpoint.trim());
    } catch {
      throw new EngineError('INVALID_INPUT', `${names.endpoint} ${endpoint} is not a URL: give it as ${exampleEndpoint(options.api)}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new EngineError('INVALID_INPUT', `${names.endpoint} ${endpoint} must start with http:// or https://.`);
    if (url.username || url.password)
      throw new EngineError('INVALID_INPUT', `${names.endpoint} must not hold a user name or password: give the key with ${names.apiKey}.`);
    // Routes are resolved relative to the base, so it must end in a slash (…/v1/ + embeddings).
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.base = url;
    this.endpoint = url.href.replace(/\/$/, '');
    this.model = options.model ?? DEFAULT_REMOTE_MODEL[options.api];
    this.normalize = options.normalize ?? true;
    this.prompts = options.prompts ?? { query: '', document: '' };
    this.batchSize = options.batchSize ?? 32;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.log = options.log ?? (() => undefined);
    this.cache = options.cache ?? remoteVectorCache();
  }

  /** Width of the vectors, once a request has returned some (see `dimension` to ask for it). */
  get dimensionKnown(): number | undefined {
    return this.knownDimension;
  }

  /** Whether every vector the server returned so far already had unit length (undefined before any). */
  get serverNormalized(): boolean | undefined {
    return this.unitVectors;
  }

  /** The model's identity and the server's limits (TEI: from GET /info, asked once). */
  describe(signal?: AbortSignal): Promise<RemoteDescription> {
    if (!this.description) {
      this.description = this.fetchDescription(signal);
      this.description.catch(() => (this.description = undefined));
    }
    return this.description;
  }

  /** Width of the model's vectors; embeds one short text when no request has told it yet. */
  async dimension(signal?: AbortSignal): Promise<number> {
    if (this.knownDimension === undefined) this.knownDimension = (await this.encode(['dimension'], { signal }))[0]!.length;
    return this.knownDimension;
  }

  /**
   * One vector per text, in input order. `prompt` (or a `promptName` of `prompts`) is put before each text here;
   * without either, the server applies its own default prompt, if it has one.
   */
  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new EngineError('INVALID_INPUT', 'Expected an array of strings.');
    if (options.signal?.aborted) throw cancelled();
    const prefix = this.promptText(options);
    if (texts.length === 0) return [];
    // The prompt is part of the key as given: without one, the server's own default applies, the same each time.
    const explicitPrompt = options.prompt !== undefined || options.promptName !== undefined ? prefix : undefined;
    const keyOf = (text: string) => EmbeddingCache.key({ dir: this.cacheIdentity, dtype: `remote:${this.api}` }, text, explicitPrompt, this.normalize);
    const results = new Array<Float32Array | undefined>(texts.length);
    const missing: string[] = [];
    const slotsOf = new Map<string, number[]>();
    texts.forEach((text, i) => {
      const hit = this.cache.get(keyOf(text));
      if (hit) results[i] = hit;
      else if (slotsOf.has(text)) slotsOf.get(text)!.push(i);
      else {
        slotsOf.set(text, [i]);
        missing.push(text);
      }
    });
    if (missing.length === 0) {
      options.onProgress?.({ done: 1, total: 1 });
      return results as Float32Array[];
    }
    const fetched = await this.fetchVectors(prefix ? missing.map((t) => prefix + t) : missing, options);
    missing.forEach((text, k) => {
      this.cache.set(keyOf(text), fetched[k]!);
      for (const i of slotsOf.get(text)!) results[i] = fetched[k]!;
    });
    return results as Float32Array[];
  }

  /** What the cache keys vectors by besides the text: which backend, where, and which model it was asked for. */
  private get cacheIdentity(): string {
    return `${this.api}\u0000${this.endpoint}\u0000${this.model ?? ''}`;
  }

  /** Vectors for `sent` (prompts already applied) from the server, in requests sized to its limits. */
  private async fetchVectors(sent: readonly string[], options: EncodeOptions): Promise<Float32Array[]> {
    const { limits } = await this.describe(options.signal);
    const batches = requestBatches(sent, options.batchSize ?? this.batchSize, limits);
    const shape = API_SHAPES[this.api];
    const url = new URL(shape.embedPath, this.base);
    const results = new Array<Float32Array[]>(batches.length);
    // The first failure stops the requests still to be sent and those in flight.
    const failed = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
    let next = 0;
    let done = 0;
    const sender = async () => {
      while (next < batches.length) {
        const k = next++;
        const slice = sent.slice(batches[k]!.start, batches[k]!.end);
        const answer = await requestJson(url, shape.body(slice, this.model, this.normalize), this.place, this.policy, signal);
        results[k] = this.checkedVectors(shape.vectors(answer), slice.length);
        options.onProgress?.({ done: ++done, total: batches.length });
      }
    };
    const senders = Array.from({ length: Math.min(this.concurrency, batches.length) }, () =>
      sender().catch((error: unknown) => {
        failed.abort();
        throw error;
      }),
    );
    const errors = (await Promise.allSettled(senders)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // The error that stopped the others, not the cancellations it caused.
    if (errors.length > 0) throw errors.find((e) => !isCancellation(e)) ?? errors[0];
    return results.flat();
  }

  /** Nothing to release: requests end with their call. Here so that a remote embedder stands where an engine does. */
  async dispose(): Promise<void> {}

  private get place(): BackendPlace {
    return { api: this.api, endpoint: this.endpoint, names: this.names };
  }

  private async fetchDescription(signal?: AbortSignal): Promise<RemoteDescription> {
    if (this.api !== 'tei') return { api: this.api, endpoint: this.endpoint, model: this.model!, limits: {} };
    const info = (await requestJson(new URL('info', this.base), undefined, this.place, this.policy, signal)) as { model_id?: unknown };
    if (typeof info?.model_id !== 'string' || info.model_id === '') {
      throw new EngineError(
        'REMOTE_BAD_RESPONSE',
        `${describe(this.place)} answered GET /info without a "model_id": is ${this.names.endpoint} a text-embeddings-inference server?`,
      );
    }
    const limits: ServerLimits = limitsFromTeiInfo(info);
    this.log(
      `${describe(this.place)} serves ${info.model_id} (max ${limits.maxClientBatchSize ?? '?'} texts, ${limits.maxBatchTokens ?? '?'} tokens per request)`,
    );
    return { api: this.api, endpoint: this.endpoint, model: info.model_id, limits };
  }

  private promptText(options: EncodeOptions): string {
    if (options.prompt !== undefined) return options.prompt;
    if (options.promptName === undefined) return '';
    const text = this.prompts[options.promptName];
    if (text === undefined) {
      throw new EngineError(
        'INVALID_INPUT',
        `prompt "${options.promptName}" is not known for ${describe(this.place)} (a server applies only its own default prompt): give the prompt text with ${this.names.prompt} instead.`,
      );
    }
    return text;
  }

  /** The answer's vectors as float32, after checking count, numbers and width; normalised when asked. */
  private checkedVectors(raw: unknown[] | string, expected: number): Float32Array[] {
    const bad = (why: string) => new EngineError('REMOTE_BAD_RESPONSE', `${describe(this.place)} gave an answer this client cannot use: ${why}.`);
    if (typeof raw === 'string') throw bad(raw);
    if (raw.length !== expected) throw bad(`${raw.length} vectors for ${expected} texts`);
    return raw.map((values, i) => {
      if (!Array.isArray(values) || values.length === 0) throw bad(`vector ${i} is not a list of numbers`);
      if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad(`vector ${i} holds a value that is not a finite number`);
      if (this.knownDimension !== undefined && values.length !== this.knownDimension)
        throw bad(`vector ${i} has ${values.length} dimensions, earlier ones ${this.knownDimension}`);
      this.knownDimension = values.length;
      const vector = Float32Array.from(values as number[]);
      let squares = 0;
      for (const v of vector) squares += v * v;
      const norm = Math.sqrt(squares);
      const unit = Math.abs(norm - 1) <= UNIT_TOLERANCE;
      if (this.unitVectors === undefined) {
        this.log(
          `${describe(this.place)} returns ${unit ? 'unit-length' : `non-unit (norm ${norm.toFixed(3)})`} vectors; ${this.normalize ? 'scaled to unit length here' : 'kept as they are (--no-normalize)'}`,
        );
      }
      this.unitVectors = (this.unitVectors ?? true) && unit;
      if (this.normalize && norm > 0) for (let d = 0; d < vector.length; d++) vector[d]! /= norm;
      return vector;
    });
  }
}

function exampleEndpoint(api: RemoteApi): string {
  return api === 'openai' ? 'http://127.0.0.1:8080/v1' : api === 'ollama' ? 'http://127.0.0.1:11434' : 'http://127.0.0.1:8080';
}
