/**
 * `minilm serve`'s HTTP application: OpenAI's `POST /v1/embeddings` and text-embeddings-inference's `POST /embed`,
 * `GET /info`, `GET /health`, `GET /metrics`, plus `GET /openapi.json`. Each API answers errors in its own shape:
 * OpenAI `{"error": {"message", "type", "param", "code"}}` under /v1, TEI `{"error", "error_type"}` elsewhere.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { Batcher, QueueFullError, RequestAbortedError, type EncodeVariant, type EncodedBatch } from './batcher';
import { ServerMetrics } from './metrics';
import { unpairedSurrogate } from '../core/utf8';
import {
  openAiEmbeddingsBody,
  openAiEmbeddingsResponse,
  openAiErrorSchema,
  teiEmbedBody,
  teiEmbedResponse,
  teiErrorSchema,
  teiInfoResponse,
  forModel,
  type OpenAiEmbeddingsBody,
  type TeiEmbedBody,
} from './schemas';

/** The model as the server sees it; `minilm serve` backs it with the engine, unit tests with a fake. */
export interface Embedder {
  modelId: string;
  modelSha: string | null;
  dtype: string;
  dimension: number;
  /** Word pieces the model reads, special tokens included; longer texts are cut or refused. */
  maxInputLength: number;
  /** Threads that tokenise (the engine tokenises in its inference workers). */
  tokenizationWorkers: number;
  /** The model's pooling mode as sentence-transformers names it (`mean`, `cls`, …), for /info. */
  pooling: string;
  /** The model's prompt names (`prompt_name` must be one of them) and the one applied when none is given. */
  promptNames: string[];
  defaultPromptName: string | null;
  /** Vectors (unit length unless `variant.normalize` is false) and word-piece counts (after truncation), in order. */
  encode(texts: string[], signal: AbortSignal, variant: EncodeVariant): Promise<EncodedBatch>;
  /** Which texts are longer than `maxInputLength` word pieces with the prompt applied (without running the model). */
  tooLong(texts: string[], signal: AbortSignal, promptName?: string): Promise<boolean[]>;
  /** False once the model failed (its worker stopped): /health answers 503. */
  healthy(): boolean;
}

export interface ServerOptions {
  /** Bearer token every route except /health requires; none when undefined. */
  apiKey?: string;
  maxBodyBytes: number;
  maxClientBatchSize: number;
  maxBatchTokens: number;
  /** Requests queued or running beyond which new ones get 429. */
  maxQueue: number;
  requestTimeoutMs: number;
  /** Default of TEI's `truncate`, and what /v1/embeddings does with long texts. */
  autoTruncate: boolean;
  version: string;
  /** Wait before an engine call while clients send concurrently (see BatcherOptions.lingerMs); default 0 (off). */
  batchLingerMs?: number;
  /** Engine calls run at once, one per inference worker (see BatcherOptions.maxConcurrentBatches); default 1. */
  concurrentBatches?: number;
}

type ApiFlavour = 'openai' | 'tei';

/** What validation messages say about the served model. */
type ModelFacts = Pick<Embedder, 'modelId' | 'dimension' | 'promptNames'>;

