import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildServer, float32Base64, type Embedder, type ServerOptions } from '../../../src/server/app';
import type { EncodeVariant } from '../../../src/server/batcher';

/**
 * A model without the model: vectors hold the text length (times 10 when not normalised); `hold` keeps calls waiting
 * until released; `variants` records what each engine call was asked for.
 */
function fakeEmbedder(hold = false) {
  const waiting: (() => void)[] = [];
  const variants: EncodeVariant[] = [];
  const embedder: Embedder = {
    modelId: 'fake-model',
    modelSha: null,
    dtype: 'fp32',
    dimension: 2,
    pooling: 'cls',
    maxInputLength: 16,
    tokenizationWorkers: 1,
    promptNames: ['query', 'passage'],
    defaultPromptName: null,
    encode: async (texts, signal, variant) => {
      variants.push(variant);
      if (hold)
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve);
          signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        });
      const scale = variant.normalize === false ? 10 : 1;
      return { vectors: texts.map((t) => Float32Array.of(t.length * scale, 0.5)), tokens: texts.map((t) => Math.min(16, t.length + 2)) };
    },
    // The prompt "query" counts 4 word pieces.
    tooLong: async (texts, _signal, promptName) => texts.map((t) => t.length + 2 + (promptName === 'query' ? 4 : 0) > 16),
    healthy: () => true,
  };
  return { embedder, variants, release: () => waiting.splice(0).forEach((r) => r()) };
}

const defaults: ServerOptions = {
  maxBodyBytes: 4096,
  maxClientBatchSize: 4,
  maxBatchTokens: 1024,
  maxQueue: 8,
  requestTimeoutMs: 60_000,
  autoTruncate: false,
  version: 'test',
};

