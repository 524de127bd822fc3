// Chunking of documents for the workspace index: pure text → chunks with 1-based inclusive line ranges.
// No node:* import: the same code may run in a webview or a worker.

/** A piece of a document the index embeds and returns. Lines are 1-based and inclusive. */
export interface TextChunk {
  readonly text: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** How a document's structure is read. */
export type DocumentKind = 'markdown' | 'code' | 'text';

export interface ChunkOptions {
  /** Defaults to text. Use {@link documentKindOf} to choose from a path. */
  readonly kind?: DocumentKind;
}

/**
 * Changes whenever chunk boundaries could change for the same input, so that an index built by another chunker
 * version is rebuilt.
 */
export const CHUNKER_VERSION = 'TODO';

/** markdown for .md/.markdown/.mdx, code for known source extensions, text otherwise. */
export declare function documentKindOf(path: string): DocumentKind;

/**
 * Structure first (Markdown headings and paragraphs, code blocks and comment runs, plain-text paragraphs), then
 * windows of sentences or lines inside each structural chunk. Never returns an empty or whitespace-only chunk.
 */
export declare function chunkDocument(text: string, options?: ChunkOptions): TextChunk[];

/**
 * Splits a chunk the model would truncate into two or more smaller chunks covering the same text (by sentences,
 * then lines, then characters), each with its own line range. The indexer calls it until every chunk fits.
 */
export declare function splitChunk(chunk: TextChunk): TextChunk[];