/** An error answered with a status and a message, in the shape of the API it was raised in. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly kind: { openai: string; tei: string; code?: string; param?: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const validation = (message: string, param?: string, code?: string) =>
  new HttpError(422, message, { openai: 'invalid_request_error', tei: 'Validation', param, code });

export async function buildServer(embedder: Embedder, options: ServerOptions): Promise<{ app: FastifyInstance; batcher: Batcher; metrics: ServerMetrics }> {
  const app = Fastify({
    bodyLimit: options.maxBodyBytes,
    // Never let ajv turn [1, 2] into ["1", "2"]: token ids must be recognised (and refused) as such.
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
    // Keep-alive connections of idle clients must not hold a shutdown.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // A "__proto__" or "constructor.prototype" key is dropped, as any other unknown field is, instead of failing the request.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
  });
  // Each path's methods, so that a known path asked with another method answers 405 with Allow.
  const routeMethods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = routeMethods.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    routeMethods.set(route.url, methods);
  });
  const batcher = new Batcher(embedder.encode.bind(embedder), {
    maxBatchTokens: options.maxBatchTokens,
    maxBatchTexts: options.maxClientBatchSize,
    maxQueue: options.maxQueue,
    maxConcurrentBatches: options.concurrentBatches ?? 1,
    // Every word piece covers at least one UTF-16 unit, plus [CLS] and [SEP]: an upper bound without the tokeniser.
    estimateTokens: (text) => Math.min(embedder.maxInputLength, text.length + 2),
    lingerMs: options.batchLingerMs ?? 0,
    onBatch: ({ requests, texts }) => metrics.batch(requests, texts),
  });
  const metrics = new ServerMetrics(() => batcher.queued);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'minilm serve', description: 'Sentence embeddings, OpenAI- and text-embeddings-inference-compatible.', version: options.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(options.apiKey ? { security: [{ bearer: [] }] } : {}),
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    metrics.request(request.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
  });

  /** Runs `texts` through the batcher with the request's timeout and its client's disconnect as signals. */
  const encode = async (
    request: FastifyRequest,
    reply: FastifyReply,
    texts: string[],
    truncate: boolean,
    variant: EncodeVariant = {},
  ): Promise<EncodedBatch> => {
    const gone = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) gone.abort(new Error('client disconnected'));
    });
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = AbortSignal.any([gone.signal, timeout]);
    try {
      if (!truncate) await refuseLongTexts(texts, signal, variant.promptName);
      const result = await batcher.submit(texts, signal, variant);
      metrics.encoded(
        texts.length,
        result.tokens.reduce((a, b) => a + b, 0),
      );
      return result;
    } catch (error) {
      if (timeout.aborted) {
        throw new HttpError(
          503,
          `The request did not finish within ${options.requestTimeoutMs / 1000} s (server busy). Retry later, or start the server with a larger --request-timeout.`,
          { openai: 'server_error', tei: 'Overloaded', code: 'timeout' },
          { 'retry-after': '1' },
        );
      }
      if (error instanceof QueueFullError)
        throw new HttpError(429, error.message, { openai: 'rate_limit_error', tei: 'Overloaded', code: 'rate_limit_exceeded' }, { 'retry-after': '1' });
      if (error instanceof RequestAbortedError || gone.signal.aborted) {
        request.log.info('client disconnected; its work was dropped');
        throw new HttpError(499, 'client closed the request', { openai: 'invalid_request_error', tei: 'Cancelled' });
      }
      throw error;
    }
  };

  const refuseLongTexts = async (texts: string[], signal: AbortSignal, promptName: string | undefined) => {
    // A prompt's own pieces count too, so with one every text is a candidate.
    const prompted = promptName !== undefined || embedder.defaultPromptName !== null;
    const candidates = texts.map((text, i) => [text, i] as const).filter(([text]) => prompted || text.length + 2 > embedder.maxInputLength);
    if (candidates.length === 0) return;
    const long = await embedder.tooLong(
      candidates.map(([text]) => text),
      signal,
      promptName,
    );
    const first = candidates.find((_, k) => long[k]);
    if (first) {
      throw new HttpError(
        413,
        `Input ${first[1]} is longer than the model's maximum of ${embedder.maxInputLength} word pieces. Shorten it, send "truncate": true (/embed), or start the server with --auto-truncate.`,
        { openai: 'invalid_request_error', tei: 'Validation', param: 'input', code: 'context_length_exceeded' },
      );
    }
  };

  const checkBatch = (texts: string[], param: string) => {
    if (texts.length === 0) throw validation(`"${param}" is an empty array: send at least one text.`, param);
    if (texts.length > options.maxClientBatchSize) {
      throw new HttpError(413, `${texts.length} inputs in one request; this server takes at most ${options.maxClientBatchSize} (--max-client-batch-size).`, {
        openai: 'invalid_request_error',
        tei: 'Validation',
        param,
      });
    }
    const empty = texts.findIndex((text) => text.length === 0);
    if (empty >= 0) throw validation(`Input ${empty} is empty: send at least one character.`, param);
    for (const [i, text] of texts.entries()) {
      const surrogate = unpairedSurrogate(text);
      if (surrogate)
        throw validation(`Input ${i} holds an unpaired surrogate (${surrogate}), which is not Unicode text: send the character whole or drop it.`, param);
    }
  };

  await app.register(
    async (v1) => {
      scopeErrors(v1, 'openai', options.apiKey, routeMethods, embedder);
      v1.post<{ Body: OpenAiEmbeddingsBody }>(
        '/embeddings',
        {
          schema: {
            summary: 'OpenAI-compatible embeddings',
            body: forModel(openAiEmbeddingsBody, embedder),
            response: { 200: openAiEmbeddingsResponse, '4xx': openAiErrorSchema, '5xx': openAiErrorSchema },
          },
        },
        async (request, reply) => {
          const body = request.body;
          const input = body.input;
          if (typeof input !== 'string' && input.some((item) => typeof item !== 'string')) {
            throw new HttpError(400, 'Token-id arrays are not supported by this server: send the text as a string or an array of strings.', {
              openai: 'invalid_request_error',
              tei: 'Validation',
              param: 'input',
            });
          }
          const texts = typeof input === 'string' ? [input] : (input as string[]);
          checkBatch(texts, 'input');
          const result = await encode(request, reply, texts, options.autoTruncate, { normalize: true });
          const base64 = body.encoding_format === 'base64';
          const tokens = result.tokens.reduce((a, b) => a + b, 0);
          return {
            object: 'list',
            data: result.vectors.map((vector, index) => ({ object: 'embedding', embedding: base64 ? float32Base64(vector) : Array.from(vector), index })),
            model: embedder.modelId,
            usage: { prompt_tokens: tokens, total_tokens: tokens },
          };
        },
      );
    },
    { prefix: '/v1' },
  );

  await app.register(async (tei) => {
    scopeErrors(tei, 'tei', options.apiKey, routeMethods, embedder);
    tei.post<{ Body: TeiEmbedBody }>(
      '/embed',
      {
        schema: {
          summary: 'text-embeddings-inference: embed',
          body: forModel(teiEmbedBody, embedder),
          response: { 200: teiEmbedResponse, '4xx': teiErrorSchema, '5xx': teiErrorSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const texts = typeof body.inputs === 'string' ? [body.inputs] : body.inputs;
        checkBatch(texts, 'inputs');
        const promptName = body.prompt_name ?? undefined;
        // As text-embeddings-inference: unit vectors unless the request says otherwise, whatever the model's last module.
        const result = await encode(request, reply, texts, body.truncate ?? options.autoTruncate, { promptName, normalize: body.normalize ?? true });
        return result.vectors.map((vector) => Array.from(vector));
      },
    );
    tei.get('/info', { schema: { summary: 'text-embeddings-inference: model and server facts', response: { 200: teiInfoResponse } } }, async () => ({
      model_id: embedder.modelId,
      model_sha: embedder.modelSha,
      model_dtype: embedder.dtype === 'q8' ? 'int8' : 'float32',
      model_type: { embedding: { pooling: embedder.pooling } },
      max_concurrent_requests: options.maxQueue,
      max_input_length: embedder.maxInputLength,
      max_batch_tokens: options.maxBatchTokens,
      max_batch_requests: null,
      max_client_batch_size: options.maxClientBatchSize,
      auto_truncate: options.autoTruncate,
      tokenization_workers: embedder.tokenizationWorkers,
      version: options.version,
      prompt_names: embedder.promptNames,
      default_prompt_name: embedder.defaultPromptName,
    }));
    tei.get('/health', { schema: { summary: '200 when the model is loaded and working', security: [] } }, async (_request, reply) => {
      if (!embedder.healthy()) return reply.code(503).send({ error: 'The model failed; restart the server.', error_type: 'Unhealthy' });
      return reply.code(200).send({});
    });
    tei.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_request, reply) => {
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
    });
    tei.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });

  return { app, batcher, metrics };
}

