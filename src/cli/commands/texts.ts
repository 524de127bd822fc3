import { CliError } from '../cliError';
import type { InputOptions } from '../commonOptions';
import { readTexts } from '../inputTexts';

/** Texts from arguments, --input or stdin; at least `min` of them. */
export async function requireTexts(args: readonly string[], options: InputOptions, min = 0): Promise<string[]> {
  if (args.length === 0 && options.input === undefined) {
    throw new CliError('no texts: give them as arguments, with --input FILE, or as - to read stdin');
  }
  const texts = await readTexts({
    args,
    input: options.input,
    inputFormat: options.inputFormat,
    column: options.column,
    encodingErrors: options.encodingErrors,
  });
  if (texts.length < min) throw new CliError(`this command needs at least ${min} text${min === 1 ? '' : 's'}, got ${texts.length}`);
  return texts;
}
