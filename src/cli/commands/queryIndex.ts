import path from 'node:path';
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { IndexStore, defaultScanThreads, queryIndex } from '../../engine/workspaceIndex';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  addPromptOptions,
  encodingErrorsOption,
  explicitPrompt,
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
import { cellText, jsonArrayLines, renderTable, score4 } from '../output';
import type { Dtype } from '../../engine';

interface QueryCliOptions extends ModelOptions, BackendOptions, OutputOptions, PromptCliOptions {
  index: string;
  queries?: string;
  inputFormat?: InputFormat;
  column?: string;
  encodingErrors: EncodingErrors;
  topK: number;
}

export function registerQuery(program: Command): void {
  const command = program
    .command('query')
    .description('search an index built by `minilm index`: the chunks closest in meaning to each query, best first')
    .argument('[queries...]', 'query texts (or use --queries FILE); - reads stdin')
    .requiredOption('--index <folder>', 'index folder written by `minilm index`')
    .option('-q, --queries <file>', 'query texts from a file (.txt one per line, .jsonl, .json, .csv/.tsv with --column), or - for stdin')
    .addOption(new Option('--input-format <format>', 'how to read --queries (default: from the extension)').choices(INPUT_FORMATS))
    .option('--column <name>', 'CSV/TSV column holding the texts')
    .addOption(encodingErrorsOption())
    .option('-k, --top-k <k>', 'results per query', positiveInteger(), 10);
  addPromptOptions(command, 'each query (default: the model\'s "query" prompt, as encode_query)');
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json'], ' (json: per query an array of {"path", "start_line", "end_line", "score", "text"}, best first)');
  command.action(async (args: string[], options: QueryCliOptions) => {
    if (options.queries === undefined && args.length === 0) throw new CliError('no queries: give them as arguments or with --queries FILE');
    const indexDir = path.resolve(options.index);
    if (!fs.existsSync(indexDir)) throw new CliError(`no index at ${options.index}: build it with \`minilm index DIR --index ${options.index}\``);
    const queries = await readTexts({
      inputFormat: options.inputFormat,
      column: options.column,
      encodingErrors: options.encodingErrors,
      args,
      input: options.queries,
      optionName: '--queries',
    });
    const store = await IndexStore.open(indexDir, { readOnly: true, scanThreads: defaultScanThreads() });
    try {
      const identity = store.identity();
      if (identity === undefined) throw new CliError(`${options.index} holds no index yet: build it with \`minilm index DIR --index ${options.index}\``);
      // Without --dtype, query with the weights that built the index.
      // (An index built by a remote backend records no weights of ours: "remote".)
      const dtype = command.getOptionValueSource('dtype') === 'default' && identity.backend === undefined ? (identity.dtype as Dtype) : options.dtype;
      const hits = await withEmbedder({ ...options, dtype }, (embedder) =>
        queryIndex(embedder, store, queries, { topK: options.topK, queryPrompt: explicitPrompt(options) }),
      );
      if (outputFormat(options) === 'json') {
        return await emit(
          jsonArrayLines(hits, (list) =>
            JSON.stringify(list.map((h) => ({ path: h.path, start_line: h.startLine, end_line: h.endLine, score: h.score, text: h.text }))),
          ),
          options.out,
        );
      }
      const blocks = hits.map((list, q) => {
        const rows = list.map((h, rank) => [String(rank + 1), score4(h.score), `${h.path}:${h.startLine}-${h.endLine}`, cellText(h.text)]);
        return `query ${q}: ${cellText(queries[q]!, 70)}\n${renderTable(['rank', 'score', 'where', 'text'], rows, ['right', 'right'])}`;
      });
      return await emit(blocks.join('\n'), options.out);
    } finally {
      await store.close();
    }
  });
}
