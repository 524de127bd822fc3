import { parse as parseCsv } from 'csv-parse/sync';

/** One STS pair: gold similarity (0–5 in STS-B) and the two sentences, with its 1-based line in the file. */
export interface StsPair {
  readonly line: number;
  readonly score: number;
  readonly sentence1: string;
  readonly sentence2: string;
}

export interface SkippedLine {
  readonly line: number;
  readonly reason: string;
}

export interface StsFile {
  readonly pairs: StsPair[];
  readonly skipped: SkippedLine[];
}

/** Column positions (0-based) of the STS Benchmark distribution: genre, file, year, id, score, sentence1, sentence2. */
const SCORE = 4;
const SENTENCE1 = 5;
const SENTENCE2 = 6;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads an STS Benchmark style file: tab-separated, column 5 the gold score, columns 6 and 7 the sentences, further
 * columns ignored. Quoting is off, as in the official distribution (sentences hold unbalanced `"`). Lines whose score
 * is not a number (a header, say) or that have fewer than 7 columns are skipped and reported, not fatal.
 */
export function parseStsFile(content: string): StsFile {
  const records = parseCsv(content, {
    delimiter: '\t',
    quote: false,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    record_delimiter: ['\r\n', '\n'],
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const pairs: StsPair[] = [];
  const skipped: SkippedLine[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.length <= SENTENCE2) {
      skipped.push({ line, reason: `${record.length} columns, need at least ${SENTENCE2 + 1}` });
      continue;
    }
    const field = record[SCORE].trim();
    if (!NUMBER.test(field)) {
      skipped.push({ line, reason: `score column is not a number (${JSON.stringify(field.slice(0, 20))})` });
      continue;
    }
    pairs.push({ line, score: Number(field), sentence1: record[SENTENCE1], sentence2: record[SENTENCE2] });
  }
  return { pairs, skipped };
}
