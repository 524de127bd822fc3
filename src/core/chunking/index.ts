// Chunking of documents for the workspace index: pure text → chunks with 1-based inclusive line ranges.
// No node:* import: the same code may run in a webview or a worker.
import { chunkWithStrategy, type TextChunk } from './chunker';
import type { DocumentKind } from './documentKind';
import type { WindowStrategy } from './windows';

export type { TextChunk } from './chunker';
export { documentKindOf, type DocumentKind } from './documentKind';
export { splitChunk } from './splitChunk';

export interface ChunkOptions {
  /** Defaults to text. Use {@link documentKindOf} to choose from a path. */
  readonly kind?: DocumentKind;
}

/**
 * Changes whenever chunk boundaries could change for the same input, so that an index built by another chunker
 * version is rebuilt.
 */
export const CHUNKER_VERSION = 'TODO';

/** The windowing chunkDocument uses; docs/retrieval.md has the measurements behind each number. */
export const SHIPPED_STRATEGY: WindowStrategy = { sentences: 1, stride: 1, minSentenceChars: 0, codeLines: 8, maxChars: 1000 };

/**
 * Structure first (Markdown headings and paragraphs, code blocks and comment runs, plain-text paragraphs), then
 * windows of sentences or lines inside each structural chunk. Never returns an empty or whitespace-only chunk.
 */
export function chunkDocument(text: string, options: ChunkOptions = {}): TextChunk[] {
  return chunkWithStrategy(text, options.kind ?? 'text', SHIPPED_STRATEGY);
}
