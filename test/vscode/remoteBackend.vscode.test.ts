// minilm.backend in the running extension: texts go to a text-embeddings-inference server with the key from secret
// storage. The server here is a TEI-shaped route in this test process whose vectors come from the extension's own
// local engine (the real model), so "same vectors" checks the whole remote path: settings, key, request sizing.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import { extensionApi } from './extensionApi';
import { cosine } from '../helpers/referenceFixtures';

const KEY = 'in-host-test-key';
const TEXTS = ['A man is playing a guitar.', 'Someone plays music.', '今天天气很好。', 'The stock market fell sharply.', 'Rain is expected tomorrow.'];

describe('remote backend (minilm.backend = tei)', function () {
  this.timeout(180_000);
  let api: MiniLmExtensionApi;
  let server: http.Server;
  let url: string;
  const embeds: { authorization: string | undefined; inputs: string[] }[] = [];
  const config = () => vscode.workspace.getConfiguration('minilm');

  before(async () => {
    api = await extensionApi();
    const engine = api.engineHost.engineForIndex();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const send = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, { error: 'Missing or wrong API key.', error_type: 'Unauthorized' });
        if (req.method === 'GET' && req.url === '/info') return send(200, { model_id: 'all-MiniLM-L6-v2', max_client_batch_size: 2, max_batch_tokens: 16384, max_input_length: 256 });
        const { inputs } = JSON.parse(body) as { inputs: string[] };
        embeds.push({ authorization: req.headers.authorization, inputs });
        engine.encode(inputs).then(
          (vectors) => send(200, vectors.map((v) => Array.from(v))),
          (error: Error) => send(424, { error: error.message, error_type: 'Backend' }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const key of ['backend', 'backendEndpoint']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('minilm.setBackendApiKey', { key: '' });
    await new Promise((resolve) => server.close(resolve));
  });

  it('encodes on the server with the key from secret storage: the local vectors, in requests of /info size', async () => {
    const local = await api.services.engine.encode(TEXTS);
    assert.equal(await vscode.commands.executeCommand('minilm.setBackendApiKey', { key: KEY }), 'saved');
    await config().update('backend', 'tei', vscode.ConfigurationTarget.Workspace);
    await config().update('backendEndpoint', url, vscode.ConfigurationTarget.Workspace);
    const { vectors, tokens } = await api.services.engine.encodeWithTokens(TEXTS);
    assert.deepEqual(embeds.map((e) => e.inputs), [TEXTS.slice(0, 2), TEXTS.slice(2, 4), TEXTS.slice(4)]);
    assert.ok(embeds.every((e) => e.authorization === `Bearer ${KEY}`));
    vectors.forEach((v, i) => assert.ok(cosine(v, local[i]!) >= 0.99999, `text ${i}: cosine ${cosine(v, local[i]!)}`));
    // Word pieces still come from the local tokenizer.
    assert.equal(tokens, undefined);
  });

  it('without the key, the error names the command that sets it', async () => {
    assert.equal(await vscode.commands.executeCommand('minilm.setBackendApiKey', { key: '' }), 'removed');
    await assert.rejects(api.services.engine.encode(['x']), /refused the request \(401.*"MiniLM: Set Backend API Key"/);
  });
});
