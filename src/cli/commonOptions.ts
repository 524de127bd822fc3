import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DTYPES, Engine, MODEL_CATALOGUE, parseModelSpec, type Dtype, type EngineOptions, type PromptOptions } from '../engine';
import { BACKENDS, RemoteEmbedder, type Backend, type RemoteApi } from '../engine/remote';
import { CliError } from './cliError';
import { INPUT_FORMATS, type InputFormat } from './inputTexts';
import { ENCODING_ERRORS, type EncodingErrors } from './textDecoding';
import { checkOutTarget } from './outTarget';
import type { OutputFormat } from './output';
import { createProgress, type Progress } from './progress';

/** Options every model-using command accepts. */
export interface ModelOptions {
  /** `--model`: a catalogue id, owner/name[@revision] or a folder. */
  model?: string;
  modelDir?: string;
  dtype: Dtype;
  batchSize: number;
  workers: number;
  /** ONNX Runtime threads per worker; the engine's default (the cores divided among the workers) when absent. */
  threads?: number;
  allowDownload: boolean;
  hubEndpoint?: string;
  progress?: boolean;
  verbose?: boolean;
}

/** `--prompt` / `--prompt-name` (and for search `--corpus-prompt` / `--corpus-prompt-name`). */
export interface PromptCliOptions {
  prompt?: string;
  promptName?: string;
  corpusPrompt?: string;
  corpusPromptName?: string;
}

export interface InputOptions {
  input?: string;
  inputFormat?: InputFormat;
  column?: string;
  encodingErrors: EncodingErrors;
}

export interface OutputOptions {
  format: OutputFormat;
  json?: boolean;
  out?: string;
}

/**
 * The most texts, pairs or results a count option accepts: no input this tool can hold in memory (1.5 kB per
 * vector) comes near it, so a larger value is a typo.
 */
export const MAX_COUNT = 100_000_000;

/** The largest inference batch, as the extension's `minilm.batchSize` setting: beyond it a batch only takes more memory. */
export const MAX_BATCH_SIZE = 512;

/** Whole numbers written in decimal; `Number` would also take "1e3", "0x10" and " ". */
const WHOLE = /^\s*\d+\s*$/;
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/**
 * A parser for an option taking a whole number from 1 to `max`. `why` explains the upper bound in the error.
 * A factory, because commander calls a parser with (value, previous value).
 */
export function positiveInteger(max: number = MAX_COUNT, why = ''): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!WHOLE.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`expected a positive integer, at most ${max}${why}.`);
    }
    return n;
  };
}

/** `--workers`: each worker is a model copy that needs a core of its own, so at most the cores this process may use. */
export function workerCount(value: string): number {
  const cores = os.availableParallelism();
  return positiveInteger(
    cores,
    ` (this machine runs ${cores} thread${cores === 1 ? '' : 's'} at once, os.availableParallelism(), and each worker needs one)`,
  )(value);
}

/** A cosine similarity threshold: cosines lie in [-1, 1], so anything outside matches everything or nothing. */
export function scoreThreshold(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n) || n < -1 || n > 1) throw new InvalidArgumentError('expected a cosine similarity from -1 to 1.');
  return n;
}

