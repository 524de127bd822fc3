import { Option, type Command } from 'commander';
import { DTYPES, EngineError, defaultCacheDir, downloadSize, parseModelSpec, resolveModel, type CatalogueEntry, type Dtype } from '../../engine';
import { CliError } from '../cliError';
import { createProgress } from '../progress';
import { sizeText } from './models';

interface DownloadOptions {
  model?: string;
  dtype: Dtype;
  hubEndpoint?: string;
  repository?: string;
  revision?: string;
  cacheDir?: string;
  progress?: boolean;
  verbose?: boolean;
}

export function registerDownload(program: Command): void {
  program
    .command('download')
    .description(
      'download a model into the per-user cache (default all-MiniLM-L6-v2; catalogue models at their pinned revision, every file checked against its published digest); prints the folder',
    )
    .option('--model <name>', 'a catalogue id (see minilm models) or a hub repository owner/name[@revision]')
    .addOption(new Option('--dtype <dtype>', 'weights to fetch: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx)').choices(DTYPES).default('fp32'))
    .option('--hub-endpoint <url>', 'hub or mirror base URL, e.g. https://hf-mirror.com (default: $HF_ENDPOINT or https://huggingface.co)')
    .option('--repository <id>', 'repository in transformers.js layout (default: Xenova/all-MiniLM-L6-v2)')
    .option('--revision <commit>', 'commit to pin (default: the revision this release was tested with)')
    .option('--cache-dir <dir>', `cache folder (default: ${defaultCacheDir()})`)
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal')
    .option('--no-progress', 'never show a progress bar')
    .option('-v, --verbose', 'log each step on stderr')
    .action(async (options: DownloadOptions) => {
      const bar = createProgress('downloading', options.progress, 'MB', 1e6);
      const abort = new AbortController();
      const onInterrupt = () => abort.abort();
      process.once('SIGINT', onInterrupt);
      // MINILM_MODEL_DIR names a folder to use instead of the cache; here the cache itself is the point.
      const env = { ...process.env, MINILM_MODEL_DIR: '' };
      try {
        const hub = { endpoint: options.hubEndpoint, ...namedModel(options) };
        const resolved = await resolveModel({
          dtype: options.dtype,
          allowDownload: true,
          cacheDir: options.cacheDir,
          hub,
          env,
          signal: abort.signal,
          log: (message) => {
            if (options.verbose) process.stderr.write(`minilm: ${message}\n`);
          },
          onDownload: (p) => bar.update(p.overallReceived ?? p.received, p.overallTotal ?? p.total ?? p.received),
        });
        bar.stop();
        if (resolved.source === 'cache') process.stderr.write(`minilm: already in the cache (${options.dtype})\n`);
        process.stdout.write(`${resolved.dir}\n`);
      } catch (error) {
        // The engine's hint about local copies does not apply: this command only fills the cache.
        if (error instanceof EngineError && error.code === 'DOWNLOAD_FAILED') throw new CliError(error.message);
        throw error;
      } finally {
        bar.stop();
        process.off('SIGINT', onInterrupt);
      }
    });
}

/** `--model` as a repository and revision, with the catalogue entry's facts on stderr before anything is fetched. */
function namedModel(options: DownloadOptions): { repository?: string; revision?: string } {
  if (options.model === undefined) return { repository: options.repository, revision: options.revision };
  if (options.repository !== undefined || options.revision !== undefined)
    throw new CliError('--model names the repository and revision; leave out --repository and --revision.');
  const spec = parseModelSpec(options.model);
  if (spec.kind === 'folder')
    throw new CliError(`--model ${options.model} is a folder; download fills the cache from the hub. Use the folder directly with --model or --model-dir.`);
  if (spec.kind === 'hub') return { repository: spec.repository, revision: spec.revision };
  process.stderr.write(`minilm: ${describeEntry(spec.entry, options.dtype)}\n`);
  return { repository: spec.entry.repository, revision: spec.entry.revision };
}

/** `bge-small-zh-v1.5: Chinese; 512 dimensions; MIT; q8 24.5 MB; from Xenova/bge-small-zh-v1.5@75c43b0…`. */
export function describeEntry(entry: CatalogueEntry, dtype: Dtype): string {
  return `${entry.id}: ${entry.languageSummary}; ${entry.dimension} dimensions; licence ${entry.licence}; ${dtype} download ${sizeText(downloadSize(entry, dtype))}; from ${entry.repository}@${entry.revision} (export of ${entry.baseModel})`;
}
