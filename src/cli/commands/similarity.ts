import type { Command } from 'commander';
import { similarityMatrix, vectorsToNpy } from '../../core';
import {
  addInputOptions,
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  encodeWithProgress,
  outputFormat,
  withEmbedder,
  type InputOptions,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
} from '../commonOptions';
import { checkBinaryTarget, emit } from '../outTarget';
import { cellText, csvLines, jsonArrayLines, renderTable, score4 } from '../output';
import { requireTexts } from './texts';

type Options = ModelOptions & BackendOptions & InputOptions & OutputOptions;

export function registerSimilarity(program: Command): void {
  const command = program
    .command('similarity')
    .description('cosine similarity of the first text with each of the others')
    .argument('[texts...]', 'two or more texts; - reads stdin');
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv'], ' (json: array of scores, one per other text)');
  command.action(async (args: string[], options: Options) => {
    const format = outputFormat(options);
    const texts = await requireTexts(args, options, 2);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      // float32 scores, like util.cos_sim(a, b)
      const scores = Array.from(similarityMatrix([vectors[0]], vectors.slice(1)).data);
      const others = texts.slice(1);
      if (format === 'json') return emit(`${JSON.stringify(scores)}\n`, options.out);
      if (format === 'csv') return emit(csvLines(['text', 'score'], others.map((t, i) => [t, scores[i]])), options.out);
      const rows = others.map((t, i) => [String(i + 1), score4(scores[i]), cellText(t)]);
      return emit(`${cellText(texts[0], 70)}\n\n${renderTable(['#', 'cosine', 'text'], rows, ['right', 'right'])}`, options.out);
    });
  });
}

export function registerMatrix(program: Command): void {
  const command = program
    .command('matrix')
    .description('cosine similarity matrix of all texts (N x N)')
    .argument('[texts...]', 'texts; - reads stdin');
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv', 'npy'], ' (json: array of rows; npy: float32 (n, n))');
  command.action(async (args: string[], options: Options) => {
    const format = outputFormat(options);
    if (format === 'npy') checkBinaryTarget(options.out, format);
    const texts = await requireTexts(args, options, 1);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      const matrix = similarityMatrix(vectors);
      const n = matrix.rows;
      const rows = Array.from({ length: n }, (_, r) => matrix.data.subarray(r * n, (r + 1) * n));
      switch (format) {
        case 'json':
          return emit(jsonArrayLines(rows, (row) => JSON.stringify(Array.from(row))), options.out);
        case 'csv':
          return emit(csvLines(['', ...texts], rows.map((row, r) => [texts[r], ...Array.from(row)])), options.out);
        case 'npy':
          return emit(vectorsToNpy(rows, n), options.out);
        default: {
          const header = ['', ...texts.map((_, c) => `#${c}`)];
          const body = rows.map((row, r) => [`#${r}`, ...Array.from(row, (v) => v.toFixed(3))]);
          const legend = texts.map((t, i) => `#${i}  ${cellText(t, 70)}`).join('\n');
          return emit(`${renderTable(header, body, header.map(() => 'right'))}\n${legend}\n`, options.out);
        }
      }
    });
  });
}