export function addModelOptions(command: Command): Command {
  return command
    .option(
      '--model <name>',
      `the model: a catalogue id (${MODEL_CATALOGUE.map((e) => e.id).join(', ')}; see minilm models), a hub repository owner/name[@revision], or a folder (default: all-MiniLM-L6-v2)`,
    )
    .option(
      '--model-dir <dir>',
      'a sentence-transformers model folder (config.json, tokenizer.json, onnx/model.onnx; its modules.json, pooling, Dense, Normalize and prompts are followed), or a folder holding all-MiniLM-L6-v2/ (default: $MINILM_MODEL_DIR, then ./models, then the per-user cache)',
    )
    .addOption(new Option('--dtype <dtype>', 'weights: fp32 (matches PyTorch) or q8 (int8, faster)').choices(DTYPES).default('fp32'))
    .option(
      '--batch-size <n>',
      `texts per inference batch, 1 to ${MAX_BATCH_SIZE}`,
      positiveInteger(MAX_BATCH_SIZE, ' (larger batches only take more memory)'),
      32,
    )
    .option(
      '--workers <n>',
      `inference workers, each with its own copy of the model, 1 to ${os.availableParallelism()} here (the cores available): 2 encodes large inputs 1.17-1.33x faster on 2+ cores, for about 215 MB (fp32) or 130 MB (q8) more peak memory`,
      workerCount,
      1,
    )
    .option('--allow-download', 'download the model from the hub when no local copy is found', false)
    .option('--hub-endpoint <url>', 'hub or mirror base URL, e.g. https://hf-mirror.com (default: $HF_ENDPOINT or https://huggingface.co)')
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'never show a progress bar')
    .option('-v, --verbose', 'log where the model was found and how long it took, on stderr');
}

/** `--backend` and what a remote backend needs: where it is, its key, the model name, how long to wait. */
export interface BackendOptions {
  backend: Backend;
  endpoint?: string;
  /** Never printed or written into a message. */
  apiKey?: string;
  remoteModel?: string;
  /** Seconds one request may take. */
  remoteTimeout: number;
  /** Requests in flight at once. */
  remoteConcurrency: number;
  /** `--no-normalize`: keep a remote server's vectors as they come. */
  normalize: boolean;
}

/**
 * `--backend local|tei|openai|ollama` and its companions, on the commands that embed texts. The key may come from
 * MINILM_API_KEY so that it stays out of shell history and process lists.
 */
export function addBackendOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--backend <backend>',
        'where texts are embedded: local (this machine, default), or a serving engine over HTTP: tei (text-embeddings-inference), openai (any OpenAI-compatible /v1/embeddings), ollama. A remote server applies only its own default prompt: --prompt / --prompt-name text is put before each text here',
      )
        .choices(BACKENDS)
        .default('local'),
    )
    .option('--endpoint <url>', "the remote backend's base URL: tei http://host:8080, openai http://host:8080/v1, ollama (default http://127.0.0.1:11434)")
    .addOption(
      new Option('--api-key <key>', 'API key for the remote backend, sent as "Authorization: Bearer"; better in the environment than on the command line').env(
        'MINILM_API_KEY',
      ),
    )
    .option(
      '--remote-model <name>',
      'model name sent to an openai or ollama backend (default: all-MiniLM-L6-v2 for openai, all-minilm for ollama; tei serves one model)',
    )
    .option('--remote-timeout <seconds>', 'longest wait for one answer of the remote backend', positiveInteger(3600), 60)
    .option(
      '--remote-concurrency <n>',
      'requests to the remote backend in flight at once (a server batches them together; replicas behind a load balancer answer them in parallel)',
      positiveInteger(64),
      4,
    )
    .option(
      '--no-normalize',
      'remote backends: keep the vectors as the server returns them (default: scaled to unit length when the model ends in Normalize: all-MiniLM-L6-v2, or the catalogue model named with --model)',
    );
}

