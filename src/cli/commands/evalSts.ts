import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { similarityMatrix } from '../../core';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addModelOptions,
  encodeWithProgress,
  encodingErrorsOption,
  withEmbedder,
  type BackendOptions,
  type ModelOptions,
} from '../commonOptions';
import { decodeInput } from '../inputTexts';
import type { EncodingErrors } from '../textDecoding';
import { pearson, spearman } from '../correlation';
import { emit } from '../outTarget';
import { parseStsFile, type StsPair } from '../stsBenchmark';

interface EvalStsOptions extends ModelOptions, BackendOptions {
  json?: boolean;
  encodingErrors: EncodingErrors;
}

/** What `eval-sts --json` prints: the contract's three keys, correlations ×100. */
export interface StsResult {
  pairs: number;
  spearman: number;
  pearson: number;
}

export function registerEvalSts(program: Command): void {
  const command = program
    .command('eval-sts')
    .description('STS Benchmark style evaluation: Spearman and Pearson (x100) of cosine vs gold score')
    .argument('<file>', 'tab-separated: column 5 gold score, columns 6 and 7 the sentences (quoting off)')
    .option('--json', 'print {"pairs", "spearman", "pearson"} as JSON')
    .addOption(encodingErrorsOption());
  addModelOptions(command);
  addBackendOptions(command);
  command.action(async (file: string, options: EvalStsOptions) => {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (error) {
      throw new CliError(
        `cannot read ${path.resolve(file)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
    const content = decodeInput(bytes, file, options.encodingErrors);
    const { pairs, skipped } = parseStsFile(content);
    if (skipped.length > 0) {
      const first = skipped
        .slice(0, 3)
        .map((s) => `line ${s.line}: ${s.reason}`)
        .join('; ');
      process.stderr.write(
        `minilm: skipped ${skipped.length} line${skipped.length === 1 ? '' : 's'} of ${file} (${first}${skipped.length > 3 ? '; …' : ''})\n`,
      );
    }
    if (pairs.length < 2)
      throw new CliError(
        `${file}: ${pairs.length} usable pairs; expected tab-separated lines with the gold score in column 5 and sentences in columns 6 and 7`,
      );
    const started = performance.now();
    const result = await withEmbedder(options, (embedder) => evaluatePairs(pairs, (texts) => encodeWithProgress(embedder, texts, options)));
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      // Spaced like Python's json.dumps, so the line reads the same as the contract's example.
      await emit(`{"pairs": ${result.pairs}, "spearman": ${result.spearman}, "pearson": ${result.pearson}}\n`);
      return;
    }
    await emit(
      `${path.basename(file)}: ${result.pairs} pairs (${options.dtype})\n` +
        `Spearman ${result.spearman.toFixed(2)}\nPearson  ${result.pearson.toFixed(2)}\n` +
        `${seconds.toFixed(1)} s${skipped.length > 0 ? `, ${skipped.length} lines skipped` : ''}\n`,
    );
  });
}

/**
 * Scores each pair by the cosine of its embeddings and correlates the scores with the gold labels, as
 * sentence-transformers' EmbeddingSimilarityEvaluator does: first sentences are encoded in one call, second
 * sentences in another (for q8 the batches, and so the vectors, then match what that evaluator computes).
 */
export async function evaluatePairs(pairs: readonly StsPair[], encode: (texts: string[]) => Promise<Float32Array[]>): Promise<StsResult> {
  const first = await encode(pairs.map((p) => p.sentence1));
  const second = await encode(pairs.map((p) => p.sentence2));
  // float32 cosines, like pairwise_cos_sim
  const cosines = pairs.map((_, i) => similarityMatrix([first[i]], [second[i]]).data[0]);
  const gold = pairs.map((p) => p.score);
  return { pairs: pairs.length, spearman: 100 * spearman(cosines, gold), pearson: 100 * pearson(cosines, gold) };
}
