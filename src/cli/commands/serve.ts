import os from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EngineError } from '../../engine';
import { CliError } from '../cliError';
import { addModelOptions, createEngine, positiveInteger, type ModelOptions } from '../commonOptions';
import { buildServer, type Embedder } from '../../server/app';

interface ServeOptions extends ModelOptions {
  host: string;
  port: number;
  apiKey?: string;
  maxBatchTokens: number;
  maxClientBatchSize: number;
  maxQueue: number;
  maxBody: number;
  requestTimeout: number;
  autoTruncate: boolean;
  batchLingerMs: number;
}

/**
 * The inference layout `serve` uses when --workers is not given: one worker per core (at most 4, each holds a copy
 * of the model), and every worker's session with the threads one worker alone would get (the cores, at most 4). A
 * lone request then runs on all cores, as with one worker; concurrent requests keep every worker busy, and the thread
 * pools, which together want more cores than there are, wait without spinning (the engine turns spinning off).
 */
export function defaultServeLayout(cores = os.availableParallelism()): { workers: number; threads: number } {
  const n = Math.max(1, Math.min(cores, 4));
  return { workers: n, threads: n };
}

/** How long a shutdown waits for requests in flight before it closes their connections. */
const SHUTDOWN_GRACE_MS = 8000;

function port(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n > 65535) throw new InvalidArgumentError('expected 0 (any free port) to 65535.');
  return n;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'serve embeddings over HTTP: OpenAI POST /v1/embeddings and text-embeddings-inference POST /embed, GET /info, /health, /metrics, /openapi.json',
    );
  addModelOptions(command);
  command
    .option('--host <host>', 'address to listen on (127.0.0.1: this machine only; 0.0.0.0 exposes the server to the network)', '127.0.0.1')
    .option('--port <port>', 'port to listen on, 0 for any free port (printed on stderr)', port, 8080)
    .addOption(new Option('--api-key <key>', 'require "Authorization: Bearer <key>" on every route except /health').env('MINILM_API_KEY'))
    .option('--max-batch-tokens <n>', 'word pieces one engine call takes from the queued requests', positiveInteger(), 16384)
    .option('--max-client-batch-size <n>', 'texts one request may send (more: 413)', positiveInteger(), 512)
    .option('--max-queue <n>', 'requests queued or running at once (more: 429 with Retry-After)', positiveInteger(), 512)
    .option('--max-body <bytes>', 'largest request body in bytes (more: 413)', positiveInteger(), 2 * 1024 * 1024)
    .option('--request-timeout <seconds>', 'a request not answered within this time gets 503', positiveInteger(3600), 60)
    .option(
      '--batch-linger-ms <ms>',
      'while clients send concurrently, wait this long before an engine call so that more requests join it (0: off, as TEI)',
      (v) => (v === '0' ? 0 : positiveInteger(1000)(v)),
      0,
    )
    .option(
      '--auto-truncate',
      "cut texts longer than the model's maximum length (256 word pieces for all-MiniLM-L6-v2) instead of refusing them (TEI's /embed truncate default; /v1/embeddings)",
      false,
    )
    .action(async (options: ServeOptions) => {
      const layout = command.getOptionValueSource('workers') === 'default' ? defaultServeLayout() : { workers: options.workers };
      const engine = createEngine({ ...options, ...layout, progress: false });
      const info = await engine.load();
      if (options.maxBatchTokens < info.maxSeqLength) {
        await engine.dispose();
        throw new CliError(`--max-batch-tokens must hold one whole text of ${info.name}: at least ${info.maxSeqLength}.`);
      }
      let failed = false;
      engine.on('state', (state) => {
        if (state.kind === 'error') failed = true;
      });
      const embedder: Embedder = {
        modelId: info.name,
        modelSha: null,
        dtype: info.dtype,
        dimension: info.dimension,
        maxInputLength: info.maxSeqLength,
        tokenizationWorkers: info.workers,
        // TEI names one mode (last_token with an underscore); several concatenated modes are joined with +.
        pooling: info.pooling.map((mode) => (mode === 'lasttoken' ? 'last_token' : mode)).join('+'),
        promptNames: info.promptNames,
        defaultPromptName: info.defaultPromptName ?? null,
        encode: async (texts, signal, { promptName, normalize }) => {
          const encoded = await engine.encodeWithTokens(texts, { signal, batchSize: options.batchSize, promptName, normalize });
          return { vectors: encoded.vectors, tokens: encoded.tokens.map((t) => t.count) };
        },
        tooLong: async (texts, signal, promptName) => (await engine.countTokens(texts, signal, { promptName })).map((t) => t.truncated),
        healthy: () => !failed && engine.state.kind === 'ready',
      };
      const { app, batcher } = await buildServer(embedder, {
        apiKey: options.apiKey || undefined,
        maxBodyBytes: options.maxBody,
        maxClientBatchSize: options.maxClientBatchSize,
        maxBatchTokens: options.maxBatchTokens,
        maxQueue: options.maxQueue,
        requestTimeoutMs: options.requestTimeout * 1000,
        autoTruncate: options.autoTruncate,
        batchLingerMs: options.batchLingerMs,
        concurrentBatches: info.workers,
        version: program.version() ?? 'unknown',
      });
      try {
        await app.listen({ host: options.host, port: options.port });
      } catch (error) {
        await engine.dispose();
        throw new CliError(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
      }
      const address = app.server.address();
      const where =
        typeof address === 'object' && address ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);
      process.stderr.write(`minilm: serving ${info.name} (${info.dtype}); listening on http://${where}\n`);
      if (options.apiKey === undefined && !['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
        process.stderr.write('minilm: warning: no --api-key and the server is reachable from the network\n');
      }

      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          process.stderr.write(`minilm: ${signal}: finishing requests in flight, then stopping\n`);
          const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          void app
            .close()
            .then(() => batcher.idle())
            .finally(async () => {
              clearTimeout(force);
              await engine.dispose().catch((error: unknown) => {
                if (!(error instanceof EngineError)) throw error;
              });
              resolve();
            });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
