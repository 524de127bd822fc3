/**
 * Workspace index throughput on a generated workspace: `files` Markdown files built from the bench corpus (STS-B dev
 * sentences), indexed from scratch by `updateIndex` (walk, read, chunk, embed, commit), against the engine's own
 * encode of the same chunk texts in the same process; then an unchanged re-run and a re-run after one file changed.
 *
 *   node out/scripts/bench/task.js '{"kind":"indexThroughput","files":10000,"dtype":"fp32"}'
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chunkDocument } from '../../src/core/chunking';
import { Engine } from '../../src/engine';
import type { Dtype } from '../../src/engine/types';
import { IndexStore, updateIndex } from '../../src/engine/workspaceIndex';
import { benchPaths, readCorpus } from './paths';
import type { TaskResult } from './tasks';

export interface IndexThroughputSpec {
  files: number;
  dtype: Dtype;
}

/** Two paragraphs of two to four corpus sentences under a heading, so files differ in length as notes do. */
function generateWorkspace(root: string, files: number, sentences: readonly string[]): void {
  let next = 0;
  // Every sentence is made unique (the corpus repeats after a few thousand): the engine encodes a repeated text
  // once per call, which would flatter the single-call baseline against the indexer's rounds.
  const take = (n: number) =>
    Array.from({ length: n }, () => {
      const k = next++;
      return `${sentences[k % sentences.length]!.trim()} (${k})`;
    }).join(' ');
  for (let i = 0; i < files; i++) {
    const folder = path.join(root, `notes${Math.floor(i / 500)}`);
    if (i % 500 === 0) fs.mkdirSync(folder, { recursive: true });
    const text = `# Note ${i}\n\n${take(2 + (i % 3))}\n\n${take(2 + ((i + 1) % 3))}\n`;
    fs.writeFileSync(path.join(folder, `note${i}.md`), text);
  }
}

export async function indexThroughput(spec: IndexThroughputSpec): Promise<TaskResult> {
  const { modelDir, corpusFile } = benchPaths();
  const sentences = readCorpus(corpusFile);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-bench-index-throughput-'));
  const root = path.join(work, 'workspace');
  const indexDir = path.join(work, 'index');
  // No embedding cache: the index run must not make the encode baseline (or the re-runs) cheaper.
  const engine = new Engine({ modelDir, dtype: spec.dtype, cacheEntries: 0 });
  try {
    generateWorkspace(root, spec.files, sentences);
    await engine.load();
    await engine.encode(sentences.slice(0, 64));

    const store = await IndexStore.open(indexDir);
    let started = performance.now();
    const first = await updateIndex({ root, store, engine });
    const indexMs = performance.now() - started;

    // The same chunk texts, as the indexer embedded them, through the engine alone.
    const texts: string[] = [];
    for (const file of [...store.files().keys()].sort()) {
      for (const chunk of chunkDocument(fs.readFileSync(path.join(root, file), 'utf8'), { kind: 'markdown' })) texts.push(chunk.text);
    }
    started = performance.now();
    await engine.encode(texts, { promptName: 'document' });
    const encodeMs = performance.now() - started;

    started = performance.now();
    const unchanged = await updateIndex({ root, store, engine });
    const unchangedMs = performance.now() - started;

    const edited = path.join(root, 'notes0', 'note7.md');
    fs.appendFileSync(edited, `\n${sentences[sentences.length - 1]!.trim()}\n`);
    started = performance.now();
    const oneChange = await updateIndex({ root, store, engine });
    const oneChangeMs = performance.now() - started;

    const bytes = store.bytesOnDisk();
    await store.close();
    return {
      maxRssKb: process.resourceUsage().maxRSS,
      details: {
        files: first.files,
        chunks: first.chunks,
        encodedTexts: texts.length,
        indexMs,
        encodeMs,
        unchangedMs,
        unchangedEmbedded: unchanged.embeddedChunks,
        oneChangeMs,
        oneChangeEmbedded: oneChange.embeddedChunks,
        bytes,
      },
    };
  } finally {
    await engine.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
