// minilm.backend in the running extension: texts go to a text-embeddings-inference server with the key from secret
// storage. The server here is a TEI-shaped route in this test process whose vectors come from the extension's own
// local engine (the real model), so "same vectors" checks the whole remote path: settings, key, request sizing.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { MiniLmExtensionApi } from '../../src/extension';
import { closeAllEditors, extensionApi, testModelFolder } from './extensionApi';
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
        if (req.method === 'GET' && req.url === '/info')
          return send(200, { model_id: 'all-MiniLM-L6-v2', max_client_batch_size: 2, max_batch_tokens: 16384, max_input_length: 256 });
        const { inputs } = JSON.parse(body) as { inputs: string[] };
        embeds.push({ authorization: req.headers.authorization, inputs });
        engine.encode(inputs).then(
          (vectors) =>
            send(
              200,
              vectors.map((v) => Array.from(v)),
            ),
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
    assert.deepEqual(
      embeds.map((e) => e.inputs),
      [TEXTS.slice(0, 2), TEXTS.slice(2, 4), TEXTS.slice(4)],
    );
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

// Every face through minilm.backend = openai with `minilm serve` (the real model, another process) as the server,
// and minilm.modelFolder pointing at an empty folder: nothing may load or download a local model.
describe('remote backend with no local model (minilm serve as the openai backend)', function () {
  this.timeout(300_000);
  const SERVE_KEY = 'serve-test-key';
  let api: MiniLmExtensionApi;
  let serve: ChildProcess;
  let base: string;
  let empty: string;
  const config = () => vscode.workspace.getConfiguration('minilm');
  /** The server's own answer, asked directly: what the extension must show. */
  const served = async (texts: string[]): Promise<number[][]> => {
    const response = await fetch(`${base}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVE_KEY}` },
      body: JSON.stringify({ model: 'all-MiniLM-L6-v2', input: texts }),
    });
    return ((await response.json()) as { data: { embedding: number[] }[] }).data.map((d) => d.embedding);
  };

  before(async () => {
    api = await extensionApi();
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-no-model-'));
    const cli = path.join(api.services.context.extensionPath, 'bin', 'minilm.js');
    serve = spawn(process.execPath, [cli, 'serve', '--model-dir', testModelFolder(), '--port', '0', '--api-key', SERVE_KEY], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      serve.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
        if (match) resolve(match[1]!.replace(/\/$/, ''));
      });
      serve.once('exit', (code) => reject(new Error(`minilm serve exited (${code}): ${stderr}`)));
    });
    await api.engineHost.unload();
    await config().update('modelFolder', empty, vscode.ConfigurationTarget.Workspace);
    await config().update('backend', 'openai', vscode.ConfigurationTarget.Workspace);
    await config().update('backendEndpoint', `${base}/v1`, vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand('minilm.setBackendApiKey', { key: SERVE_KEY }), 'saved');
    await api.engineHost.settled();
  });

  after(async () => {
    await closeAllEditors();
    for (const key of ['backend', 'backendEndpoint', 'modelFolder']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('minilm.setBackendApiKey', { key: '' });
    serve?.kill('SIGTERM');
    fs.rmSync(empty, { recursive: true, force: true });
  });

  afterEach(() => {
    // The local engine was never asked for its (missing) model: no load, no error, no download.
    assert.equal(api.engineHost.state.kind, 'unloaded', JSON.stringify(api.engineHost.state));
  });

  it("encode and similarity give the server's vectors; the status bar names the backend", async () => {
    const texts = ['A man is playing a guitar.', 'Someone plays music.', '今天天气很好。'];
    const { vectors, tokens } = await api.services.engine.encodeWithTokens(texts);
    assert.equal(tokens, undefined);
    const expected = await served(texts);
    vectors.forEach((v, i) => assert.ok(cosine(v, Float32Array.from(expected[i]!)) >= 0.99999, `text ${i}`));
    const outcome = await vscode.commands.executeCommand<{ dimension: number; tokens: number | undefined }>('minilm.encodeSelection', {
      text: 'The girl is carrying a baby.',
    });
    assert.equal(outcome?.dimension, 384);
    assert.equal(outcome?.tokens, undefined);
    assert.match(api.outcomes.lastMessage ?? '', /384 dimensions, norm 1\.0000/);
    assert.equal(api.statusBar.view.text, '$(cloud) MiniLM · openai');
    assert.match(api.statusBar.view.tooltip, new RegExp(`openai backend at ${new URL(base).host.replace(/\./g, '\\.')}`));
  });

  it('find similar, the example suite and a notebook cell run on the server', async () => {
    const file = path.join(empty, 'lines.txt');
    fs.writeFileSync(file, 'The stock market fell sharply.\nA man plays an acoustic guitar.\nRain is expected tomorrow.\n');
    const search = await vscode.commands.executeCommand<{ hits: { text: string }[] }>('minilm.findSimilar', {
      query: 'someone playing music',
      file,
      showResults: false,
    });
    assert.equal(search?.hits[0]?.text, 'A man plays an acoustic guitar.');
    const examples = await vscode.commands.executeCommand<{ file: string; dtype: string } | undefined>('minilm.runExamples', { openStudio: false });
    assert.ok(examples, api.outcomes.lastMessage);
    assert.equal(examples.dtype, 'remote:openai');
    const document = JSON.parse(fs.readFileSync(examples.file, 'utf8')) as { model: string; dimension: number };
    assert.equal(document.model, 'all-MiniLM-L6-v2');
    assert.equal(document.dimension, 384);
    fs.rmSync(examples.file);

    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'similarity\nA man is playing a guitar.\nSomeone plays music.', 'minilm'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('minilm-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'minilm-kernel', extension: 'minilm-studio.minilm-studio' });
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: notebook.uri });
    const deadline = Date.now() + 120_000;
    while (notebook.cellAt(0).executionSummary?.success === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(notebook.cellAt(0).executionSummary?.success, true);
  });

  it('explain says in one line that it needs a local model', async () => {
    await assert.rejects(api.services.engine.tokenEmbeddings('a'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'REMOTE_UNSUPPORTED');
      assert.match(
        error.message,
        /^Explain needs the token embeddings of a local model, which the openai backend at .* does not give: set minilm.backend to "local"/,
      );
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });
});
