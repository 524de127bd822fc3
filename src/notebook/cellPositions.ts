// What stands at a position of a `minilm` cell, for hovers, go-to-definition and completions. Pure and vscode-free
// (positions are a 0-based line and column) so that it is unit-tested in plain Node.
import { DIRECTIVES, OPTIONS, bodyText, cellLines, checkCell, definedCorpus, directiveLineIndex, type CorpusRef, type DirectiveName } from './cellLanguage';
import type { HOVER_DOCS } from './cellMessages';

export type HoverTopic = keyof typeof HOVER_DOCS;

export interface WordAt {
  readonly topic: HoverTopic;
  readonly kind: 'directive' | 'option' | 'keyword';
  /** 0-based columns of the word. */
  readonly start: number;
  readonly end: number;
  /** The directive of the cell, for its syntax line. */
  readonly directive?: DirectiveName;
}

/** Directives whose line takes `top` / `max` / `min` / `in` as keywords (search's line is its query). */
const KEYWORD_DIRECTIVES: ReadonlySet<string> = new Set(['compare', 'encode', 'mine', 'cluster']);

/** The directive, option or directive-line keyword under a position, if any. */
export function wordAt(source: string, line: number, character: number): WordAt | undefined {
  const lines = cellLines(source);
  const text = lines[line];
  if (text === undefined) return undefined;
  const at = directiveLineIndex(lines);
  const words = [...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  const under = words.find((w) => character >= w.start && character <= w.end);
  if (!under) return undefined;
  const directive = at >= 0 ? (lines[at].trim().split(/\s+/)[0] ?? '').toLowerCase() : '';
  const known = (DIRECTIVES as readonly string[]).includes(directive) ? (directive as DirectiveName) : undefined;
  if (line === at) {
    const lower = under.word.toLowerCase();
    if (under === words[0]) return known ? { topic: known, kind: 'directive', start: under.start, end: under.end, directive: known } : undefined;
    if (!known || !KEYWORD_DIRECTIVES.has(known)) return undefined;
    if (lower === 'in') return { topic: 'in', kind: 'keyword', start: under.start, end: under.end, directive: known };
    if (lower === 'top' || lower === 'max' || lower === 'min') {
      return { topic: `@${lower}`, kind: 'keyword', start: under.start, end: under.end, directive: known };
    }
    return undefined;
  }
  if (line < at || under !== words[0]) return undefined;
  const option = /^@([A-Za-z]+)/.exec(under.word);
  if (!option || !(OPTIONS as readonly string[]).includes(option[1].toLowerCase()) || character > under.start + option[0].length) return undefined;
  return {
    topic: `@${option[1].toLowerCase()}` as HoverTopic,
    kind: 'option',
    start: under.start,
    end: under.start + option[0].length,
    ...(known ? { directive: known } : {}),
  };
}

/** The corpus a cell reads (`compare docs`, `search q in docs`, …) when it parses, else undefined. */
export function corpusReference(source: string): CorpusRef | undefined {
  const { directive } = checkCell(source);
  if (!directive || directive.kind === 'similarity' || directive.kind === 'explain' || directive.kind === 'corpus') return undefined;
  return directive.input.corpus;
}

/** The corpus name under a position: the one a cell reads, or the one it defines. */
export function corpusNameAt(source: string, line: number, character: number): CorpusRef | undefined {
  for (const ref of [corpusReference(source), definedCorpus(source)]) {
    if (ref && ref.line - 1 === line && character >= ref.start && character <= ref.end) return ref;
  }
  return undefined;
}

/**
 * The query of a search whose unquoted line ends in `in <name>` while candidates follow below: the parser reads that
 * tail as part of the query, but a grammar sees one line at a time and colours it as a corpus. 0-based line and
 * columns of the whole query, so the editor can colour it as the text it is.
 */
export function queryReadWithIn(source: string): { readonly line: number; readonly start: number; readonly end: number } | undefined {
  const lines = cellLines(source);
  const at = directiveLineIndex(lines);
  if (at < 0) return undefined;
  const m = /^(\s*search\s+)([^"\s](?:.*\S)?\s+in\s+[A-Za-z_][A-Za-z0-9_.-]*)\s*$/i.exec(lines[at]);
  if (!m) return undefined;
  const hasCandidates = lines.slice(at + 1).some((l) => bodyText(l) !== undefined || /^\s*@(file|workspace)\b/i.test(l));
  return hasCandidates ? { line: at, start: m[1].length, end: m[1].length + m[2].length } : undefined;
}

/** The path typed so far after `@file ` on a line, with its start column, when the cursor is in it. */
export function filePathBefore(textBeforeCursor: string): { readonly typed: string; readonly start: number } | undefined {
  const m = /^(\s*@file\s+)("?)([^"]*)$/i.exec(textBeforeCursor);
  if (!m) return undefined;
  return { typed: m[3], start: m[1].length + m[2].length };
}
