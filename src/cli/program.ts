import { Command } from 'commander';
import { EngineError } from '../engine';
import { CliError, oneLine } from './cliError';
import { registerCluster } from './commands/cluster';
import { registerDownload } from './commands/download';
import { registerEncode } from './commands/encode';
import { registerEvalSts } from './commands/evalSts';
import { registerExamples } from './commands/examples';
import { registerInfo } from './commands/info';
import { registerMine } from './commands/mine';
import { registerSearch } from './commands/search';
import { registerMatrix, registerSimilarity } from './commands/similarity';
import { version } from '../../package.json';

export function buildProgram(): Command {
  const program = new Command('minilm')
    .description('all-MiniLM-L6-v2 sentence embeddings on your machine: encode, compare, search, mine, cluster, evaluate')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nThe model is looked up in --model-dir (or $MINILM_MODEL_DIR), then ./models, then the per-user cache;\n' +
        'use `minilm download` or --allow-download to fetch it. Run `minilm <command> --help` for a command\'s options.',
    );
  registerEncode(program);
  registerSimilarity(program);
  registerSearch(program);
  registerMatrix(program);
  registerExamples(program);
  registerMine(program);
  registerCluster(program);
  registerEvalSts(program);
  registerDownload(program);
  registerInfo(program);
  return program;
}

/** The one line printed for a failure: our own errors carry their advice; anything else is a bug to report. */
export function errorLine(error: unknown): string {
  if (error instanceof CliError || error instanceof EngineError) return oneLine(error.message);
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

