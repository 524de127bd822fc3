import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addModelOptions, outputFormat, withEngine, type ModelOptions, type OutputOptions } from '../commonOptions';
import { addOutputOptions } from '../commonOptions';
import { emit } from '../outTarget';
import { renderTable } from '../output';
import { threadLayout } from '../../engine';

type InfoOptions = ModelOptions & OutputOptions;

export function registerInfo(program: Command): void {
  const command = program.command('info').description('load the model and print where it came from, its facts and files');
  addModelOptions(command);
  addOutputOptions(command, ['table', 'json']);
  command.action(async (options: InfoOptions) => {
    const info = await withEngine(options, (engine) => engine.load());
    const files = listFiles(info.dir);
    if (outputFormat(options) === 'json') {
      await emit(`${JSON.stringify({ ...info, loadMs: Number(info.loadMs.toFixed(1)), files }, null, 2)}\n`, options.out);
      return;
    }
    const facts = [
      ['model', info.name],
      [
        'source',
        info.origin
          ? `${info.source}: ${info.origin.catalogueId ? `catalogue ${info.origin.catalogueId}, ` : ''}${info.origin.repository}@${info.origin.revision}`
          : info.source,
      ],
      ['folder', info.dir],
      ['dtype', `${info.dtype} (${path.relative(info.dir, info.modelFile)})`],
      ['dimension', String(info.dimension)],
      ['max tokens', String(info.maxSeqLength)],
      ['pooling', `${info.pooling.join(' + ')}${info.includePrompt ? '' : ' (prompt tokens left out)'}`],
      ...info.dense.map((d, i) => [`dense ${i + 1}`, `${d.inFeatures} → ${d.outFeatures}, ${d.activation}`]),
      ['normalize', info.normalize ? (info.truncateDim === undefined ? 'yes (unit vectors)' : 'yes, before truncate_dim (not unit length)') : 'no'],
      ...(info.truncateDim === undefined ? [] : [['truncate_dim', `the first ${info.truncateDim} values (Matryoshka)`]]),
      ['similarity', info.similarityFunction],
      ['prompts', promptSummary(info.prompts, info.defaultPromptName)],
      ['load time', `${info.loadMs.toFixed(0)} ms (${threadLayout(info)})`],
    ];
    const fileRows = files.map((f) => [f.path, humanSize(f.bytes)]);
    await emit(`${renderTable(['', ''], facts).split('\n').slice(2).join('\n')}\n${renderTable(['file', 'size'], fileRows, ['left', 'right'])}`, options.out);
  });
}

/** `query: "query: ", document: "" (default: query)`. */
function promptSummary(prompts: Record<string, string>, defaultName: string | undefined): string {
  const list = Object.entries(prompts)
    .map(([name, text]) => `${name}: ${JSON.stringify(text)}`)
    .join(', ');
  return `${list || 'none'}${defaultName === undefined ? '' : ` (default: ${defaultName})`}`;
}

interface FileEntry {
  path: string;
  bytes: number;
}

function listFiles(dir: string): FileEntry[] {
  const entries: FileEntry[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) entries.push({ path: path.relative(dir, full).split(path.sep).join('/'), bytes: fs.statSync(full).size });
    }
  };
  walk(dir);
  return entries;
}

function humanSize(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
