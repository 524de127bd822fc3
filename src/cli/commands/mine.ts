import type { Command } from 'commander';
import { paraphraseMining } from '../../core';
import {
  addInputOptions,
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  encodeWithProgress,
  outputFormat,
  positiveInteger,
  withEmbedder,
  type InputOptions,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
} from '../commonOptions';
import { emit } from '../outTarget';
import { cellText, csvLines, jsonArrayLines, renderTable, score4 } from '../output';
import { requireTexts } from './texts';

interface MineOptions extends ModelOptions, BackendOptions, InputOptions, OutputOptions {
  topK: number;
  maxPairs: number;
  queryChunkSize: number;
  corpusChunkSize: number;
}

export function registerMine(program: Command): void {
  const command = program
    .command('mine')
    .description('paraphrase mining: the most similar pairs among the texts (util.paraphrase_mining)')
    .argument('[texts...]', 'texts; - reads stdin')
    .option('-k, --top-k <k>', 'partners considered per text', positiveInteger(), 100)
    .option('--max-pairs <n>', 'most pairs returned', positiveInteger(), 500_000)
    .option('--query-chunk-size <n>', 'as in sentence-transformers', positiveInteger(), 5000)
    .option('--corpus-chunk-size <n>', 'as in sentence-transformers (affects which partners are considered)', positiveInteger(), 100_000);
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv'], ' (json: [[score, i, j], ...] with i < j, best first)');
  command.action(async (args: string[], options: MineOptions) => {
    const format = outputFormat(options);
    const texts = await requireTexts(args, options);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      const pairs = paraphraseMining(vectors, {
        topK: options.topK,
        maxPairs: options.maxPairs,
        queryChunkSize: options.queryChunkSize,
        corpusChunkSize: options.corpusChunkSize,
      });
      if (format === 'json') return emit(jsonArrayLines(pairs), options.out);
      if (format === 'csv') return emit(csvLines(['score', 'i', 'j'], pairs), options.out);
      const rows = pairs.map(([score, i, j]) => [score4(score), String(i), String(j), cellText(texts[i], 40), cellText(texts[j], 40)]);
      return emit(renderTable(['cosine', 'i', 'j', 'text i', 'text j'], rows, ['right', 'right', 'right']), options.out);
    });
  });
}
