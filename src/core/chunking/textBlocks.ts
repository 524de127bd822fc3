import { BlockCollector, isBlank, type StructuralBlock } from './blocks';
import type { SourceLines } from './sourceLines';

/** Plain text: paragraphs separated by blank lines. */
export function textBlocks(lines: SourceLines): StructuralBlock[] {
  const out = new BlockCollector();
  for (let n = 1; n <= lines.count; n++) {
    if (isBlank(lines.line(n))) out.flush();
    else out.addProse({ start: lines.start(n), end: lines.end(n) });
  }
  out.flush();
  return out.blocks;
}
