import assert from 'node:assert/strict';
import http from 'node:http';
import OpenAI from 'openai';
import { OpenAIEmbeddings } from '@langchain/openai';
import { Engine } from '../../../src/engine';
import { defaultServeLayout } from '../../../src/cli/commands/serve';
import { cosine } from '../../helpers/referenceFixtures';
import { startServe, stopServe, type ServeProcess } from '../../helpers/minilmServe';
import { testModelDir } from '../../helpers/sharedPaths';
import { normOf, tinyModelDir } from '../../helpers/tinyModels';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request; the answer is read even when the server closes the connection early (a 413 before the body). */
function request(url: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    // Writing a large body after the server answered and closed gives EPIPE/ECONNRESET: the answer still counts.
    req.on('error', (error) => reject(error));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const KEY = 'test-key-123';
const auth = { authorization: `Bearer ${KEY}` };
const texts = [
  'A man is playing a guitar.',
  'Der schnelle braune Fuchs springt über den faulen Hund.',
  'Semantic search finds meaning, not words.',
  '東京は日本の首都です。',
];

describe('minilm serve (real model, over HTTP)', function () {
  let server: ServeProcess;
  let engine: Engine;
  let reference: Float32Array[];

  before(async () => {
    server = await startServe(['--api-key', KEY, '--max-client-batch-size', '64', '--max-body', '200000']);
    engine = new Engine({ modelDir: testModelDir(), cacheEntries: 0 });
    reference = await engine.encode(texts);
  });

  after(async () => {
    await engine?.dispose();
    await stopServe(server);
  });

  it("gives the official openai client the local engine's vectors (string and array; float and base64)", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const single = await client.embeddings.create({ model: 'all-MiniLM-L6-v2', input: texts[0]!, encoding_format: 'float' });
    assert.equal(single.data.length, 1);
    assert.equal(single.model, 'all-MiniLM-L6-v2');
    assert.ok(cosine(single.data[0]!.embedding, reference[0]!) >= 0.99999);
    assert.ok(single.usage.prompt_tokens > 2);

    // Without encoding_format the client asks for base64 and decodes it itself.
    for (const format of [undefined, 'float', 'base64'] as const) {
      const many = await client.embeddings.create({ model: 'anything', input: texts, ...(format ? { encoding_format: format } : {}) });
      assert.equal(many.data.length, texts.length);
      many.data.forEach((item, i) => {
        assert.equal(item.index, i);
        const vector = typeof item.embedding === 'string' ? decodeBase64(item.embedding) : item.embedding;
        assert.equal(vector.length, 384);
        assert.ok(cosine(vector, reference[i]!) >= 0.99999, `text ${i} (${format})`);
      });
    }
  });

  it("gives LangChain's OpenAIEmbeddings the local engine's vectors (embedDocuments and embedQuery)", async () => {
    const embeddings = new OpenAIEmbeddings({ model: 'all-MiniLM-L6-v2', apiKey: KEY, configuration: { baseURL: `${server.url}/v1` }, maxRetries: 0 });
    const documents = await embeddings.embedDocuments(texts);
    assert.equal(documents.length, texts.length);
    documents.forEach((vector, i) => {
      assert.equal(vector.length, 384);
      assert.ok(cosine(vector, reference[i]!) >= 0.99999, `document ${i}`);
    });
    const query = await embeddings.embedQuery(texts[2]!);
    assert.ok(cosine(query, reference[2]!) >= 0.99999);
  });

  it('answers TEI /embed with the same vectors, and /info, /health, /metrics', async () => {
    const answer = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: texts }), auth);
    assert.equal(answer.status, 200);
    const vectors = JSON.parse(answer.body) as number[][];
    vectors.forEach((vector, i) => assert.ok(cosine(vector, reference[i]!) >= 0.99999));
    const info = JSON.parse((await request(`${server.url}/info`, 'GET', undefined, auth)).body);
    assert.equal(info.model_id, 'all-MiniLM-L6-v2');
    assert.equal(info.max_input_length, 256);
    assert.equal(info.max_client_batch_size, 64);
    assert.equal((await request(`${server.url}/health`, 'GET')).status, 200);
    const metrics = await request(`${server.url}/metrics`, 'GET', undefined, auth);
    assert.match(metrics.headers['content-type'] ?? '', /text\/plain/);
    assert.match(metrics.body, /minilm_requests_total\{route="\/embed",status="200"\} \d+/);
  });

  it('answers each limit with its status and error shape over the network', async () => {
    const unauthorised = await request(`${server.url}/v1/embeddings`, 'POST', JSON.stringify({ input: 'a' }));
    assert.equal(unauthorised.status, 401);
    assert.equal(JSON.parse(unauthorised.body).error.code, 'invalid_api_key');
    // A body past --max-body: answered 413 (possibly before the upload ends).
    const tooBig = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: 'word '.repeat(60_000) }), auth).catch(
      (error: NodeJS.ErrnoException) => error,
    );
    if (!(tooBig instanceof Error)) {
      assert.equal(tooBig.status, 413);
      assert.equal(JSON.parse(tooBig.body).error_type, 'Validation');
    } else {
      assert.match(String(tooBig.code), /EPIPE|ECONNRESET/, 'only a closed upload may replace the 413');
    }
    const tooMany = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: Array.from({ length: 65 }, (_, i) => `t${i}`) }), auth);
    assert.equal(tooMany.status, 413);
    const tooLong = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: 'word '.repeat(400) }), auth);
    assert.equal(tooLong.status, 413);
    assert.match(JSON.parse(tooLong.body).error, /256 word pieces/);
    const truncated = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: 'word '.repeat(400), truncate: true }), auth);
    assert.equal(truncated.status, 200);
    const tokenIds = await request(`${server.url}/v1/embeddings`, 'POST', JSON.stringify({ input: [101, 102] }), auth);
    assert.equal(tokenIds.status, 400);
    assert.equal(JSON.parse(tokenIds.body).error.type, 'invalid_request_error');
    const notJson = await request(`${server.url}/embed`, 'POST', '{"inputs": ', auth);
    assert.equal(notJson.status, 400);
    assert.equal((await request(`${server.url}/nowhere`, 'GET', undefined, auth)).status, 404);
    // The server is still serving.
    assert.equal((await request(`${server.url}/health`, 'GET')).status, 200);
  });

  it('joins concurrent requests into shared engine calls', async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: `concurrent request number ${i} about ${texts[i % texts.length]}` }), auth),
      ),
    );
    answers.forEach((answer) => assert.equal(answer.status, 200));
    const metrics = (await request(`${server.url}/metrics`, 'GET', undefined, auth)).body;
    const single = Number(/minilm_batch_requests_bucket\{le="1"\} (\d+)/.exec(metrics)![1]);
    const total = Number(/minilm_batch_requests_count (\d+)/.exec(metrics)![1]);
    assert.ok(single < total, `some engine call held more than one request (${single} of ${total} held one)`);
  });

  it('with the default layout (one worker per core), answers concurrent one-text requests each with its own vector', async () => {
    const info = JSON.parse((await request(`${server.url}/info`, 'GET', undefined, auth)).body) as { tokenization_workers: number };
    assert.equal(info.tokenization_workers, defaultServeLayout().workers);
    const lone = Array.from({ length: 16 }, (_, i) => `lone text ${i}: ${texts[i % texts.length]}`);
    const expected = await engine.encode(lone);
    const answers = await Promise.all(lone.map((text) => request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: text }), auth)));
    answers.forEach((answer, i) => {
      assert.equal(answer.status, 200, answer.body);
      const [vector] = JSON.parse(answer.body) as number[][];
      assert.ok(cosine(vector!, expected[i]!) >= 0.99999, `request ${i} got another text's vector`);
    });
  });

  it('keeps serving after a client disconnects mid-request', async () => {
    const body = JSON.stringify({ inputs: Array.from({ length: 64 }, (_, i) => `${texts[i % texts.length]} ${'filler '.repeat(100)} ${i}`) });
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/embed`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.end(body, () => setTimeout(() => req.destroy(), 50));
    });
    const after = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: texts[0] }), auth);
    assert.equal(after.status, 200);
    assert.ok(cosine(JSON.parse(after.body)[0], reference[0]!) >= 0.99999);
  });

  it('on SIGTERM finishes the request in flight and exits 0', async () => {
    // About a second of work here: long enough to be in flight at the signal, short enough for the 10 s budget.
    const body = JSON.stringify({ inputs: Array.from({ length: 32 }, (_, i) => `${texts[i % texts.length]} ${'filler '.repeat(40)} ${i}`) });
    const inFlight = request(`${server.url}/embed`, 'POST', body, auth);
    // Signal once the server has the request (its queue or engine is busy with it).
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).length, 32);
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /SIGTERM: finishing requests in flight/);
  });
});

describe('minilm serve /embed prompt_name and normalize (tiny model with prompts, over HTTP)', function () {
  // bert-prompts-exclude: prompts "query: " / "passage: " left out of the pooling, and a Normalize module.
  const model = tinyModelDir('bert-prompts-exclude');
  const tinyTexts = ['hello world', 'the quick brown fox', 'a third text'];
  let server: ServeProcess;
  let engine: Engine;

  before(async () => {
    server = await startServe(['--workers', '1'], model);
    engine = new Engine({ modelDir: model, cacheEntries: 0, threads: 1 });
  });

  after(async () => {
    await engine?.dispose();
    await stopServe(server);
  });

  const embed = async (body: object) => {
    const answer = await request(`${server.url}/embed`, 'POST', JSON.stringify(body));
    assert.equal(answer.status, 200, answer.body);
    return JSON.parse(answer.body) as number[][];
  };

  it('encodes with the named prompt, and without normalisation when asked, as the engine does', async () => {
    const query = await engine.encode(tinyTexts, { promptName: 'query' });
    const plain = await engine.encode(tinyTexts);
    const raw = await engine.encode(tinyTexts, { promptName: 'passage', normalize: false });
    const [gotQuery, gotPlain, gotRaw] = await Promise.all([
      embed({ inputs: tinyTexts, prompt_name: 'query' }),
      embed({ inputs: tinyTexts }),
      embed({ inputs: tinyTexts, prompt_name: 'passage', normalize: false }),
    ]);
    tinyTexts.forEach((_, i) => {
      assert.ok(cosine(gotQuery[i]!, query[i]!) >= 0.99999 && cosine(gotPlain[i]!, plain[i]!) >= 0.99999, `text ${i}`);
      assert.ok(cosine(gotQuery[i]!, plain[i]!) < 0.9999, 'the prompt changed the vector');
      assert.ok(Math.abs(normOf(gotRaw[i]!) - normOf(raw[i]!)) < 1e-4 && Math.abs(normOf(gotRaw[i]!) - 1) > 0.01, `raw norm ${normOf(gotRaw[i]!)}`);
    });
  });

  it('lists the prompts in /info and refuses an unknown prompt_name with 422', async () => {
    const info = JSON.parse((await request(`${server.url}/info`, 'GET')).body) as { prompt_names: string[] };
    assert.deepEqual([...info.prompt_names].sort(), ['document', 'passage', 'query']);
    const refused = await request(`${server.url}/embed`, 'POST', JSON.stringify({ inputs: 'x', prompt_name: 'Query' }));
    assert.equal(refused.status, 422);
    assert.match(JSON.parse(refused.body).error, /"prompt_name" must be a prompt of bert-prompts-exclude/);
  });
});

function decodeBase64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}
