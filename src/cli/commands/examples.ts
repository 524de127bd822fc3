import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXAMPLE_TEXTS, buildExampleResult, resultFileName, type ExampleResultDocument } from '../../core';
import { Engine, MODEL_NAME } from '../../engine';
import { addBackendOptions, addModelOptions, encodeWithProgress, withEmbedder, type BackendOptions, type ModelOptions } from '../commonOptions';
import { emit, prepareOutDir } from '../outTarget';
import { cellText, score4 } from '../output';

interface ExamplesOptions extends ModelOptions, BackendOptions {
  outDir: string;
  quiet?: boolean;
}

export function registerExamples(program: Command): void {
  const command = program
    .command('examples')
    .description('run the example suite and write results/test_YYYYMMDD_HHMMSS.json; prints its path')
    .option('-d, --out-dir <dir>', 'folder for the result document', 'results')
    .option('-q, --quiet', 'print only the path (no summary on stderr)');
  addModelOptions(command);
  addBackendOptions(command);
  command.action(async (options: ExamplesOptions) => {
    // Checked before the model loads: a folder that cannot be written fails at once.
    const dir = await prepareOutDir(options.outDir);
    const document = await withEmbedder(options, async (embedder) => {
      // A remote backend: the server's model, no weights of ours ("remote:tei"), nothing loaded here.
      const source =
        embedder instanceof Engine
          ? { model: MODEL_NAME, ...(await embedder.load()) }
          : { model: (await embedder.describe()).model, dtype: `remote:${embedder.api}`, loadMs: 0 };
      const texts = EXAMPLE_TEXTS.map((e) => e.text);
      const started = performance.now();
      const embeddings = await encodeWithProgress(embedder, texts, options);
      const encodeMs = performance.now() - started;
      return { info: source, embeddings, encodeMs };
    });
    const date = freeSecond(dir, new Date());
    const result: ExampleResultDocument = buildExampleResult({
      model: document.info.model,
      dtype: document.info.dtype,
      examples: EXAMPLE_TEXTS,
      embeddings: document.embeddings,
      timings: { load: round(document.info.loadMs), encode: round(document.encodeMs) },
      date,
    });
    const file = path.join(dir, resultFileName(date));
    await emit(`${JSON.stringify(result, null, 2)}\n`, file, '--out-dir');
    if (!options.quiet) process.stderr.write(summaryText(result));
    process.stdout.write(`${file}\n`);
  });
}

/** The file name has one-second resolution: a second run within the same second takes the next free second. */
function freeSecond(dir: string, date: Date): Date {
  let candidate = new Date(Math.floor(date.getTime() / 1000) * 1000);
  while (fs.existsSync(path.join(dir, resultFileName(candidate)))) candidate = new Date(candidate.getTime() + 1000);
  return candidate;
}

function round(ms: number): number {
  return Number(ms.toFixed(1));
}

function summaryText(result: ExampleResultDocument): string {
  const s = result.summary;
  const mean = (v: number | null) => (v === null ? 'n/a' : score4(v));
  const pairs = s.mostSimilar.map((p) => `  ${score4(p.score)}  ${cellText(p.a, 45)}  ↔  ${cellText(p.b, 45)}`).join('\n');
  return (
    `${result.texts.length} texts, ${result.model} ${result.dtype}, load ${result.timings.load} ms, encode ${result.timings.encode} ms\n` +
    `mean cosine within a topic ${mean(s.meanWithinTopic)}, across topics ${mean(s.meanAcrossTopic)}\n` +
    `most similar pairs:\n${pairs}\n`
  );
}
