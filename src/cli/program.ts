import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { EngineError } from '../engine';
import { IndexFormatError, IndexFullError, IndexLockedError } from '../engine/workspaceIndex';
import { CliError, oneLine } from './cliError';
import { registerCluster } from './commands/cluster';
import { registerDoctor } from './commands/doctor';
import { registerDownload } from './commands/download';
import { registerEncode } from './commands/encode';
import { registerEvalSts } from './commands/evalSts';
import { registerExamples } from './commands/examples';
import { registerExplain } from './commands/explain';
import { registerIndex } from './commands/indexFolder';
import { registerInfo } from './commands/info';
import { registerMine } from './commands/mine';
import { registerModels } from './commands/models';
import { registerQuery } from './commands/queryIndex';
import { registerSearch } from './commands/search';
import { registerServe } from './commands/serve';
import { registerMatrix, registerSimilarity } from './commands/similarity';

export function buildProgram(): Command {
  const program = new Command('minilm')
    .description(
      'sentence embeddings on your machine (all-MiniLM-L6-v2, or any sentence-transformers model folder with an ONNX export): encode, compare, search, mine, cluster, evaluate',
    )
    .version(packageVersion())
    .addHelpText(
      'after',
      '\nThe model is looked up in --model-dir (or $MINILM_MODEL_DIR), then ./models, then the per-user cache;\n' +
        "use `minilm download` or --allow-download to fetch it. Run `minilm <command> --help` for a command's options.",
    );
  registerEncode(program);
  registerSimilarity(program);
  registerSearch(program);
  registerMatrix(program);
  registerExplain(program);
  registerExamples(program);
  registerMine(program);
  registerCluster(program);
  registerEvalSts(program);
  registerIndex(program);
  registerQuery(program);
  registerModels(program);
  registerDownload(program);
  registerInfo(program);
  registerServe(program);
  registerDoctor(program);
  return program;
}

/**
 * The version in the project's package.json, found upward from this file (dist/cli.js or out/src/cli/program.js).
 * Read at run time rather than imported: importing package.json would make tsc copy it into out/.
 */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'minilm-studio' && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** The one line printed for a failure: our own errors carry their advice; anything else is a bug to report. */
export function errorLine(error: unknown): string {
  if (error instanceof EngineError && error.code === 'MODEL_NOT_FOUND') {
    return `${oneLine(error.message)} From the command line: --model-dir DIR, or \`minilm download\` (or --allow-download) to fetch it.`;
  }
  if (error instanceof EngineError && error.code === 'DOWNLOAD_FAILED') {
    return `${oneLine(error.message)} No local copy was found; to use one, pass --model-dir DIR or set MINILM_MODEL_DIR.`;
  }
  if (error instanceof CliError || error instanceof EngineError) return oneLine(error.message);
  if (error instanceof IndexFormatError || error instanceof IndexFullError || error instanceof IndexLockedError) return oneLine(error.message);
  if (error instanceof RangeError) return oneLine(error.message);
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${oneLine(message)} (set MINILM_DEBUG=1 to see the stack trace and report it)`;
}

/** Runs the command line; failures become one line on stderr and a non-zero exit status. */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  // `minilm ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (process.env.MINILM_DEBUG) console.error(error);
    process.stderr.write(`minilm: ${errorLine(error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
