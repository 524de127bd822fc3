/** The chunkings the retrieval benchmark compares; docs/retrieval.md holds their measured table. */
import { SHIPPED_STRATEGY } from '../../src/core/chunking';
import { chunkWithStrategy, type TextChunk } from '../../src/core/chunking/chunker';
import type { WindowStrategy } from '../../src/core/chunking/windows';
import type { ChunkTexts } from './retrievalEval';
import type { RetrievalDocument } from './retrievalSet';

export interface ChunkingVariant {
  readonly id: string;
  readonly label: string;
  readonly chunkTexts: ChunkTexts;
}

/** Whole structural blocks, cut only where the model truncates: what a chunker without windows gives. */
export const PARAGRAPHS: WindowStrategy = { ...SHIPPED_STRATEGY, sentences: 0, stride: 1, minSentenceChars: 0, maxChars: 1_000_000 };

const chunksOf = (strategy: WindowStrategy) => (d: RetrievalDocument) => chunkWithStrategy(d.text, d.kind, strategy);
const textsOf =
  (strategy: WindowStrategy): ChunkTexts =>
  (d) =>
    chunksOf(strategy)(d).map((c) => c.text);

function windows(sentences: number, stride: number, minSentenceChars = 0): WindowStrategy {
  return { ...SHIPPED_STRATEGY, sentences, stride, minSentenceChars };
}

export function strategyVariant(id: string, label: string, strategy: WindowStrategy): ChunkingVariant {
  return { id, label, chunkTexts: textsOf(strategy) };
}

/** What chunkDocument does. */
export function shippedVariant(): ChunkingVariant {
  return strategyVariant('shipped', `shipped (${describe(SHIPPED_STRATEGY)})`, SHIPPED_STRATEGY);
}

export function windowVariants(): ChunkingVariant[] {
  const variant = strategyVariant;
  return [
    variant('paragraphs', 'paragraphs (naive)', PARAGRAPHS),
    variant('s1', '1 sentence', windows(1, 1)),
    variant('s1_merge12', '1 sentence, < 12 chars merged', windows(1, 1, 12)),
    variant('s1_merge16', '1 sentence, < 16 chars merged', windows(1, 1, 16)),
    variant('s1_merge20', '1 sentence, < 20 chars merged', windows(1, 1, 20)),
    variant('s1_merge25', '1 sentence, < 25 chars merged', windows(1, 1, 25)),
    variant('s1_merge40', '1 sentence, < 40 chars merged', windows(1, 1, 40)),
    variant('s2', '2 sentences', windows(2, 2)),
    variant('s2_overlap', '2 sentences, stride 1', windows(2, 1)),
    variant('s3_overlap', '3 sentences, stride 1', windows(3, 1)),
    variant('s3_stride2', '3 sentences, stride 2', windows(3, 2)),
    {
      id: 's1_plus_paragraphs',
      label: '1 sentence + whole paragraphs',
      chunkTexts: (d) => [...textsOf(windows(1, 1))(d), ...textsOf(PARAGRAPHS)(d)],
    },
    shippedVariant(),
  ];
}

/** On Markdown documents: the shipped chunks as they are, and each prefixed with the heading above it. */
export function headingVariants(): ChunkingVariant[] {
  return [
    strategyVariant('md_shipped', 'Markdown, shipped', SHIPPED_STRATEGY),
    { id: 'md_heading_prefix', label: 'Markdown, shipped + heading prefix', chunkTexts: (d) => withHeadings(d.text, chunksOf(SHIPPED_STRATEGY)(d)) },
  ];
}

export function describe(s: WindowStrategy): string {
  const size =
    s.sentences === 0 ? 'whole blocks' : `${s.sentences} sentence${s.sentences > 1 ? 's' : ''}${s.stride < s.sentences ? `, stride ${s.stride}` : ''}`;
  return `${size}${s.minSentenceChars > 0 ? `, < ${s.minSentenceChars} chars merged` : ''}`;
}

/** Prefixes every chunk but the headings themselves with the nearest ATX heading above it. */
function withHeadings(text: string, chunks: readonly TextChunk[]): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const headingAt = (n: number) => /^#{1,6}\s+(.*)$/.exec(lines[n - 1]!);
  return chunks.map((chunk) => {
    if (headingAt(chunk.startLine)) return chunk.text;
    for (let n = chunk.startLine - 1; n >= 1; n--) {
      const heading = headingAt(n);
      if (heading) return `${heading[1]}\n${chunk.text}`;
    }
    return chunk.text;
  });
}
