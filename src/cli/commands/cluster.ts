import type { Command } from 'commander';
import { communityDetection } from '../../core';
import {
  addInputOptions,
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  encodeWithProgress,
  outputFormat,
  positiveInteger,
  scoreThreshold,
  withEmbedder,
  type InputOptions,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
} from '../commonOptions';
import { emit } from '../outTarget';
import { cellText, csvLines, jsonArrayLines } from '../output';
import { requireTexts } from './texts';

interface ClusterOptions extends ModelOptions, BackendOptions, InputOptions, OutputOptions {
  threshold: number;
  minSize: number;
}

export function registerCluster(program: Command): void {
  const command = program
    .command('cluster')
    .description('community detection: groups of texts whose cosine to a centre is >= threshold (util.community_detection)')
    .argument('[texts...]', 'texts; - reads stdin')
    .option('-t, --threshold <t>', 'cosine similarity (-1 to 1) at or above which texts are close', scoreThreshold, 0.75)
    .option('-m, --min-size <n>', 'smallest community reported (min_community_size)', positiveInteger(), 10);
  addInputOptions(command);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json', 'csv'], ' (json: [[centre, member, ...], ...], largest first)');
  command.action(async (args: string[], options: ClusterOptions) => {
    const format = outputFormat(options);
    const texts = await requireTexts(args, options);
    await withEmbedder(options, async (embedder) => {
      const vectors = await encodeWithProgress(embedder, texts, options);
      const communities = communityDetection(vectors, { threshold: options.threshold, minCommunitySize: options.minSize });
      if (format === 'json') return emit(jsonArrayLines(communities), options.out);
      if (format === 'csv') {
        const rows = communities.flatMap((members, c) => members.map((index, position) => [c, position, index, texts[index]]));
        return emit(csvLines(['community', 'position', 'index', 'text'], rows), options.out);
      }
      if (communities.length === 0 && texts.length < options.minSize) {
        return emit(`no community: ${texts.length} text(s) are fewer than --min-size ${options.minSize} (lower --min-size)\n`, options.out);
      }
      if (communities.length === 0) {
        return emit(
          `no community of ${options.minSize} or more texts at cosine >= ${options.threshold} (try a lower --threshold or --min-size)\n`,
          options.out,
        );
      }
      const blocks = communities.map((members, c) => {
        const lines = members.map((index, position) => `  ${position === 0 ? '*' : ' '} ${String(index).padStart(5)}  ${cellText(texts[index], 70)}`);
        return `community ${c} (${members.length} texts, * = centre)\n${lines.join('\n')}\n`;
      });
      return emit(blocks.join('\n'), options.out);
    });
  });
}