/** The remote backend the options name, or undefined for the local engine. */
export function remoteEmbedder(options: BackendOptions & Pick<ModelOptions, 'batchSize' | 'verbose' | 'model'>): RemoteEmbedder | undefined {
  if (options.backend === 'local' || options.backend === undefined) {
    for (const [given, flag] of [
      [options.endpoint, '--endpoint'],
      [options.remoteModel, '--remote-model'],
    ] as const) {
      if (given !== undefined) throw new CliError(`${flag} is for a remote backend: add --backend tei, openai or ollama.`);
    }
    return undefined;
  }
  const log = options.verbose ? (message: string) => process.stderr.write(`minilm: ${message}\n`) : undefined;
  // A catalogue model named with --model says what the server's vectors should be: normalised or not, its prompts.
  const spec = options.model === undefined ? undefined : parseModelSpec(options.model);
  const entry = spec?.kind === 'catalogue' ? spec.entry : undefined;
  return new RemoteEmbedder({
    api: options.backend as RemoteApi,
    endpoint: options.endpoint,
    model: options.remoteModel ?? (options.backend === 'openai' ? entry?.id : undefined),
    normalize: options.normalize && (entry?.st.normalize ?? true),
    prompts: entry ? { query: '', document: '', ...entry.st.prompts } : undefined,
    batchSize: options.batchSize,
    concurrency: options.remoteConcurrency,
    log,
    policy: {
      apiKey: options.apiKey || undefined,
      timeoutMs: options.remoteTimeout * 1000,
      onRetry:
        log && (({ status, waitMs, attempt }) => log(`${options.backend} backend answered ${status}: retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s`)),
    },
  });
}

/**
 * `--backend` on a command that needs what only the local engine has (token embeddings): accepted so that a remote
 * choice, passed along with the other commands' options, is refused with one line saying why.
 */
export function addLocalOnlyBackendOption(command: Command, why: string): Command {
  return command.addOption(
    new Option('--backend <backend>', `only local: ${why}`)
      .choices(BACKENDS)
      .default('local')
      .argParser((value) => {
        if (value !== 'local')
          throw new InvalidArgumentError(`${command.name()} needs the local model (${why}); a remote backend cannot give it: leave out --backend ${value}.`);
        return value;
      }),
  );
}

/**
 * `--prompt TEXT` and `--prompt-name NAME`, as sentence-transformers' encode(prompt=…, prompt_name=…): the text wins
 * (even ""), and without either the model's default prompt applies. `what` says what they apply to; `prefix` makes
 * `--corpus-prompt` / `--corpus-prompt-name`.
 */
export function addPromptOptions(command: Command, what = 'every text', prefix = ''): Command {
  return command
    .option(`--${prefix}prompt-name <name>`, `put the model's prompt of this name (see minilm info) before ${what}`)
    .option(`--${prefix}prompt <text>`, `put this text before ${what} (wins over --${prefix}prompt-name; "" turns the model's default prompt off)`);
}

/** The prompt the user asked for, or undefined when neither option was given (so a command's own default applies). */
export function explicitPrompt(options: Pick<PromptCliOptions, 'prompt' | 'promptName'>): PromptOptions | undefined {
  return options.prompt !== undefined || options.promptName !== undefined ? { prompt: options.prompt, promptName: options.promptName } : undefined;
}

export function addInputOptions(command: Command, what = 'texts'): Command {
  return command
    .option('-i, --input <file>', `read ${what} from a file (.txt one per line, .jsonl, .json, .csv/.tsv with --column) or - for stdin`)
    .addOption(new Option('--input-format <format>', 'how to read --input (default: from the file extension; stdin: txt)').choices(INPUT_FORMATS))
    .option('--column <name>', 'CSV/TSV column holding the texts (header name or 1-based number)')
    .addOption(encodingErrorsOption());
}

/** `--encoding-errors strict|replace`: what to do with input that is not valid UTF-8. */
export function encodingErrorsOption(): Option {
  return new Option(
    '--encoding-errors <mode>',
    'input files and stdin that are not valid UTF-8: strict (an error naming file and line) or replace (read invalid bytes as U+FFFD, with a note on stderr)',
  )
    .choices(ENCODING_ERRORS)
    .default('strict');
}

/**
 * `--format`, `--json` and `--out`. `--out` is checked before the command runs (so before the model loads and the
 * texts are encoded): a path that cannot be written fails at once. `folderFiles`: the files `--format tsv` writes
 * into the folder `--out DIR`.
 */
