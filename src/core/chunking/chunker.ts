import type { StructuralBlock } from './blocks';
import { codeBlocks } from './codeBlocks';
import type { DocumentKind } from './documentKind';
import { markdownBlocks } from './markdownBlocks';
import { sentenceSpans } from './sentences';
import { SourceLines } from './sourceLines';
import type { Span } from './spans';
import { textBlocks } from './textBlocks';
import { lineSpans, proseSpans, type WindowStrategy } from './windows';

/** A piece of a document the index embeds and returns. Lines are 1-based and inclusive. */
export interface TextChunk {
  readonly text: string;
  readonly startLine: number;
  readonly endLine: number;
}

function structuralBlocks(lines: SourceLines, kind: DocumentKind): StructuralBlock[] {
  switch (kind) {
    case 'markdown':
      return markdownBlocks(lines);
    case 'code':
      return codeBlocks(lines);
    case 'text':
      return textBlocks(lines);
  }
}

/** chunkDocument under any strategy: the shipped one, or a variant the retrieval benchmark compares. */
export function chunkWithStrategy(text: string, kind: DocumentKind, strategy: WindowStrategy): TextChunk[] {
  checkStrategy(strategy);
  const lines = new SourceLines(text);
  const chunks: TextChunk[] = [];
  for (const block of structuralBlocks(lines, kind)) {
    const spans = block.kind === 'prose' ? proseSpans(text, sentenceSpans(text, block.lines), strategy) : lineSpans(lines, block, strategy);
    for (const span of spans) chunks.push(chunkOf(lines, span));
  }
  return chunks;
}

export function chunkOf(lines: SourceLines, span: Span): TextChunk {
  return { text: lines.text.slice(span.start, span.end), startLine: lines.lineAt(span.start), endLine: lines.lineAt(span.end - 1) };
}

function checkStrategy(s: WindowStrategy): void {
  const positive = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`chunking strategy: ${name} must be an integer ≥ ${min}, got ${value}.`);
  };
  positive('sentences', s.sentences, 0);
  positive('stride', s.stride, 1);
  positive('minSentenceChars', s.minSentenceChars, 0);
  positive('codeLines', s.codeLines, 1);
  positive('maxChars', s.maxChars, 16);
}