/** Authentication, validation, 404 and failures answered in one API's error shape, for one encapsulated scope. */
function scopeErrors(
  scope: FastifyInstance,
  flavour: ApiFlavour,
  apiKey: string | undefined,
  routeMethods: ReadonlyMap<string, ReadonlySet<string>>,
  model: ModelFacts,
): void {
  const send = (
    reply: FastifyReply,
    status: number,
    message: string,
    kind: { openai: string; tei: string; code?: string; param?: string },
    headers: Record<string, string> = {},
  ) => {
    reply.code(status).headers(headers);
    if (flavour === 'openai') return reply.send({ error: { message, type: kind.openai, param: kind.param ?? null, code: kind.code ?? null } });
    return reply.send({ error: message, error_type: kind.tei });
  };
  if (apiKey !== undefined) {
    const expected = crypto.createHash('sha256').update(`Bearer ${apiKey}`).digest();
    scope.addHook('onRequest', async (request, reply) => {
      if (request.url === '/health' || request.url.startsWith('/health?')) return;
      const given = crypto
        .createHash('sha256')
        .update(request.headers.authorization ?? '')
        .digest();
      if (!crypto.timingSafeEqual(given, expected)) {
        reply.header('www-authenticate', 'Bearer');
        return send(reply, 401, 'Missing or wrong API key: send the header "Authorization: Bearer <key>".', {
          openai: 'invalid_request_error',
          tei: 'Unauthorized',
          code: 'invalid_api_key',
        });
      }
    });
  }
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    const allowed = routeMethods.get(path);
    if (allowed) {
      const allow = [...allowed].sort().join(', ');
      return send(
        reply,
        405,
        `${path} does not take ${request.method}; it takes ${allow}.`,
        { openai: 'invalid_request_error', tei: 'MethodNotAllowed' },
        { allow },
      );
    }
    return send(
      reply,
      404,
      `No route ${request.method} ${path}. Routes: POST /v1/embeddings, POST /embed, GET /info, GET /health, GET /metrics, GET /openapi.json.`,
      { openai: 'invalid_request_error', tei: 'NotFound' },
    );
  };
  scope.setNotFoundHandler(notFound);
  scope.setErrorHandler((caught: FastifyError | HttpError | Error, request, reply) => {
    // A body the not-found route could not parse (a QUERY without Content-Type): the route, not the body, is wrong.
    if (request.is404) return notFound(request, reply);
    const error = plainValidationError(caught, model) ?? caught;
    if (error instanceof HttpError) {
      // 499: the client is gone, nobody reads the answer; the status only reaches the metrics and the log.
      // OpenAI answers every invalid request with 400; TEI uses 422 for what it validates.
      const status = flavour === 'openai' && error.statusCode === 422 ? 400 : error.statusCode;
      return send(reply, status, error.message, error.kind, error.headers);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const first = fastifyError.validation[0];
      const param = first?.instancePath
        ? first.instancePath.replace(/^\//, '').split('/')[0]
        : (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const status = flavour === 'openai' ? 400 : 422;
      return send(reply, status, `Invalid request: ${fastifyError.message}`, { openai: 'invalid_request_error', tei: 'Validation', param });
    }
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const message =
        fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The request body is larger than this server accepts (--max-body).' : fastifyError.message;
      return send(reply, status, message, { openai: 'invalid_request_error', tei: 'Validation', code: fastifyError.code ?? undefined });
    }
    request.log.error(error);
    return send(reply, flavour === 'openai' ? 500 : 424, `Inference failed: ${error.message}`, { openai: 'server_error', tei: 'Backend' });
  });
}

