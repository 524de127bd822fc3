import type { Command } from 'commander';
import { projectorMetadata, vectorsToCsv, vectorsToNpy, vectorsToProjectorTensors } from '../../core';
import { Engine } from '../../engine';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addInputOptions,
  addModelOptions,
  addPromptOptions,
  addOutputOptions,
  encodeWithProgress,
  outputFormat,
  withEmbedder,
  type BackendOptions,
  type InputOptions,
  type ModelOptions,
  type OutputOptions,
  type PromptCliOptions,
} from '../commonOptions';
import { checkBinaryTarget, emit, emitToFolder } from '../outTarget';
import { cellText, jsonArrayLines, renderTable, vectorJson } from '../output';
import { createProgress } from '../progress';
import { requireTexts } from './texts';

type EncodeOptions = ModelOptions & BackendOptions & InputOptions & OutputOptions & PromptCliOptions;

export function registerEncode(program: Command): void {
  const command = program
    .command('encode')
    .description("embed texts as the model's vectors (input order; all-MiniLM-L6-v2: 384-d unit vectors)")
    .argument('[texts...]', 'texts to embed; - reads stdin');
  addInputOptions(command);
  addPromptOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(
    command,
    ['table', 'json', 'csv', 'npy', 'tsv'],
    ' (json: array of vectors; npy: float32 (n, dimension); tsv: Embedding Projector files, --out DIR)',
    PROJECTOR_FILES,
  );
  command.action(async (args: string[], options: EncodeOptions) => {
    const format = outputFormat(options);
    if (format === 'npy') checkBinaryTarget(options.out, format);
    if (format === 'tsv' && !options.out) throw new CliError('--format tsv writes tensors.tsv and metadata.tsv: give the folder with --out DIR');
    const texts = await requireTexts(args, options);
    const prompt = { prompt: options.prompt, promptName: options.promptName };
    await withEmbedder(options, async (embedder) => {
      if (format === 'table' && embedder instanceof Engine) {
        const dimension = (await embedder.load()).dimension;
        const bar = createProgress('encoding', options.progress);
        const { vectors, tokens } = await embedder
          .encodeWithTokens(texts, { ...prompt, batchSize: options.batchSize, onProgress: ({ done, total }) => bar.update(done, total) })
          .finally(() => bar.stop());
        const rows = texts.map((text, i) => [
          String(i),
          `${tokens[i].count}${tokens[i].truncated ? ' (cut)' : ''}`,
          cellText(text, 48),
          vectorCell(vectors[i]),
        ]);
        await emit(renderTable(['#', 'tokens', 'text', `vector (${dimension} dims)`], rows, ['right', 'right']), options.out);
        return;
      }
      const vectors = await encodeWithProgress(embedder, texts, options, 'encoding', prompt);
      // A remote server returns no token counts; its vectors tell their width.
      const dimension = embedder instanceof Engine ? (await embedder.load()).dimension : (embedder.dimensionKnown ?? (await embedder.dimension()));
      if (format === 'table') {
        const rows = texts.map((text, i) => [String(i), cellText(text, 56), vectorCell(vectors[i])]);
        return emit(renderTable(['#', 'text', `vector (${dimension} dims)`], rows, ['right']), options.out);
      }
      switch (format) {
        case 'json':
          return emit(jsonArrayLines(vectors, vectorJson), options.out);
        case 'csv':
          return emit(vectorsToCsv(vectors, texts), options.out);
        case 'npy':
          return emit(vectorsToNpy(vectors, dimension), options.out);
        case 'tsv':
          return writeProjectorFiles(options.out!, vectors, texts);
      }
    });
  });
}

function vectorCell(vector: Float32Array): string {
  return `[${Array.from(vector.subarray(0, 4), (v) => v.toFixed(4)).join(', ')}, …]`;
}

/** The files `--format tsv` writes into the folder `--out DIR`, for the Embedding Projector. */
export const PROJECTOR_FILES = ['tensors.tsv', 'metadata.tsv'] as const;

/** Embedding Projector input: tensors.tsv and metadata.tsv in one folder, each written atomically; prints their paths. */
async function writeProjectorFiles(folder: string, vectors: Float32Array[], texts: string[]): Promise<void> {
  const written = await emitToFolder(folder, [
    { name: PROJECTOR_FILES[0], content: vectorsToProjectorTensors(vectors) },
    { name: PROJECTOR_FILES[1], content: projectorMetadata({ text: texts }) },
  ]);
  process.stdout.write(`${written.join('\n')}\n`);
}