export function addOutputOptions(command: Command, formats: readonly OutputFormat[], extraHelp = '', folderFiles: readonly string[] = []): Command {
  return command
    .addOption(new Option('-f, --format <format>', `output format${extraHelp}`).choices(formats).default('table'))
    .option('--json', 'same as --format json')
    .option(
      '-o, --out <file>',
      'write the output to this file (atomically; through a symbolic link; a named pipe or device is streamed into) instead of stdout',
    )
    .hook('preAction', async (_command, action) => {
      const options = action.opts<OutputOptions>();
      await checkOutTarget(options.out, outputFormat(options) === 'tsv' ? 'folder' : 'file', folderFiles);
    });
}

export function outputFormat(options: OutputOptions): OutputFormat {
  return options.json ? 'json' : options.format;
}

/** The engine as the CLI uses it: the project models folder is ./models of the current directory. */
export function createEngine(options: ModelOptions): Engine {
  const engine = new Engine({
    ...modelChoice(options),
    projectModelsDir: path.resolve('models'),
    dtype: options.dtype,
    batchSize: options.batchSize,
    workers: options.workers,
    threads: options.threads,
    allowDownload: options.allowDownload,
    // q8 vectors shift slightly with the batch they are computed in; a cache hit changes later batches, so a
    // one-shot command encodes every call afresh and `search` gives the same query vectors as `encode`.
    cacheEntries: 0,
    log: options.verbose ? (message) => process.stderr.write(`minilm: ${message}\n`) : undefined,
  });
  const bar = createProgress('downloading', options.progress, 'MB', 1e6);
  engine.on('download', (p) => bar.update(p.overallReceived ?? p.received, p.overallTotal ?? p.total ?? p.received));
  engine.on('state', (state) => {
    if (state.kind !== 'downloading') bar.stop();
  });
  return engine;
}

/** Engine options for `--model` / `--model-dir` / `--hub-endpoint`: one clear error for a name that is none of them. */
export function modelChoice(options: Pick<ModelOptions, 'model' | 'modelDir' | 'hubEndpoint'>): Pick<EngineOptions, 'modelDir' | 'hub' | 'modelNamed'> {
  if (options.model === undefined) return { modelDir: options.modelDir, hub: { endpoint: options.hubEndpoint } };
  if (options.modelDir !== undefined) throw new CliError('--model and --model-dir both name a model; give one of them.');
  const spec = parseModelSpec(options.model);
  switch (spec.kind) {
    case 'folder':
      return { modelDir: spec.dir, hub: { endpoint: options.hubEndpoint } };
    case 'catalogue':
      return { hub: { endpoint: options.hubEndpoint, repository: spec.entry.repository, revision: spec.entry.revision }, modelNamed: true };
    case 'hub':
      return { hub: { endpoint: options.hubEndpoint, repository: spec.repository, revision: spec.revision }, modelNamed: true };
  }
}

/** Runs `work` with an engine and always releases its worker, so the process can exit. */
export async function withEngine<T>(options: ModelOptions, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine(options);
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

/** Runs `work` with the backend the options name: the local engine (released afterwards) or a remote server. */
export async function withEmbedder<T>(options: ModelOptions & BackendOptions, work: (embedder: Engine | RemoteEmbedder) => Promise<T>): Promise<T> {
  const remote = remoteEmbedder(options);
  if (remote) return work(remote);
  return withEngine(options, work);
}

/** Encodes with a progress bar (batches, or requests for a remote backend) on stderr. */
export async function encodeWithProgress(
  engine: Pick<Engine, 'encode'>,
  texts: readonly string[],
  options: ModelOptions,
  label = 'encoding',
  prompt: PromptOptions = {},
): Promise<Float32Array[]> {
  const bar: Progress = createProgress(label, options.progress);
  try {
    return await engine.encode(texts, { ...prompt, batchSize: options.batchSize, onProgress: ({ done, total }) => bar.update(done, total) });
  } finally {
    bar.stop();
  }
}
