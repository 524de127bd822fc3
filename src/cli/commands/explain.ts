import type { Command } from 'commander';
import { cosineSimilarity, idfWeights, type IdfWeights } from '../../core';
import type { TokenEmbeddings } from '../../engine';
import { alignPieces, type ExplainJson } from '../../shared/explainView';
import { CliError } from '../cliError';
import {
  addInputOptions,
  addLocalOnlyBackendOption,
  addModelOptions,
  addOutputOptions,
  addPromptOptions,
  encodeWithProgress,
  outputFormat,
  positiveInteger,
  withEngine,
  type InputOptions,
  type ModelOptions,
  type OutputOptions,
  type PromptCliOptions,
} from '../commonOptions';
import { readTexts } from '../inputTexts';
import { emit } from '../outTarget';
import { cellText, renderTable, score4 } from '../output';
import { requireTexts } from './texts';

type Options = ModelOptions & InputOptions & OutputOptions & PromptCliOptions & { top: number; idf?: string };

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description(
      'explain the similarity of two texts: cosine of every word piece of A with every word piece of B (contextual token embeddings, special tokens left out), greedy-matching precision / recall / F1 as BERTScore, and the sentence cosine',
    )
    .argument('[texts...]', 'the two texts A and B; - reads stdin');
  addInputOptions(command);
  addModelOptions(command);
  addLocalOnlyBackendOption(command, 'it compares the token embeddings, which no embedding server returns');
  addPromptOptions(command, 'both texts');
  command.option('--top <n>', 'table: aligned pairs to show', positiveInteger(1000), 10);
  command.option('--idf <file>', 'weight precision and recall by idf over this corpus (BERTScore: log((M+1)/(df+1)) per word piece; same formats as --input)');
  addOutputOptions(command, ['table', 'json'], ' (json: {tokens_a, tokens_b, matrix, precision, recall, f1, cosine}, plus "idf": true with --idf)');
  command.action(async (args: string[], options: Options) => {
    const format = outputFormat(options);
    if (options.idf === '-' && (options.input === '-' || (args.length === 1 && args[0] === '-')))
      throw new CliError('stdin can hold the texts or the --idf corpus, not both: give one of them as a file');
    const texts = await requireTexts(args, options, 2);
    if (texts.length !== 2) throw new CliError(`explain compares exactly two texts, got ${texts.length}`);
    const corpus = options.idf === undefined ? undefined : await readIdfCorpus(options.idf, options);
    const prompt = { prompt: options.prompt, promptName: options.promptName };
    await withEngine(options, async (engine) => {
      // The corpus is tokenised as A and B are (same prompt, same truncation): a prompt's pieces, in every
      // document, weigh 0.
      const weights = corpus && idfWeights(await engine.tokenIds(corpus, undefined, prompt));
      const vectors = await encodeWithProgress(engine, texts, options, 'encoding', prompt);
      const a = await engine.tokenEmbeddings(texts[0]!, prompt);
      const b = await engine.tokenEmbeddings(texts[1]!, prompt);
      const result = explain(a, b, cosineSimilarity(vectors[0]!, vectors[1]!), weights);
      if (format === 'json') return emit(`${JSON.stringify(result)}\n`, options.out);
      return emit(explainTable(result, texts as [string, string], options.top, a.truncated || b.truncated), options.out);
    });
  });
}

async function readIdfCorpus(file: string, options: InputOptions): Promise<string[]> {
  const corpus = await readTexts({
    input: file,
    inputFormat: options.inputFormat,
    column: options.column,
    encodingErrors: options.encodingErrors,
    optionName: '--idf',
  });
  if (corpus.length === 0) throw new CliError(`--idf ${file} holds no texts: give a corpus with one text per line (or .jsonl, .json, .csv/.tsv)`);
  return corpus;
}

/** The alignment of two texts' token embeddings in the JSON contract's shape; `weights` make it idf-weighted. */
export function explain(a: TokenEmbeddings, b: TokenEmbeddings, cosine: number, weights?: IdfWeights): ExplainJson {
  const pieces = alignPieces(a, b, weights ? { idf: weights.idf, defaultWeight: weights.defaultWeight } : {});
  return {
    tokens_a: pieces.tokensA,
    tokens_b: pieces.tokensB,
    matrix: pieces.matrix,
    precision: pieces.precision,
    recall: pieces.recall,
    f1: pieces.f1,
    cosine,
    ...(weights ? { idf: true as const } : {}),
  };
}

/** For people: the best-matching pairs (each piece's best partner on the other side), then the scores. */
export function explainTable(result: ExplainJson, texts: [string, string], top: number, truncated = false): string {
  const pairs = new Map<string, { r: number; c: number; from: Set<string> }>();
  const add = (r: number, c: number, from: string) => {
    const key = `${r},${c}`;
    const pair = pairs.get(key) ?? { r, c, from: new Set<string>() };
    pair.from.add(from);
    pairs.set(key, pair);
  };
  const { matrix, tokens_a: ta, tokens_b: tb } = result;
  matrix.forEach((row, r) => add(r, argmax(row), 'A→B'));
  tb.forEach((_, c) => add(argmax(matrix.map((row) => row[c]!)), c, 'B→A'));
  const ranked = [...pairs.values()].sort((p, q) => matrix[q.r]![q.c]! - matrix[p.r]![p.c]! || p.r - q.r || p.c - q.c).slice(0, top);
  const rows = ranked.map((p) => [cellText(ta[p.r]!, 24), cellText(tb[p.c]!, 24), score4(matrix[p.r]![p.c]!), p.from.size === 2 ? 'both' : [...p.from][0]!]);
  const lines = [`A  ${cellText(texts[0], 70)}`, `B  ${cellText(texts[1], 70)}`, ''];
  if (ta.length === 0 || tb.length === 0) lines.push('(a text has no word pieces to align)', '');
  else lines.push(renderTable(['A piece', 'B piece', 'cosine', 'best match of'], rows, ['left', 'left', 'right']));
  const mean = result.idf ? 'idf-weighted mean' : 'mean';
  lines.push(
    `precision ${score4(result.precision)}  (A's pieces, ${mean} best cosine in B)`,
    `recall    ${score4(result.recall)}  (B's pieces, ${mean} best cosine in A)`,
    `F1        ${score4(result.f1)}`,
    `cosine    ${score4(result.cosine)}  (sentence embeddings)`,
  );
  if (truncated) lines.push('note: a text was longer than the model takes; only its first word pieces were compared');
  return `${lines.join('\n')}\n`;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
