import path from 'node:path';
import fs from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_EXCLUDES, IndexStore, updateIndex, type IndexProgress, type IndexRunResult } from '../../engine/workspaceIndex';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  addPromptOptions,
  explicitPrompt,
  outputFormat,
  positiveInteger,
  remoteEmbedder,
  withEngine,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
  type PromptCliOptions,
} from '../commonOptions';
import { emit } from '../outTarget';
import { renderTable } from '../output';
import { createProgress } from '../progress';

interface IndexCliOptions extends ModelOptions, BackendOptions, OutputOptions, PromptCliOptions {
  index: string;
  include: string[];
  exclude: string[];
  gitignore: boolean;
  maxFileKb: number;
  maxSizeMb?: number;
  rebuild?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerIndex(program: Command): void {
  const command = program
    .command('index')
    .description('index the text files of a folder for semantic search (incremental: only changed files are embedded again); query it with `minilm query`')
    .argument('<dir>', 'folder whose files are indexed (its .gitignore files, nested ones too, are honoured)')
    .requiredOption('--index <folder>', 'index folder, created or updated')
    .option('--include <glob>', 'index only files matching this glob (relative to DIR; repeatable)', collect, [])
    .option(
      '--exclude <glob>',
      'also leave out files matching this glob (repeatable), besides .git, node_modules and the other defaults of VS Code',
      collect,
      [],
    )
    .option('--no-gitignore', 'do not read .gitignore files')
    .option('--max-file-kb <n>', 'skip files larger than this many KiB', positiveInteger(1024 * 1024), 1024)
    .option('--max-size-mb <n>', 'refuse to grow the index beyond this many MiB on disk', positiveInteger(1024 * 1024))
    .option('--rebuild', 'drop the index and embed every file again');
  addPromptOptions(command, 'each chunk (default: the model\'s "document" prompt, as encode_document)');
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json'], ' (json: {"files", "chunks", "embedded_chunks", "skipped_files", "seconds"})');
  command.action(async (dir: string, options: IndexCliOptions) => {
    const root = path.resolve(dir);
    if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${dir} is not a folder: give the folder to index`);
    const indexDir = path.resolve(options.index);
    // VS Code's default excludes (node_modules, .git, ...) always apply; --exclude adds to them.
    const exclude = [...DEFAULT_EXCLUDES, ...options.exclude];
    if (isInsideOrEqual(indexDir, root)) {
      // The index's own files would be indexed on the next run; leave them out without asking.
      const relative = path.relative(root, indexDir).split(path.sep).join('/');
      if (relative === '') throw new CliError('the index folder cannot be the indexed folder itself: give --index another folder');
      exclude.push(relative, `${relative}/**`);
    }
    // With a remote backend the local model still cuts the files into chunks that fit it (its tokenizer).
    const remote = remoteEmbedder(options);
    const result = await withEngine(options, async (engine) => {
      const store = await IndexStore.open(indexDir, {
        maxBytes: options.maxSizeMb === undefined ? undefined : options.maxSizeMb * 1024 * 1024,
        rebuild: options.rebuild,
      });
      const bar = createProgress('indexing', options.progress, 'chunks');
      try {
        return await updateIndex({
          root,
          store,
          engine,
          remote,
          include: options.include.length ? options.include : undefined,
          exclude,
          useGitIgnore: options.gitignore,
          maxFileBytes: options.maxFileKb * 1024,
          rebuild: options.rebuild,
          documentPrompt: explicitPrompt(options),
          batchSize: options.batchSize,
          onProgress: (p: IndexProgress) => {
            if (p.phase === 'embed') bar.update(p.done, p.total);
          },
        });
      } finally {
        bar.stop();
        await store.close();
      }
    });
    await emit(formatResult(result, outputFormat(options) === 'json'), options.out);
  });
}

function formatResult(result: IndexRunResult, json: boolean): string {
  if (json) {
    return `${JSON.stringify({ files: result.files, chunks: result.chunks, embedded_chunks: result.embeddedChunks, skipped_files: result.skipped.length, seconds: Number(result.seconds.toFixed(3)) })}\n`;
  }
  const reasons = new Map<string, number>();
  for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const rows = [
    ['files', String(result.files)],
    ['chunks', String(result.chunks)],
    [
      'embedded',
      `${result.embeddedChunks} chunks${result.rebuilt ? ' (index built anew)' : ` (${result.changedFiles} files changed or added, ${result.removedFiles} removed)`}`,
    ],
    ['skipped', result.skipped.length === 0 ? '0' : `${result.skipped.length} (${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')})`],
    ['seconds', result.seconds.toFixed(2)],
  ];
  return renderTable(['', ''], rows).split('\n').slice(2).join('\n');
}

function isInsideOrEqual(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