describe('server app (fake model)', () => {
  let app: FastifyInstance;
  const start = async (options: Partial<ServerOptions> = {}, embedder = fakeEmbedder().embedder) => {
    app = (await buildServer(embedder, { ...defaults, ...options })).app;
    await app.ready();
    return app;
  };
  afterEach(async () => app?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });

  it('answers /v1/embeddings in OpenAI shape, float and base64, and echoes the served model id', async () => {
    await start();
    const float = await post('/v1/embeddings', { input: ['ab', 'c'], model: 'anything' });
    assert.equal(float.statusCode, 200);
    assert.deepEqual(float.json(), {
      object: 'list',
      data: [
        { object: 'embedding', embedding: [2, 0.5], index: 0 },
        { object: 'embedding', embedding: [1, 0.5], index: 1 },
      ],
      model: 'fake-model',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    const base64 = await post('/v1/embeddings', { input: 'ab', encoding_format: 'base64' });
    assert.equal(base64.json().data[0].embedding, float32Base64(Float32Array.of(2, 0.5)));
    const bytes = Buffer.from(base64.json().data[0].embedding, 'base64');
    assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4)], [2, 0.5]);
  });

  it('refuses token ids, wrong dimensions, bad fields and empty inputs in OpenAI error shape', async () => {
    await start();
    for (const body of [
      { input: [1, 2] },
      { input: [[1, 2]] },
      { input: 'a', dimensions: 3 },
      { input: 'a', encoding_format: 'hex' },
      { input: '' },
      { input: [] },
      { model: 'x' },
      { input: 'a', model: 5 },
    ]) {
      const response = await post('/v1/embeddings', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      const error = response.json().error;
      assert.equal(typeof error.message, 'string');
      assert.equal(error.type, 'invalid_request_error');
      assert.ok('param' in error && 'code' in error);
    }
    assert.equal((await post('/v1/embeddings', { input: 'a', dimensions: 2 })).statusCode, 200);
    const wrong = await post('/embed', { inputs: 'a', dimensions: 3 });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().error, 'This model\'s embeddings have 2 dimensions; "dimensions" must be 2 or left out.');
    assert.equal((await post('/embed', { inputs: 'a', dimensions: null })).statusCode, 200);
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.match(JSON.stringify(spec.paths['/v1/embeddings'].post.requestBody), /"dimensions":\{[^}]*"enum":\[2,null\]/);
  });

  it('answers /embed as TEI, refuses what the engine cannot do with 422 in TEI shape', async () => {
    await start();
    const ok = await post('/embed', { inputs: 'abc' });
    assert.deepEqual(ok.json(), [[3, 0.5]]);
    for (const body of [
      { inputs: 'a', prompt_name: 'qurey' },
      { inputs: 'a', prompt_name: 5 },
      { inputs: 'a', normalize: 'no' },
      { inputs: 'a', truncation_direction: 'Left' },
      { inputs: 5 },
      { input: 'a' },
    ]) {
      const response = await post('/embed', body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assert.equal(response.json().error_type, 'Validation');
    }
  });

  it("passes /embed's prompt_name and normalize to the engine; /v1/embeddings always asks for unit vectors", async () => {
    const fake = fakeEmbedder();
    await start({}, fake.embedder);
    assert.deepEqual((await post('/embed', { inputs: 'abc', normalize: false, prompt_name: 'query' })).json(), [[30, 0.5]]);
    assert.deepEqual((await post('/embed', { inputs: 'abc', prompt_name: null })).json(), [[3, 0.5]]);
    assert.equal((await post('/v1/embeddings', { input: 'abc' })).statusCode, 200);
    assert.deepEqual(fake.variants, [{ promptName: 'query', normalize: false }, { promptName: undefined, normalize: true }, { normalize: true }]);
    const unknown = await post('/embed', { inputs: 'abc', prompt_name: 'qurey' });
    assert.equal(unknown.json().error, '"prompt_name" must be a prompt of fake-model: its prompts are "query", "passage".');
    assert.equal((await post('/v1/embeddings', { input: [] })).statusCode, 400);
    const left = await post('/embed', { inputs: 'abc', truncation_direction: 'Left' });
    assert.match(left.json().error, /"truncation_direction" must be "Right"/);
    assert.equal((await post('/embed', { inputs: 'abc', truncation_direction: 'right' })).statusCode, 200);
    const info = await app.inject({ method: 'GET', url: '/info' });
    assert.deepEqual([info.json().prompt_names, info.json().default_prompt_name], [['query', 'passage'], null]);
  });

  it("counts the prompt's word pieces when it refuses a long text", async () => {
    await start();
    const text = 'x'.repeat(12);
    assert.equal((await post('/embed', { inputs: text })).statusCode, 200);
    assert.equal((await post('/embed', { inputs: text, prompt_name: 'query' })).statusCode, 413);
  });

  it('refuses a text longer than the model takes unless truncate is set', async () => {
    await start();
    const long = 'x'.repeat(40);
    const refused = await post('/embed', { inputs: [long] });
    assert.equal(refused.statusCode, 413);
    assert.equal(refused.json().error_type, 'Validation');
    assert.equal((await post('/embed', { inputs: [long], truncate: true })).statusCode, 200);
    const openai = await post('/v1/embeddings', { input: long });
    assert.equal(openai.statusCode, 413);
    assert.equal(openai.json().error.code, 'context_length_exceeded');
    await app.close();
    await start({ autoTruncate: true });
    assert.equal((await post('/v1/embeddings', { input: long })).statusCode, 200);
  });

  it('limits texts per request and body size with 413 in each API shape', async () => {
    await start();
    const many = await post('/embed', { inputs: ['a', 'b', 'c', 'd', 'e'] });
    assert.equal(many.statusCode, 413);
    assert.equal(many.json().error_type, 'Validation');
    const manyOpenAi = await post('/v1/embeddings', { input: ['a', 'b', 'c', 'd', 'e'] });
    assert.equal(manyOpenAi.statusCode, 413);
    assert.equal(manyOpenAi.json().error.type, 'invalid_request_error');
    const big = await post('/embed', { inputs: 'y'.repeat(5000) });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error_type, 'Validation');
    const bigOpenAi = await post('/v1/embeddings', { input: 'y'.repeat(5000) });
    assert.equal(bigOpenAi.statusCode, 413);
    assert.ok(bigOpenAi.json().error.message.includes('--max-body'));
  });

  it('answers invalid JSON with 400 and unknown routes with 404, each in its API shape', async () => {
    await start();
    const bad = await app.inject({ method: 'POST', url: '/embed', payload: '{bad', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error_type, 'Validation');
    const badOpenAi = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: '{bad', headers: { 'content-type': 'application/json' } });
    assert.equal(badOpenAi.statusCode, 400);
    assert.equal(badOpenAi.json().error.type, 'invalid_request_error');
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error_type, 'NotFound');
    const missingOpenAi = await app.inject({ method: 'GET', url: '/v1/models/nope' });
    assert.equal(missingOpenAi.statusCode, 404);
    assert.equal(typeof missingOpenAi.json().error.message, 'string');
  });

  it('answers a known path asked with another method 405 with Allow (found by schemathesis)', async () => {
    await start();
    const trace = await app.inject({ method: 'DELETE', url: '/embed' });
    assert.equal(trace.statusCode, 405);
    assert.equal(trace.headers.allow, 'POST');
    assert.equal(trace.json().error_type, 'MethodNotAllowed');
    const info = await app.inject({ method: 'POST', url: '/info', payload: {} });
    assert.equal(info.statusCode, 405);
    assert.equal(info.headers.allow, 'GET, HEAD');
    const query = await app.inject({ method: 'QUERY' as 'GET', url: '/info' });
    assert.equal(query.statusCode, 405, 'a body method without Content-Type on a GET route');
    const openai = await app.inject({ method: 'GET', url: '/v1/embeddings' });
    assert.equal(openai.statusCode, 405);
    assert.equal(openai.json().error.type, 'invalid_request_error');
  });

  it('drops a "__proto__" key like any unknown field, and says an empty text is empty (the schema says so too) and half a surrogate pair is no text', async () => {
    await start();
    const poisoned = await app.inject({
      method: 'POST',
      url: '/embed',
      payload: '{"__proto__": {"polluted": 1}, "inputs": "abc"}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(poisoned.statusCode, 200, poisoned.body);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    for (const [url, body, status] of [
      ['/embed', { inputs: ['a', ''] }, 422],
      ['/v1/embeddings', { input: '' }, 400],
    ] as const) {
      const response = await post(url, body);
      assert.equal(response.statusCode, status);
      assert.match(response.body, url === '/embed' ? /Input 1 is empty: send at least one character/ : /Input 0 is empty/);
    }
    // JSON can escape half a UTF-16 pair; no tokenizer takes it (TEI's JSON parser refuses it too).
    for (const [url, payload, status] of [
      ['/embed', '{"inputs": ["ok", "a\\ud800b"]}', 422],
      ['/v1/embeddings', '{"input": "\\udfff"}', 400],
    ] as const) {
      const response = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
      assert.equal(response.statusCode, status, response.body);
      assert.match(response.body, url === '/embed' ? /Input 1 holds an unpaired surrogate \(\\\\uD800\)/ : /Input 0 holds an unpaired surrogate \(\\\\uDFFF\)/);
    }
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(JSON.stringify(spec.paths['/embed'].post.requestBody).includes('"minLength":1'), true);
  });

  it('requires the Bearer key on every route but /health when one is set', async () => {
    await start({ apiKey: 'secret' });
    for (const [url, shape] of [
      ['/v1/embeddings', 'openai'],
      ['/embed', 'tei'],
    ] as const) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'secret' }] as Record<string, string>[]) {
        const response = await post(url, url === '/embed' ? { inputs: 'a' } : { input: 'a' }, headers);
        assert.equal(response.statusCode, 401);
        if (shape === 'openai') assert.equal(response.json().error.code, 'invalid_api_key');
        else assert.equal(response.json().error_type, 'Unauthorized');
      }
      const ok = await post(url, url === '/embed' ? { inputs: 'a' } : { input: 'a' }, { authorization: 'Bearer secret' });
      assert.equal(ok.statusCode, 200);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/info' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });

  it('answers 429 with Retry-After when the queue is full, and 503 when a request times out', async () => {
    const held = fakeEmbedder(true);
    await start({ maxQueue: 2, requestTimeoutMs: 60_000 }, held.embedder);
    const first = post('/embed', { inputs: 'a' });
    const second = post('/embed', { inputs: 'b' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await post('/embed', { inputs: 'c' });
    assert.equal(third.statusCode, 429);
    assert.equal(third.headers['retry-after'], '1');
    assert.equal(third.json().error_type, 'Overloaded');
    held.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.release();
    assert.equal((await first).statusCode, 200);
    assert.equal((await second).statusCode, 200);
    await app.close();

    const stuck = fakeEmbedder(true);
    await start({ requestTimeoutMs: 100 }, stuck.embedder);
    const late = await post('/v1/embeddings', { input: 'a' });
    assert.equal(late.statusCode, 503);
    assert.equal(late.json().error.code, 'timeout');
  });

  it('serves /info, /health, /metrics and an OpenAPI document built from the route schemas', async () => {
    await start();
    await post('/embed', { inputs: ['a', 'b'] });
    const info = (await app.inject({ method: 'GET', url: '/info' })).json();
    assert.equal(info.model_id, 'fake-model');
    assert.equal(info.model_sha, null);
    assert.deepEqual(info.model_type, { embedding: { pooling: 'cls' } }, "the model's own pooling, not a fixed mean");
    assert.equal(info.max_client_batch_size, 4);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /minilm_requests_total\{route="\/embed",status="200"\} 1/);
    assert.match(metrics, /minilm_tokens_total 6/);
    assert.match(metrics, /minilm_batch_texts_count 1/);
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.match(openapi.openapi, /^3\./);
    assert.ok(openapi.paths['/v1/embeddings'].post.requestBody);
    assert.ok(openapi.paths['/embed'].post.requestBody);
    assert.ok(openapi.paths['/info'].get);
  });
});
