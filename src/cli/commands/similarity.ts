import type { Command } from 'commander';
import { modelSimilarity, vectorsToNpy, type SimilarityFunction } from '../../core';
import { Engine } from '../../engine';
import type { RemoteEmbedder } from '../../engine/remote';
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

/**
 * The loaded model's similarity_fn_name, as `SentenceTransformer.similarity` applies it. A remote backend says
 * nothing of its model's: its vectors are compared by cosine, as TEI and OpenAI clients do.
 */
function similarityFunctionOf(embedder: Engine | RemoteEmbedder): SimilarityFunction {
  return embedder instanceof Engine ? (embedder.info?.similarityFunction ?? 'cosine') : 'cosine';
}

/** Table headings: higher is more similar for every function (distances are negated, as in sentence-transformers). */
const HEADING: Record<SimilarityFunction, string> = { cosine: 'cosine', dot: 'dot', euclidean: '-euclidean', manhattan: '-manhattan' };

/** `{"similarity_fn": …, "matrix": [rows]}`, one row per line so that a large matrix streams. */
function* matrixJson(similarityFn: SimilarityFunction, rows: Iterable<Float32Array>): Iterable<string> {
  yield `{"similarity_fn": ${JSON.stringify(similarityFn)}, "matrix": `;
  yield* jsonArrayLines(rows, (row) => JSON.stringify(Array.from(row)));
  yield '}\n';
}

export function registerSimilarity(program: Command): void {
  const command = program
    .command('similarity')
    .description("similarity of the first text with each of the others, by the model's similarity function (cosine for most)")
    .argument('[texts...]', 'two or more texts; - reads stdin');
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv'], ' (json: {"similarity_fn", "scores": one per other text})');
  command.action(async (args: string[], options: Options) => {
    const format = outputFormat(options);
    const texts = await requireTexts(args, options, 2);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      const similarityFn = similarityFunctionOf(embedder);
      // float32 scores, like model.similarity(a, b)
      const scores = Array.from(modelSimilarity([vectors[0]], vectors.slice(1), similarityFn).data);
      const others = texts.slice(1);
      if (format === 'json') return emit(`{"similarity_fn": ${JSON.stringify(similarityFn)}, "scores": ${JSON.stringify(scores)}}\n`, options.out);
      if (format === 'csv')
        return emit(
          csvLines(
            ['text', 'score'],
            others.map((t, i) => [t, scores[i]]),
          ),
          options.out,
        );
      const rows = others.map((t, i) => [String(i + 1), score4(scores[i]), cellText(t)]);
      return emit(`${cellText(texts[0], 70)}\n\n${renderTable(['#', HEADING[similarityFn], 'text'], rows, ['right', 'right'])}`, options.out);
    });
  });
}

export function registerMatrix(program: Command): void {
  const command = program
    .command('matrix')
    .description("similarity matrix of all texts (N x N), by the model's similarity function (cosine for most)")
    .argument('[texts...]', 'texts; - reads stdin');
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv', 'npy'], ' (json: {"similarity_fn", "matrix": array of rows}; npy: float32 (n, n))');
  command.action(async (args: string[], options: Options) => {
    const format = outputFormat(options);
    if (format === 'npy') checkBinaryTarget(options.out, format);
    const texts = await requireTexts(args, options, 1);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      const similarityFn = similarityFunctionOf(embedder);
      const matrix = modelSimilarity(vectors, undefined, similarityFn);
      const n = matrix.rows;
      const rows = Array.from({ length: n }, (_, r) => matrix.data.subarray(r * n, (r + 1) * n));
      switch (format) {
        case 'json':
          return emit(matrixJson(similarityFn, rows), options.out);
        case 'csv':
          return emit(
            csvLines(
              ['', ...texts],
              rows.map((row, r) => [texts[r], ...Array.from(row)]),
            ),
            options.out,
          );
        case 'npy':
          return emit(vectorsToNpy(rows, n), options.out);
        default: {
          const header = ['', ...texts.map((_, c) => `#${c}`)];
          const body = rows.map((row, r) => [`#${r}`, ...Array.from(row, (v) => v.toFixed(3))]);
          const legend = texts.map((t, i) => `#${i}  ${cellText(t, 70)}`).join('\n');
          return emit(
            `${renderTable(
              header,
              body,
              header.map(() => 'right'),
            )}\n${legend}\n`,
            options.out,
          );
        }
      }
    });
  });
}
