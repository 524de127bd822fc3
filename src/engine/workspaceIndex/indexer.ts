import { createHash } from 'node:crypto';
import { CHUNKER_VERSION, chunkDocument, documentKindOf, splitChunk, type TextChunk } from '../../core/chunking';
import type { Engine } from '../engine';
import { DEFAULT_REMOTE_INPUT_TOKENS, estimatedTokenCounts, type RemoteEmbedder } from '../remote';
import { cancelled, EngineError } from '../errors';
import type { PromptOptions } from '../modelConfig';
import type { BatchProgress, ModelInfo, TokenCount } from '../types';
import { readIndexableFile } from './fileContent';
import { walkFiles, type WalkOptions } from './fileWalker';
import type { FileUpdate, IndexIdentity, IndexStore } from './indexStore';
import type { ChunkRecord, SkippedFile } from './types';

/** Where an index run is, for a progress bar or a notification. */
export type IndexProgress =
  { phase: 'scan'; files: number } | { phase: 'read'; done: number; total: number } | { phase: 'embed'; done: number; total: number } | { phase: 'write' };

export interface UpdateIndexOptions extends Omit<WalkOptions, 'root' | 'signal'> {
  /** Folder whose files are indexed; stored paths are relative to it. */
  root: string;
  store: IndexStore;
  /** The local model: its tokenizer fits chunks to max_seq_length and it embeds them. Unused with `remote`. */
  engine?: Engine;
  /**
   * A serving engine that embeds the chunks instead (no local model needed): chunks are fitted to its
   * max_input_length (default 256) by an upper-bound estimate of their word pieces. It is part of the index's
   * identity (by its model identity, not its address), so switching backends rebuilds.
   */
  remote?: RemoteEmbedder;
  /**
   * Prompt for the chunks, as sentence-transformers' `encode_document`: by default the model's "document" prompt
   * (empty unless the model configures one). It is part of the index's identity: changing it rebuilds.
   */
  documentPrompt?: PromptOptions;
  /** Drop everything and embed every file again. */
  rebuild?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
}

export interface IndexRunResult {
  /** Files in the index after the run (text files, empty ones included). */
  files: number;
  /** Chunks in the index after the run. */
  chunks: number;
  /** Chunks embedded by this run: 0 when nothing changed. */
  embeddedChunks: number;
  /** Files seen but not indexed (binary, lock file, too large, undecodable, unreadable). */
  skipped: SkippedFile[];
  /** Files whose chunks were replaced or added, and files that left the index. */
  changedFiles: number;
  removedFiles: number;
  /** The index was built anew (first run, another model or chunker, or `rebuild`). */
  rebuilt: boolean;
  seconds: number;
}

/** Files read and chunked before their chunks are embedded together, so memory stays bounded by one such batch. */
const FILES_PER_ROUND = 256;

/**
 * Brings the index in `store` up to date with the files under `root`: a file whose size and modification time are
 * unchanged is not read; a file whose content hash is unchanged is not re-embedded; files gone (or now skipped) leave
 * the index. Everything is committed at once at the end, so a cancelled or failed run leaves the previous index as
 * it was.
 */
