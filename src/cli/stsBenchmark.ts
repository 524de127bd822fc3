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
const STSB_COLUMNS: Columns = { score: 4, sentence1: 5, sentence2: 6 };

/** Header names of the other common STS layouts (Hugging Face stsb CSVs, GLUE STS-B, SICK), lower case. */
const HEADER_NAMES = {
  sentence1: ['sentence1', 'sentence_1', 'sentence_a', 'sentencea', 'text1', 'text_1', 'text_a'],
  sentence2: ['sentence2', 'sentence_2', 'sentence_b', 'sentenceb', 'text2', 'text_2', 'text_b'],
  score: ['score', 'similarity_score', 'similarity', 'label', 'gold', 'gold_score', 'relatedness_score', 'relatedness'],
} as const;

interface Columns {
  readonly score: number;
  readonly sentence1: number;
  readonly sentence2: number;
}

interface Layout {
  readonly delimiter: '\t' | ',';
  readonly columns: Columns;
  /** The first line names the columns and is not data. */
  readonly header: boolean;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads an STS file. The STS Benchmark distribution has no header: tab-separated, column 5 the gold score, columns 6
 * and 7 the sentences, further columns ignored, quoting off (sentences hold unbalanced `"`). A first line that names
 * the columns (`sentence1`, `sentence2`, `score` and their usual variants such as SICK's `sentence_A`,
 * `relatedness_score` or GLUE's `label`), tab- or comma-separated, selects those columns instead; a comma-separated
 * file is read with CSV quoting. Lines whose score is not a number or that lack a column are skipped and reported,
 * not fatal.
 */
export function parseStsFile(content: string): StsFile {
  const layout = detectLayout(content);
  const records = parseCsv(content, {
    delimiter: layout.delimiter,
    quote: layout.delimiter === ',' ? '"' : false,
    relax_quotes: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    record_delimiter: ['\r\n', '\n'],
    from_line: layout.header ? 2 : 1,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const { columns } = layout;
  const needed = Math.max(columns.score, columns.sentence1, columns.sentence2) + 1;
  const pairs: StsPair[] = [];
  const skipped: SkippedLine[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.length < needed) {
      skipped.push({ line, reason: `${record.length} columns, need at least ${needed}` });
      continue;
    }
    const field = record[columns.score].trim();
    if (!NUMBER.test(field)) {
      skipped.push({ line, reason: `score column is not a number (${JSON.stringify(field.slice(0, 20))})` });
      continue;
    }
    pairs.push({ line, score: Number(field), sentence1: record[columns.sentence1], sentence2: record[columns.sentence2] });
  }
  return { pairs, skipped };
}

function detectLayout(content: string): Layout {
  const firstLine = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  for (const delimiter of ['\t', ','] as const) {
    let names: string[];
    try {
      const [record] = parseCsv(firstLine, { delimiter, quote: delimiter === ',' ? '"' : false, relax_quotes: true, relax_column_count: true }) as string[][];
      names = (record ?? []).map((n) => n.trim().toLowerCase());
    } catch {
      continue;
    }
    const find = (candidates: readonly string[]) => names.findIndex((n) => candidates.includes(n));
    const columns = { score: find(HEADER_NAMES.score), sentence1: find(HEADER_NAMES.sentence1), sentence2: find(HEADER_NAMES.sentence2) };
    if (columns.score >= 0 && columns.sentence1 >= 0 && columns.sentence2 >= 0) return { delimiter, columns, header: true };
  }
  return { delimiter: '\t', columns: STSB_COLUMNS, header: false };
}
