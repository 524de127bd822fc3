/** The retrieval benchmark's measurement: every chunking variant on the STS-B retrieval set, one engine, shared embeddings. */
import fs from 'node:fs';
import path from 'node:path';
import { parseStsFile } from '../../src/cli/stsBenchmark';
import { Engine } from '../../src/engine';
import { MemoEncoder, scoreChunking, type RetrievalScore } from './retrievalEval';
import { buildRetrievalSet, type RetrievalSetOptions } from './retrievalSet';
import { headingVariants, windowVariants, type ChunkingVariant } from './retrievalVariants';

export interface RetrievalRow extends RetrievalScore {
  readonly id: string;
  readonly label: string;
  readonly set: 'text' | 'markdown';
}

export interface RetrievalRun {
  readonly rows: RetrievalRow[];
  readonly documents: number;
  readonly duplicatePairs: number;
  readonly droppedFillers: number;
  readonly distinctTexts: number;
}

export function stsTrainFile(sharedDir: string): string {
  const file = path.join(sharedDir, 'datasets', 'stsbenchmark', 'sts-train.csv');
  if (!fs.existsSync(file)) throw new Error(`STS-B train file missing: ${file} (set MINILM_SHARED_DIR to the shared folder)`);
  return file;
}

export async function runRetrieval(options: {
  modelDir: string;
  stsFile: string;
  limit?: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<RetrievalRun> {
  const { pairs } = parseStsFile(fs.readFileSync(options.stsFile, 'utf8'));
  const setOptions: RetrievalSetOptions = { limit: options.limit, seed: options.seed };
  const text = buildRetrievalSet(pairs, setOptions);
  const markdown = buildRetrievalSet(pairs, { ...setOptions, format: 'markdown' });
  const engine = new Engine({ modelDir: options.modelDir, dtype: 'fp32' });
  await engine.load();
  try {
    const encoder = new MemoEncoder((texts) => engine.encode(texts));
    const rows: RetrievalRow[] = [];
    const run = async (set: typeof text, name: 'text' | 'markdown', variants: ChunkingVariant[]) => {
      for (const v of variants) {
        const score = await scoreChunking(set, v.chunkTexts, encoder);
        rows.push({ id: v.id, label: v.label, set: name, ...score });
        options.log?.(`${name} ${v.id}: hit@1 ${score.hitAt1.toFixed(3)} hit@5 ${score.hitAt5.toFixed(3)} MRR ${score.mrr.toFixed(3)} chunks ${score.chunks}`);
      }
    };
    await run(text, 'text', windowVariants());
    await run(markdown, 'markdown', headingVariants());
    return { rows, documents: text.documents.length, duplicatePairs: text.duplicatePairs, droppedFillers: text.droppedFillers, distinctTexts: encoder.size };
  } finally {
    await engine.dispose();
  }
}

if (require.main === module) {
  const limit = process.argv[2] ? Number(process.argv[2]) : undefined;
  const shared = process.env.MINILM_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', '..', 'shared');
  const modelDir = process.env.MINILM_MODEL_DIR ?? path.join(shared, 'models', 'all-MiniLM-L6-v2');
  runRetrieval({ modelDir, stsFile: stsTrainFile(shared), limit, log: (l) => console.log(l) }).then(
    (r) => console.log(JSON.stringify({ ...r, rows: undefined })),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