export async function updateIndex(options: UpdateIndexOptions): Promise<IndexRunResult> {
  const started = performance.now();
  const { engine, store, signal, remote } = options;
  if (!remote && !engine) throw new EngineError('INVALID_INPUT', 'updateIndex needs the local engine or a remote backend.');
  const documentPrompt = options.documentPrompt ?? { promptName: 'document' };
  // A server applies its own default prompt: only an explicit one is sent.
  const sentPrompt = remote ? (options.documentPrompt ?? {}) : documentPrompt;
  let identity: IndexIdentity;
  let fit: ChunkFit;
  if (remote) {
    const limit = (await remote.describe(signal)).limits.maxInputLength ?? DEFAULT_REMOTE_INPUT_TOKENS;
    const prefix = sentPrompt.prompt ?? '';
    identity = await remoteIndexIdentity(remote, documentPrompt, limit, signal);
    fit = { maxTokens: limit, count: async (texts) => estimatedTokenCounts(prefix ? texts.map((t) => prefix + t) : texts, limit) };
  } else {
    const info = await engine!.load(signal);
    identity = indexIdentity(info, documentPrompt);
    fit = { maxTokens: info.maxSeqLength, count: (texts) => engine!.countTokens(texts, signal, documentPrompt) };
  }
  const embedder = remote ?? engine!;
  const rebuilt = options.rebuild === true || !sameIdentity(store.identity(), identity);
  const previous = rebuilt ? new Map() : store.files();

  options.onProgress?.({ phase: 'scan', files: 0 });
  const walk = await walkFiles({ ...options, root: options.root, signal });
  options.onProgress?.({ phase: 'scan', files: walk.files.length });
  const skipped: SkippedFile[] = [...walk.skipped];
  const kept = new Set<string>();
  const updated: FileUpdate[] = [];
  let embeddedChunks = 0;

  for (let start = 0; start < walk.files.length; start += FILES_PER_ROUND) {
    const round: { update: Omit<FileUpdate, 'chunks' | 'vectors'>; chunks: TextChunk[] }[] = [];
    for (const file of walk.files.slice(start, start + FILES_PER_ROUND)) {
      if (signal?.aborted) throw cancelled();
      const before = previous.get(file.path);
      if (before && before.size === file.size && before.mtimeMs === file.mtimeMs) {
        kept.add(file.path);
        continue;
      }
      const content = await readIndexableFile(file);
      if (content.kind === 'skipped') {
        skipped.push({ path: file.path, reason: content.reason, ...(content.note ? { note: content.note } : {}) });
        continue;
      }
      if (before && before.hash === content.hash) {
        kept.add(file.path);
        continue;
      }
      round.push({
        update: { path: file.path, hash: content.hash, size: file.size, mtimeMs: file.mtimeMs },
        chunks: chunkDocument(content.text, { kind: documentKindOf(file.path) }),
      });
    }
    options.onProgress?.({ phase: 'read', done: Math.min(start + FILES_PER_ROUND, walk.files.length), total: walk.files.length });
    const fitted = await fitChunks(
      fit,
      round.flatMap((r) => r.chunks.map((chunk) => ({ owner: r, chunk }))),
    );
    const vectors = await embedder.encode(
      fitted.map((f) => f.chunk.text),
      {
        ...sentPrompt,
        batchSize: options.batchSize,
        signal,
        onProgress: (p: BatchProgress) =>
          options.onProgress?.({
            phase: 'embed',
            done: embeddedChunks + Math.round((p.done / p.total) * fitted.length),
            total: embeddedChunks + fitted.length,
          }),
      },
    );
    embeddedChunks += fitted.length;
    const rows = new Map(round.map((r) => [r, { chunks: [] as ChunkRecord[], vectors: [] as Float32Array[] }]));
    fitted.forEach((f, i) => {
      const row = rows.get(f.owner)!;
      row.chunks.push({ path: f.owner.update.path, startLine: f.chunk.startLine, endLine: f.chunk.endLine, text: f.chunk.text });
      row.vectors.push(vectors[i]!);
    });
    for (const [r, row] of rows) updated.push({ ...r.update, ...row });
  }

  const present = new Set([...kept, ...updated.map((u) => u.path)]);
  const removed = [...previous.keys()].filter((p) => !present.has(p));
  if (signal?.aborted) throw cancelled();
  if (rebuilt || updated.length > 0 || removed.length > 0) {
    options.onProgress?.({ phase: 'write' });
    await store.commit({ identity, removed, updated, signal });
  }
  return {
    files: store.files().size,
    chunks: store.chunkCount(),
    embeddedChunks,
    skipped,
    changedFiles: updated.length,
    removedFiles: rebuilt ? 0 : removed.length,
    rebuilt,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Splits every chunk the model would truncate until all fit in max_seq_length word pieces (prompt included), so no
 * text of a file is silently left out of the index.
 */
/** How chunks are measured: the local tokenizer, or an estimate against a server's limit. */
interface ChunkFit {
  maxTokens: number;
  count(texts: string[]): Promise<TokenCount[]>;
}

async function fitChunks<T>(fit: ChunkFit, items: { owner: T; chunk: TextChunk }[]): Promise<{ owner: T; chunk: TextChunk }[]> {
  // `order` is the chunk's position, then its part numbers after each split: sorting by it restores reading order.
  type Placed = { owner: T; chunk: TextChunk; order: number[] };
  const fitting: Placed[] = [];
  let pending: Placed[] = items.map((item, i) => ({ ...item, order: [i] }));
  for (let round = 0; pending.length > 0; round++) {
    const counts = await fit.count(pending.map((p) => p.chunk.text));
    const next: Placed[] = [];
    pending.forEach((p, i) => {
      if (!counts[i]!.truncated) {
        fitting.push(p);
        return;
      }
      const parts = splitChunk(p.chunk);
      if (parts.length < 2 || round >= MAX_SPLIT_ROUNDS) {
        throw new EngineError(
          'INVALID_INPUT',
          `lines ${p.chunk.startLine}-${p.chunk.endLine} (${p.chunk.text.length} characters) cannot be split below ${fit.maxTokens} word pieces`,
        );
      }
      parts.forEach((chunk, k) => next.push({ owner: p.owner, chunk, order: [...p.order, k] }));
    });
    pending = next;
  }
  fitting.sort((a, b) => compareOrder(a.order, b.order));
  return fitting.map(({ owner, chunk }) => ({ owner, chunk }));
}

/** Each split at least halves a chunk, so 1 MiB of text fits long before this. */
const MAX_SPLIT_ROUNDS = 40;

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** What the stored vectors depend on besides the file contents. */
export function indexIdentity(info: ModelInfo, documentPrompt: PromptOptions): IndexIdentity {
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        pooling: info.pooling,
        includePrompt: info.includePrompt,
        dense: info.dense,
        normalize: info.normalize,
        maxSeqLength: info.maxSeqLength,
        documentPrompt: documentPrompt.prompt ?? (documentPrompt.promptName !== undefined ? (info.prompts[documentPrompt.promptName] ?? null) : null),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return { model: info.name, dtype: info.dtype, dimension: info.dimension, chunker: CHUNKER_VERSION, fingerprint };
}

/** The identity of vectors from a remote backend: its API and model identity, the width it returns, the prompt sent. */
async function remoteIndexIdentity(
  remote: RemoteEmbedder,
  documentPrompt: PromptOptions,
  chunkTokens: number,
  signal: AbortSignal | undefined,
): Promise<IndexIdentity> {
  const { model } = await remote.describe(signal);
  const dimension = await remote.dimension(signal);
  // Chunks are cut by an estimate against the server's limit: another limit cuts them elsewhere.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ documentPrompt: documentPrompt.prompt ?? documentPrompt.promptName ?? null, chunkFit: `estimate ${chunkTokens}` }))
    .digest('hex')
    .slice(0, 16);
  return { backend: remote.api, model, dtype: 'remote', dimension, chunker: CHUNKER_VERSION, fingerprint };
}

function sameIdentity(a: IndexIdentity | undefined, b: IndexIdentity): boolean {
  return (
    a !== undefined &&
    (a.backend ?? 'local') === (b.backend ?? 'local') &&
    a.model === b.model &&
    a.dtype === b.dtype &&
    a.dimension === b.dimension &&
    a.chunker === b.chunker &&
    a.fingerprint === b.fingerprint
  );
}
