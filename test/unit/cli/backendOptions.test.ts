import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { remoteEmbedder, type BackendOptions } from '../../../src/cli/commonOptions';

const base: BackendOptions & { batchSize: number } = { backend: 'local', remoteTimeout: 60, remoteConcurrency: 4, normalize: true, batchSize: 32 };

describe('CLI backend options', () => {
  let server: http.Server | undefined;
  const bodies: unknown[] = [];
  /** An Ollama-shaped stub answering every text with [3, 4] (norm 5). */
  async function ollama(): Promise<string> {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as { input: string[] };
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ embeddings: body.input.map(() => [3, 4]) }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  afterEach(async () => {
    bodies.length = 0;
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('local needs no remote options, and refuses --endpoint or --remote-model without --backend', () => {
    assert.equal(remoteEmbedder(base), undefined);
    assert.throws(() => remoteEmbedder({ ...base, endpoint: 'http://x' }), /--endpoint is for a remote backend: add --backend/);
    assert.throws(() => remoteEmbedder({ ...base, remoteModel: 'm' }), /--remote-model is for a remote backend/);
  });

  it('normalises as the model would: all-MiniLM-L6-v2 yes, a catalogue model without Normalize no, --no-normalize no', async () => {
    const endpoint = await ollama();
    const vector = async (options: Partial<BackendOptions> & { model?: string }) =>
      Array.from((await remoteEmbedder({ ...base, backend: 'ollama', endpoint, ...options })!.encode(['a']))[0]!);
    assert.deepEqual(
      (await vector({})).map((v) => v.toFixed(3)),
      ['0.600', '0.800'],
    );
    assert.deepEqual(await vector({ model: 'paraphrase-multilingual-MiniLM-L12-v2' }), [3, 4]);
    assert.deepEqual(await vector({ normalize: false }), [3, 4]);
  });

  it("resolves --prompt-name with a catalogue model's prompts", async () => {
    const endpoint = await ollama();
    await remoteEmbedder({ ...base, backend: 'ollama', endpoint, model: 'multilingual-e5-small' })!.encode(['x'], { promptName: 'query' });
    assert.deepEqual((bodies[0] as { input: string[] }).input, ['query: x']);
  });
});
