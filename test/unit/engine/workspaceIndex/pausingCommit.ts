/**
 * Child process for the crash-safety tests of the index store (not a test file itself). It opens the index in
 * argv[2] for writing and commits a large change that replaces everything (identity "after"), and at the commit
 * stage named in argv[3] prints `PAUSED <stage>` and blocks its thread, so that the test can SIGKILL it at a known
 * point: `segment` (segment files partly written), `manifest` (segment complete, manifest not swapped), `cleanup`
 * (manifest swapped, old segments not yet deleted).
 *
 *   node out/test/unit/engine/workspaceIndex/pausingCommit.js <dir> <segment|manifest|cleanup> <rows>
 */
import { IndexStore, type CommitProgress, type FileUpdate } from '../../../../src/engine/workspaceIndex/indexStore';

export const PAUSED = 'PAUSED';
export const AFTER_IDENTITY = { model: 'after', dtype: 'fp32', dimension: 8, chunker: 'lines-v1', fingerprint: 'f' } as const;

function blockForever(): never {
  // Synchronous, so no further I/O of the commit can run before the kill.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

/** `rows` chunks in files of 100, vectors with a non-zero coordinate so every row is distinct. */
export function bigChange(rows: number): FileUpdate[] {
  const files: FileUpdate[] = [];
  for (let start = 0; start < rows; start += 100) {
    const path = `big/file${start / 100}.txt`;
    const count = Math.min(100, rows - start);
    files.push({
      path,
      hash: `h${start}`,
      size: count,
      mtimeMs: 1,
      chunks: Array.from({ length: count }, (_, i) => ({ path, startLine: i + 1, endLine: i + 1, text: `row ${start + i} of the big change` })),
      vectors: Array.from({ length: count }, (_, i) => Float32Array.from({ length: 8 }, (_, k) => (k === (start + i) % 8 ? 1 : 0.001 * (start + i)))),
    });
  }
  return files;
}

async function main(): Promise<void> {
  const [dir, stage, rows] = process.argv.slice(2);
  const store = await IndexStore.open(dir!);
  const onProgress = (p: CommitProgress) => {
    const partly = p.stage === 'segment' && p.bytesWritten > 0 && p.bytesWritten < p.totalBytes;
    if (p.stage === stage && (stage !== 'segment' || partly)) {
      process.stdout.write(`${PAUSED} ${stage}\n`);
      blockForever();
    }
  };
  await store.commit({ identity: AFTER_IDENTITY, removed: [], updated: bigChange(Number(rows)), onProgress });
  process.stdout.write('COMMITTED\n');
  await store.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
