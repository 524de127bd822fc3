import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineError } from '../../../../src/engine';
import { RemoteEmbedder, remoteVectorCache, type RemoteEmbedderOptions } from '../../../../src/engine/remote';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Answer = { status?: number; headers?: Record<string, string>; body?: unknown } | 'hang';

/** A stub server: `answer` decides each reply from the request; every request is recorded in `seen`. */
async function stub(answer: (request: Seen, n: number) => Answer): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
      seen.push(request);
      const reply = answer(request, seen.length);
      if (reply === 'hang') return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A vector per text whose first value is the text's length: order and count are visible in the result. */
const vectorsFor = (texts: string[]) => texts.map((t) => [t.length, 1, 0]);
const inputsOf = (request: Seen) => (request.body as { inputs?: string[]; input?: string[] }).inputs ?? (request.body as { input: string[] }).input;

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('RemoteEmbedder (stub servers)', () => {
  let server: Awaited<ReturnType<typeof stub>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const embedder = (options: Partial<RemoteEmbedderOptions> & Pick<RemoteEmbedderOptions, 'api'>) => new RemoteEmbedder({ endpoint: server!.url, ...options });

  it('tei: sizes requests to /info limits and keeps input order', async () => {
    server = await stub((request) => {
      if (request.url === '/info') return { body: { model_id: 'org/model', max_client_batch_size: 2, max_batch_tokens: 1000, max_input_length: 256 } };
      return { body: vectorsFor(inputsOf(request)) };
    });
    const progress: string[] = [];
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await embedder({ api: 'tei', normalize: false }).encode(texts, { onProgress: (p) => progress.push(`${p.done}/${p.total}`) });
    assert.deepEqual(
      vectors.map((v) => v[0]),
      [1, 2, 3, 4, 5],
    );
    const embeds = server.seen.filter((s) => s.url === '/embed');
    assert.deepEqual(
      embeds.map((s) => inputsOf(s)),
      [['a', 'bb'], ['ccc', 'dddd'], ['eeeee']],
    );
    assert.deepEqual(embeds[0]!.body, { inputs: ['a', 'bb'], normalize: false, truncate: true });
    assert.deepEqual(progress, ['1/3', '2/3', '3/3']);
    assert.equal(server.seen.filter((s) => s.url === '/info').length, 1);
  });

  it('keeps several requests in flight, and the input order whatever order the answers come in', async () => {
    let inFlight = 0;
    let most = 0;
    const held: Array<() => void> = [];
    const server2 = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const input = (JSON.parse(text) as { input: string[] }).input;
        inFlight++;
        most = Math.max(most, inFlight);
        held.push(() => {
          inFlight--;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ embeddings: vectorsFor(input) }));
        });
        // Answer in reverse once three requests wait.
        if (held.length === 3)
          held
            .splice(0)
            .reverse()
            .forEach((answer) => answer());
      });
    });
    await new Promise<void>((resolve) => server2.listen(0, '127.0.0.1', resolve));
    try {
      const remote = new RemoteEmbedder({
        api: 'ollama',
        endpoint: `http://127.0.0.1:${(server2.address() as AddressInfo).port}`,
        normalize: false,
        batchSize: 1,
        concurrency: 3,
      });
      const vectors = await remote.encode(['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff']);
      assert.deepEqual(
        vectors.map((v) => v[0]),
        [1, 2, 3, 4, 5, 6],
      );
      assert.equal(most, 3);
    } finally {
      server2.closeAllConnections();
      await new Promise((resolve) => server2.close(resolve));
    }
  });

  it('retries 429 after the Retry-After the server asks for, then succeeds', async () => {
    server = await stub((request, n) =>
      n === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } }
        : { body: { data: vectorsFor(inputsOf(request)).map((embedding, index) => ({ embedding, index })) } },
    );
    const waits: number[] = [];
    const remote = embedder({ api: 'openai', policy: { sleep: async (ms) => void waits.push(ms) } });
    const vectors = await remote.encode(['hello']);
    assert.equal(vectors.length, 1);
    assert.equal(server.seen.length, 2);
    assert.deepEqual(waits, [1000]);
  });

  it('backs off doubling on 503 without Retry-After, bounded, and gives up after the retries', async () => {
    server = await stub(() => ({ status: 503, body: { error: 'Overloaded', error_type: 'Overloaded' } }));
    const waits: number[] = [];
    const remote = embedder({ api: 'tei', policy: { sleep: async (ms) => void waits.push(ms), maxRetries: 4, maxRetryWaitMs: 1500 } });
    const error = await rejection(remote.describe());
    assert.equal(error.code, 'REMOTE_FAILED');
    assert.match(error.message, /still busy \(503: Overloaded\)/);
    assert.deepEqual(waits, [500, 1000, 1500, 1500]);
    assert.equal(server.seen.length, 5);
  });

  it('401: one line naming --api-key and MINILM_API_KEY, without the key', async () => {
    server = await stub(() => ({ status: 401, body: { error: { message: 'Missing or wrong API key.' } } }));
    const error = await rejection(embedder({ api: 'openai', policy: { apiKey: 'secret-123' } }).encode(['x']));
    assert.equal(error.code, 'REMOTE_UNAUTHORIZED');
    assert.match(error.message, /check the key given with --api-key or the MINILM_API_KEY environment variable/);
    assert.doesNotMatch(error.message, /secret-123/);
    assert.equal(server.seen[0]!.headers.authorization, 'Bearer secret-123');
  });

  it('unreachable port: connection refused, one line', async () => {
    server = await stub(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const error = await rejection(new RemoteEmbedder({ api: 'tei', endpoint: url }).encode(['x']));
    assert.equal(error.code, 'REMOTE_UNREACHABLE');
    assert.match(error.message, new RegExp(`cannot reach the tei backend at ${url} \\(connection refused`));
  });

  it('wrong count and non-numbers are malformed answers', async () => {
    server = await stub((request) => (request.url === '/info' ? { body: { model_id: 'm' } } : { body: [[1, 2]] }));
    const count = await rejection(embedder({ api: 'tei' }).encode(['a', 'b']));
    assert.equal(count.code, 'REMOTE_BAD_RESPONSE');
    assert.match(count.message, /1 vectors for 2 texts/);
    await server.close();
    server = await stub(() => ({ body: { data: [{ embedding: [1, 'x'], index: 0 }] } }));
    const nan = await rejection(embedder({ api: 'openai' }).encode(['a']));
    assert.equal(nan.code, 'REMOTE_BAD_RESPONSE');
    assert.match(nan.message, /vector 0 holds a value that is not a finite number/);
  });

  it('openai: places vectors by their index, sends the model and float encoding', async () => {
    server = await stub(() => ({
      body: {
        data: [
          { embedding: [0, 2, 0], index: 1 },
          { embedding: [1, 0, 0], index: 0 },
        ],
        model: 'served',
      },
    }));
    const vectors = await embedder({ api: 'openai', model: 'my-model' }).encode(['a', 'b']);
    assert.deepEqual(Array.from(vectors[0]!), [1, 0, 0]);
    // normalised to unit length, as the default model does
    assert.deepEqual(Array.from(vectors[1]!), [0, 1, 0]);
    assert.equal(server.seen[0]!.url, '/embeddings');
    assert.deepEqual(server.seen[0]!.body, { model: 'my-model', input: ['a', 'b'], encoding_format: 'float' });
  });

  it('ollama: /api/embed shape, default model all-minilm, vectors normalised and reported as not unit length', async () => {
    server = await stub((request) => ({ body: { model: 'all-minilm', embeddings: (request.body as { input: string[] }).input.map(() => [3, 4]) } }));
    const remote = embedder({ api: 'ollama' });
    const [vector] = await remote.encode(['hi']);
    assert.equal(server.seen[0]!.url, '/api/embed');
    assert.deepEqual(server.seen[0]!.body, { model: 'all-minilm', input: ['hi'], truncate: true });
    assert.ok(Math.abs(vector![0]! - 0.6) < 1e-6 && Math.abs(vector![1]! - 0.8) < 1e-6);
    assert.equal(remote.serverNormalized, false);
    assert.equal((await remote.describe()).model, 'all-minilm');
  });

  it('ollama: an unknown model is a 404 telling to pull it', async () => {
    server = await stub(() => ({ status: 404, body: { error: 'model "nope" not found, try pulling it first' } }));
    const error = await rejection(embedder({ api: 'ollama', model: 'nope' }).encode(['x']));
    assert.equal(error.code, 'REMOTE_NOT_FOUND');
    assert.match(error.message, /model "nope" not found.*ollama pull/);
  });

  it('a prompt is put before each text; an unknown prompt name is refused', async () => {
    server = await stub((request) => ({ body: { embeddings: (request.body as { input: string[] }).input.map(() => [1, 0]) } }));
    const remote = embedder({ api: 'ollama' });
    await remote.encode(['a', 'b'], { prompt: 'query: ' });
    assert.deepEqual((server.seen[0]!.body as { input: string[] }).input, ['query: a', 'query: b']);
    await remote.encode(['c'], { promptName: 'query' });
    assert.deepEqual((server.seen[1]!.body as { input: string[] }).input, ['c']);
    const error = await rejection(remote.encode(['c'], { promptName: 'passage' }));
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, /--prompt/);
  });

  it('a request without an answer times out; a cancelled one stops at once', async () => {
    server = await stub(() => 'hang');
    const slow = await rejection(embedder({ api: 'openai', policy: { timeoutMs: 200 } }).encode(['x']));
    assert.equal(slow.code, 'REMOTE_UNREACHABLE');
    assert.match(slow.message, /did not answer within 0.2 s.*--remote-timeout/);
    const controller = new AbortController();
    const pending = embedder({ api: 'openai' }).encode(['x'], { signal: controller.signal });
    setImmediate(() => controller.abort());
    assert.equal((await rejection(pending)).code, 'CANCELLED');
  });

  it('caches vectors: a repeated text is not sent again; another endpoint or model sharing the cache is asked itself', async () => {
    server = await stub((request) => ({ body: { data: inputsOf(request).map((t, index) => ({ embedding: [t.length, 1, 0], index })) } }));
    const other = await stub((request) => ({ body: { data: inputsOf(request).map((t, index) => ({ embedding: [0, 1, t.length], index })) } }));
    try {
      const cache = remoteVectorCache();
      const first = new RemoteEmbedder({ api: 'openai', endpoint: server.url, cache });
      const [a] = await first.encode(['hello', 'hi']);
      // Same texts, a duplicate and one new one: only the new one goes out.
      const again = await new RemoteEmbedder({ api: 'openai', endpoint: server.url, cache }).encode(['hi', 'hello', 'hello', 'new']);
      assert.deepEqual(server.seen.map(inputsOf), [['hello', 'hi'], ['new']]);
      assert.deepEqual(Array.from(again[1]!), Array.from(a!));
      assert.deepEqual(Array.from(again[2]!), Array.from(a!));
      // A prompt changes what the server embeds: not served from the plain text's entry.
      await first.encode(['hello'], { prompt: 'query: ' });
      assert.deepEqual(server.seen.map(inputsOf).at(-1), ['query: hello']);
      // Another endpoint, and another model at the same endpoint, are other vectors.
      const elsewhere = await new RemoteEmbedder({ api: 'openai', endpoint: other.url, cache }).encode(['hello']);
      assert.deepEqual(other.seen.map(inputsOf), [['hello']]);
      assert.notDeepEqual(Array.from(elsewhere[0]!), Array.from(a!));
      await new RemoteEmbedder({ api: 'openai', endpoint: server.url, model: 'another-model', cache }).encode(['hello']);
      assert.deepEqual(server.seen.map(inputsOf).at(-1), ['hello']);
      assert.equal((server.seen.at(-1)!.body as { model: string }).model, 'another-model');
      // Served from the cache, a new embedder still knows the width.
      assert.equal(await new RemoteEmbedder({ api: 'openai', endpoint: other.url, cache }).dimension(), 3);
    } finally {
      await other.close();
    }
  });

  it('refuses an endpoint that is not an http(s) URL, or that carries credentials', () => {
    assert.throws(() => new RemoteEmbedder({ api: 'tei', endpoint: 'localhost:8080' }), /must start with http/);
    assert.throws(() => new RemoteEmbedder({ api: 'tei' }), /needs its address: give --endpoint/);
    assert.throws(() => new RemoteEmbedder({ api: 'openai', endpoint: 'http://u:p@host/v1' }), /--api-key/);
  });
});
