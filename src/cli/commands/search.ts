import { Option, type Command } from 'commander';
import { semanticSearch } from '../../core';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  addPromptOptions,
  encodeWithProgress,
  encodingErrorsOption,
  outputFormat,
  positiveInteger,
  withEmbedder,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
  type PromptCliOptions,
} from '../commonOptions';
import { INPUT_FORMATS, readTexts, type InputFormat } from '../inputTexts';
import type { EncodingErrors } from '../textDecoding';
import { emit } from '../outTarget';
import { cellText, csvLines, jsonArrayLines, renderTable, score4 } from '../output';

interface SearchOptions extends ModelOptions, BackendOptions, OutputOptions, PromptCliOptions {
  corpus: string;
  queries?: string;
  inputFormat?: InputFormat;
  column?: string;
  encodingErrors: EncodingErrors;
  topK: number;
  queryChunkSize: number;
  corpusChunkSize: number;
}

export function registerSearch(program: Command): void {
  const command = program
    .command('search')
    .description('top-k semantic search of queries over a corpus (util.semantic_search)')
    .argument('[queries...]', 'query texts (or use --queries FILE); - reads stdin')
    .requiredOption('-c, --corpus <file>', 'corpus texts (.txt one per line, .jsonl, .json, .csv/.tsv with --column)')
    .option('-q, --queries <file>', 'query texts from a file, or - for stdin')
    .addOption(new Option('--input-format <format>', 'how to read --corpus and --queries (default: from the extension)').choices(INPUT_FORMATS))
    .option('--column <name>', 'CSV/TSV column holding the texts')
    .addOption(encodingErrorsOption())
    .option('-k, --top-k <k>', 'results per query', positiveInteger(), 10)
    .option('--query-chunk-size <n>', 'as in sentence-transformers (no effect on results)', positiveInteger(), 100)
    .option('--corpus-chunk-size <n>', 'as in sentence-transformers', positiveInteger(), 500_000);
  addPromptOptions(command, 'each query');
  addPromptOptions(command, 'each corpus text', 'corpus-');
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv'], ' (json: per query an array of {"corpus_id", "score"}, best first)');
  command.action(async (args: string[], options: SearchOptions) => {
    const format = outputFormat(options);
    if (options.queries === undefined && args.length === 0) throw new CliError('no queries: give them as arguments or with --queries FILE');
    const read = { inputFormat: options.inputFormat, column: options.column, encodingErrors: options.encodingErrors };
    const corpus = await readTexts({ ...read, input: options.corpus, optionName: '--corpus' });
    const queries = await readTexts({ ...read, args, input: options.queries, optionName: '--queries' });
    await withEmbedder(options, async (embedder) => {
      // Two calls, as a Python caller encodes corpus and queries separately; each with its own prompt (without one,
      // the model's default prompt applies to both, as in encode()).
      const corpusVectors = await encodeWithProgress(embedder, corpus, options, 'corpus ', {
        prompt: options.corpusPrompt,
        promptName: options.corpusPromptName,
      });
      const queryVectors = await encodeWithProgress(embedder, queries, options, 'queries', { prompt: options.prompt, promptName: options.promptName });
      const hits = semanticSearch(queryVectors, corpusVectors, {
        topK: options.topK,
        queryChunkSize: options.queryChunkSize,
        corpusChunkSize: options.corpusChunkSize,
      });
      if (format === 'json')
        return emit(
          jsonArrayLines(hits, (list) => JSON.stringify(list.map((h) => ({ corpus_id: h.corpus_id, score: h.score })))),
          options.out,
        );
      if (format === 'csv') {
        const rows = hits.flatMap((list, q) => list.map((h, rank) => [q, rank + 1, h.corpus_id, h.score]));
        return emit(csvLines(['query_id', 'rank', 'corpus_id', 'score'], rows), options.out);
      }
      const blocks = hits.map((list, q) => {
        const rows = list.map((h, rank) => [String(rank + 1), score4(h.score), String(h.corpus_id), cellText(corpus[h.corpus_id])]);
        return `query ${q}: ${cellText(queries[q], 70)}\n${renderTable(['rank', 'cosine', 'id', 'text'], rows, ['right', 'right', 'right'])}`;
      });
      return emit(blocks.join('\n'), options.out);
    });
  });
}
