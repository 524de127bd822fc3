import { Option, type Command } from 'commander';
import { DTYPES, EngineError, defaultCacheDir, resolveModel, type Dtype } from '../../engine';
import { CliError } from '../cliError';
import { createProgress } from '../progress';

interface DownloadOptions {
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
    .description('download all-MiniLM-L6-v2 into the per-user cache (pinned revision, SHA-256 checked); prints the folder')
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
        const resolved = await resolveModel({
          dtype: options.dtype,
          allowDownload: true,
          cacheDir: options.cacheDir,
          hub: { endpoint: options.hubEndpoint, repository: options.repository, revision: options.revision },
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
