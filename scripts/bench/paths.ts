import fs from 'node:fs';
import path from 'node:path';

/** Repository root: the first folder above this script (out/scripts/bench or scripts/bench) with a package.json. */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export interface BenchPaths {
  sharedDir: string;
  modelDir: string;
  corpusFile: string;
  /** PyTorch reference embeddings, used to check the PyTorch baseline runs the same weights (optional). */
  referenceFile: string | undefined;
  resultsDir: string;
}

/**
 * Locates the read-only material the benchmark needs, like test/helpers/sharedPaths.ts: ../shared beside the
 * repository or MINILM_SHARED_DIR, the model in MINILM_MODEL_DIR or shared/models. Throws a message naming the
 * missing path and the variable that overrides it.
 */
export function benchPaths(): BenchPaths {
  const sharedDir = process.env.MINILM_SHARED_DIR ?? path.join(repoRoot, '..', 'shared');
  const modelDir = process.env.MINILM_MODEL_DIR ?? path.join(sharedDir, 'models', 'all-MiniLM-L6-v2');
  const corpusFile = process.env.MINILM_BENCH_CORPUS ?? path.join(sharedDir, 'datasets', 'stsbenchmark', 'bench-corpus-dev.txt');
  for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json']) {
    if (!fs.existsSync(path.join(modelDir, file))) {
      throw new Error(
        `model file missing: ${path.join(modelDir, file)} (set MINILM_MODEL_DIR to the all-MiniLM-L6-v2 folder, or MINILM_SHARED_DIR to the shared folder)`,
      );
    }
  }
  if (!fs.existsSync(corpusFile)) {
    throw new Error(
      `bench corpus missing: ${corpusFile} (set MINILM_SHARED_DIR to the shared folder, or MINILM_BENCH_CORPUS to a file with one sentence per line)`,
    );
  }
  const reference = path.join(sharedDir, 'fixtures', 'reference-embeddings.json');
  return {
    sharedDir,
    modelDir,
    corpusFile,
    referenceFile: fs.existsSync(reference) ? reference : undefined,
    resultsDir: path.join(repoRoot, 'results'),
  };
}

/** The corpus: one sentence per line, empty lines skipped. */
export function readCorpus(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
}

/** `count` texts spread evenly over the corpus, so a subset keeps the corpus's mix of lengths. */
export function evenSubset<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}