/**
 * The schema's failures that have a plainer message than ajv's: an empty text ("minLength") and a dimension other
 * than the model's ("enum" on dimensions). The schema states both, so that clients generated from it know.
 */
function plainValidationError(error: Error, model: ModelFacts): HttpError | undefined {
  const failures = (error as FastifyError).validation ?? [];
  const empty = failures.find((v) => v.keyword === 'minLength');
  if (empty) {
    const index = /\/(\d+)$/.exec(empty.instancePath)?.[1] ?? '0';
    return validation(`Input ${index} is empty: send at least one character.`, empty.instancePath.replace(/^\//, '').split('/')[0]);
  }
  const dimensions = failures.find((v) => v.instancePath === '/dimensions');
  if (dimensions)
    return validation(`This model's embeddings have ${model.dimension} dimensions; "dimensions" must be ${model.dimension} or left out.`, 'dimensions');
  if (failures.some((v) => v.instancePath === '/truncation_direction')) {
    return validation('"truncation_direction" must be "Right": long texts keep their beginning ("Left" is not supported).', 'truncation_direction');
  }
  const prompt = failures.find((v) => v.instancePath === '/prompt_name');
  if (prompt) {
    const known = model.promptNames.length > 0 ? `its prompts are ${model.promptNames.map((n) => `"${n}"`).join(', ')}` : 'it has no prompts';
    return validation(`"prompt_name" must be a prompt of ${model.modelId}: ${known}.`, 'prompt_name');
  }
  return undefined;
}

/** OpenAI's base64 encoding: the vector's float32 values as little-endian bytes. */
export function float32Base64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}
