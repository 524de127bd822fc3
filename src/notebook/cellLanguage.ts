// The `minilm` cell language: one directive per cell on its first non-comment line, texts (one per line) below.
// Pure and vscode-free so that the parser is property-tested in plain Node. The syntax is documented in
// docs/notebook-format.md; every problem names the 1-based line and the columns within the cell and what was
// expected there, as a message of cellMessages.ts (translated by the editor).
import { distance } from 'fastest-levenshtein';
import { english } from '../shared/translate';
import { renderMessage, type CellMessage, type MessageArgument } from './cellMessages';

export const DIRECTIVES = ['compare', 'similarity', 'explain', 'search', 'encode', 'mine', 'cluster', 'corpus'] as const;
export type DirectiveName = (typeof DIRECTIVES)[number];

export const OPTIONS = ['file', 'top', 'max', 'min', 'workspace'] as const;
export type OptionName = (typeof OPTIONS)[number];

/** Corpus names: a letter or underscore, then letters, digits, `_`, `-` or `.`. */
export const CORPUS_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Texts larger than this are refused for `compare`: an N x N matrix must stay readable and fit the output. */
export const MAX_COMPARE_TEXTS = 1000;

export const DEFAULT_SEARCH_TOP = 5;
export const DEFAULT_MINE_TOP = 10;
export const DEFAULT_MINE_MAX = 50;
export const DEFAULT_CLUSTER_MIN = 2;

export interface CellText {
  readonly text: string;
  /** 1-based line within the cell. */
  readonly line: number;
}

export interface FileRef {
  /** Workspace-relative path as written. */
  readonly path: string;
  readonly line: number;
}

export interface CorpusRef {
  readonly name: string;
  readonly line: number;
  /** 0-based columns of the name in its line. */
  readonly start: number;
  readonly end: number;
}

/** `@workspace` below `search`: the candidates are the chunks of the workspace index. */
export interface WorkspaceRef {
  readonly line: number;
}

/**
 * Where a directive's texts come from: lines below it, `@file` lines, a named corpus from an earlier cell, or (for
 * `search` only) the workspace index.
 */
export interface TextInput {
  readonly texts: readonly CellText[];
  readonly files: readonly FileRef[];
  readonly corpus?: CorpusRef;
  readonly workspace?: WorkspaceRef;
}

interface DirectiveBase {
  /** Line of the directive. */
  readonly line: number;
}

export type Directive =
  | (DirectiveBase & { readonly kind: 'compare'; readonly input: TextInput })
  | (DirectiveBase & { readonly kind: 'similarity'; readonly texts: readonly [CellText, CellText] })
  /** Which word pieces make the score of two texts: their token alignment. */
  | (DirectiveBase & { readonly kind: 'explain'; readonly texts: readonly [CellText, CellText] })
  | (DirectiveBase & { readonly kind: 'search'; readonly query: string; readonly input: TextInput; readonly top: number })
  | (DirectiveBase & { readonly kind: 'encode'; readonly input: TextInput })
  | (DirectiveBase & { readonly kind: 'mine'; readonly input: TextInput; readonly top: number; readonly max: number })
  | (DirectiveBase & { readonly kind: 'cluster'; readonly input: TextInput; readonly threshold: number; readonly minSize: number })
  | (DirectiveBase & { readonly kind: 'corpus'; readonly name: string; readonly input: TextInput });

/**
 * One thing wrong in a cell. `line` is 1-based within the cell (it may be one past the last line when texts are
 * missing below); `start`/`end` are 0-based columns of the offending part of that line.
 */
export interface CellProblem {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: CellMessage;
  readonly args: readonly MessageArgument[];
  /** What a quick fix may put in place of `start`–`end`: the nearest valid names, best first. */
  readonly fixes?: readonly string[];
}

/** A cell that does not parse: `problem` is its first problem, `problems` all of them. `line` is 1-based within the cell. */
export class CellSyntaxError extends Error {
  readonly problem: CellProblem;
  readonly line: number;
  /** The first problem in English (for logs and tests); the editor and the kernel show {@link renderMessage} of each. */
  readonly detail: string;

  constructor(readonly problems: readonly [CellProblem, ...CellProblem[]]) {
    const detail = renderMessage(problems[0].message, problems[0].args, english);
    super(`Line ${problems[0].line}: ${detail}`);
    this.name = 'CellSyntaxError';
    this.problem = problems[0];
    this.line = problems[0].line;
    this.detail = detail;
  }
}

const ALLOWED_OPTIONS: Record<DirectiveName, readonly OptionName[]> = {
  compare: ['file'],
  similarity: [],
  explain: [],
  search: ['file', 'top', 'workspace'],
  encode: ['file'],
  mine: ['file', 'top', 'max'],
  cluster: ['file', 'min'],
  corpus: ['file'],
};

/** A cell's lines: CRLF and LF both end a line. */
export function cellLines(source: string): string[] {
  return source.split(/\r?\n/);
}

function isComment(trimmed: string): boolean {
  return trimmed.startsWith('#');
}

/** Index (0-based) of the directive line, or -1 for a cell of only comments and blank lines. */
export function directiveLineIndex(lines: readonly string[]): number {
  return lines.findIndex((l) => {
    const t = l.trim();
    return t !== '' && !isComment(t);
  });
}

/** The text of a body line, or undefined for a blank line, a comment or an `@` option line. `\` escapes a text. */
export function bodyText(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || isComment(trimmed) || trimmed.startsWith('@')) return undefined;
  return trimmed.startsWith('\\') ? trimmed.slice(1) : trimmed;
}

/** Collects the problems of one cell, each with its range. */
class Problems {
  readonly list: CellProblem[] = [];
  constructor(private readonly lines: readonly string[]) {}

  at(line: number, start: number, end: number, message: CellMessage, args: readonly MessageArgument[] = [], fixes?: readonly string[]): void {
    this.list.push({ line, start, end, message, args, ...(fixes && fixes.length ? { fixes } : {}) });
  }

  /** On the whole (trimmed) content of a line. */
  onLine(line: number, message: CellMessage, args: readonly MessageArgument[] = []): void {
    const text = this.lines[line - 1] ?? '';
    const start = text.length - text.trimStart().length;
    this.at(line, start, Math.max(start, text.trimEnd().length), message, args);
  }
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function tokensOf(text: string, offset: number): Token[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length }));
}

/**
 * Parses one `minilm` cell and reports every problem in it (sorted by line and column), not only the first. The
 * directive is present exactly when there is no problem.
 */
export function checkCell(source: string): { readonly directive?: Directive; readonly problems: readonly CellProblem[] } {
  const lines = cellLines(source);
  const problems = new Problems(lines);
  const directive = parseDirective(lines, problems);
  if (problems.list.length === 0) return { directive: directive!, problems: [] };
  const sorted = [...problems.list].sort((a, b) => a.line - b.line || a.start - b.start);
  return { problems: sorted };
}

/** Parses one `minilm` cell. Throws {@link CellSyntaxError} for its first problem. */
export function parseCell(source: string): Directive {
  const { directive, problems } = checkCell(source);
  if (problems.length > 0) throw new CellSyntaxError(problems as [CellProblem, ...CellProblem[]]);
  return directive!;
}

function parseDirective(lines: readonly string[], p: Problems): Directive | undefined {
  const at = directiveLineIndex(lines);
  if (at < 0) {
    p.at(1, 0, (lines[0] ?? '').length, 'noDirective', [DIRECTIVES.join(', ')]);
    return undefined;
  }
  const line = at + 1;
  const raw = lines[at];
  const indent = raw.length - raw.trimStart().length;
  const head = raw.trim();
  const match = /^(\S+)\s*(.*)$/s.exec(head)!;
  const word = match[1].toLowerCase();
  const rest = match[2];
  const restOffset = indent + head.length - rest.length;
  if (!(DIRECTIVES as readonly string[]).includes(word)) {
    const fixes = nearest(word, DIRECTIVES);
    p.at(
      line,
      indent,
      indent + match[1].length,
      fixes.length ? 'unknownDirectiveSuggest' : 'unknownDirective',
      [match[1], DIRECTIVES.join(', '), ...fixes.slice(0, 1)],
      fixes,
    );
    parseBody(lines, at + 1, undefined, p);
    return undefined;
  }
  const kind = word as DirectiveName;
  const body = parseBody(lines, at + 1, kind, p);
  const hint = { hint: kind };

  if (kind === 'search') {
    const hasCandidates = body.texts.length > 0 || body.files.length > 0 || body.workspace !== undefined;
    const head = parseSearchHead(rest, restOffset, line, hasCandidates, p);
    const input = inputOf(body, head.corpus, line, kind, p);
    return head.query === undefined ? undefined : { kind, line, query: head.query, input, top: body.options.top?.value ?? DEFAULT_SEARCH_TOP };
  }

  const args = parseArguments(rest, restOffset, line, kind, p);
  switch (kind) {
    case 'compare':
    case 'encode': {
      noExtraArguments(args, kind, [], p);
      return { kind, line, input: inputOf(body, args.corpus, line, kind, p) };
    }
    case 'similarity':
    case 'explain': {
      noExtraArguments(args, kind, [], p);
      if (args.corpus) p.at(line, args.corpus.start, args.corpus.end, 'takesNoCorpus', [kind, hint]);
      if (body.texts.length < 2) {
        const missingAt = body.texts.length === 0 ? line + 1 : body.texts[0].line + 1;
        p.onLine(missingAt, 'twoTextsMissing', [kind, body.texts.length]);
      }
      for (const extra of body.texts.slice(2)) p.onLine(extra.line, 'twoTextsExtra', [kind]);
      return body.texts.length === 2 ? { kind, line, texts: [body.texts[0], body.texts[1]] } : undefined;
    }
    case 'mine': {
      noExtraArguments(args, kind, ['top', 'max'], p);
      const input = inputOf(body, args.corpus, line, kind, p);
      const top = pick(args.options.top, body.options.top, line, 'top', p) ?? DEFAULT_MINE_TOP;
      const max = pick(args.options.max, body.options.max, line, 'max', p) ?? DEFAULT_MINE_MAX;
      return { kind, line, input, top, max };
    }
    case 'cluster': {
      noExtraArguments(args, kind, ['min'], p);
      if (args.threshold === undefined && !args.thresholdInvalid) {
        p.at(line, indent, indent + match[1].length, 'clusterThreshold');
      }
      const input = inputOf(body, args.corpus, line, kind, p);
      const minSize = pick(args.options.min, body.options.min, line, 'min', p) ?? DEFAULT_CLUSTER_MIN;
      return { kind, line, input, threshold: args.threshold ?? 0, minSize };
    }
    case 'corpus': {
      noExtraArguments(args, kind, [], p);
      const name = args.corpus?.name;
      if (!name) p.at(line, indent, indent + match[1].length, 'corpusName');
      else if (args.corpusViaIn) p.onLine(line, 'corpusWithoutIn');
      if (name && body.texts.length === 0 && body.files.length === 0) p.onLine(line + 1, 'corpusTexts', [name]);
      return { kind, line, name: name ?? '', input: { texts: body.texts, files: body.files } };
    }
  }
}

interface NumberOption {
  readonly value: number;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

interface Body {
  readonly texts: CellText[];
  readonly files: FileRef[];
  workspace?: WorkspaceRef;
  readonly options: Partial<Record<'top' | 'max' | 'min', NumberOption>>;
}

/** The lines below the directive. `kind` undefined: the directive is unknown, so only unknown options are flagged. */
function parseBody(lines: readonly string[], from: number, kind: DirectiveName | undefined, p: Problems): Body {
  const body: Body = { texts: [], files: [], options: {} };
  for (let i = from; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i];
    const trimmed = raw.trim();
    const text = bodyText(raw);
    if (text !== undefined) {
      body.texts.push({ text, line });
      continue;
    }
    if (!trimmed.startsWith('@')) continue;
    const indent = raw.length - raw.trimStart().length;
    const m = /^@(\S*)\s*(.*)$/s.exec(trimmed)!;
    const name = m[1].toLowerCase();
    const value = m[2].trim();
    const nameEnd = indent + 1 + m[1].length;
    const valueStart = value === '' ? nameEnd : raw.indexOf(value, nameEnd);
    const valueEnd = valueStart + value.length;
    const allowed = kind ? ALLOWED_OPTIONS[kind] : OPTIONS;
    if (!(OPTIONS as readonly string[]).includes(name)) {
      const fixes = nearest(name, allowed).map((o) => `@${o}`);
      if (allowed.length) p.at(line, indent, nameEnd, 'unknownOption', [m[1], allowed.map((o) => `@${o}`).join(', ')], fixes);
      else p.at(line, indent, nameEnd, 'unknownOptionNone', [m[1], kind ?? ''], fixes);
      continue;
    }
    if (!kind) continue;
    if (!allowed.includes(name as OptionName)) {
      p.at(line, indent, nameEnd, 'optionNotTaken', [kind, name, { hint: kind }]);
      continue;
    }
    if (name === 'workspace') {
      if (value) p.at(line, valueStart, valueEnd, 'workspaceArgument');
      if (body.workspace) p.at(line, indent, nameEnd, 'optionTwice', ['workspace', body.workspace.line]);
      else body.workspace = { line };
      continue;
    }
    if (name === 'file') {
      if (!value) p.at(line, indent, nameEnd, 'filePath');
      else body.files.push({ path: unquote(value), line });
      continue;
    }
    const key = name as 'top' | 'max' | 'min';
    if (body.options[key]) {
      p.at(line, indent, nameEnd, 'optionTwice', [key, body.options[key]!.line]);
      continue;
    }
    const number = positiveInteger(value, `@${key}`, line, valueStart, valueEnd, p);
    if (number !== undefined) body.options[key] = { value: number, line, start: indent, end: nameEnd };
  }
  return body;
}

interface Arguments {
  corpus?: CorpusRef;
  corpusViaIn: boolean;
  threshold?: number;
  thresholdInvalid?: boolean;
  options: Partial<Record<'top' | 'max' | 'min', NumberOption>>;
}

/** Arguments on the directive line of everything but `search`: `[threshold] [in] [name] [top k] [max n] [min m]`. */
function parseArguments(rest: string, offset: number, line: number, kind: DirectiveName, p: Problems): Arguments {
  const tokens = tokensOf(rest, offset);
  const args: Arguments = { corpusViaIn: false, options: {} };
  let i = 0;
  if (kind === 'cluster' && i < tokens.length && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(tokens[i].text)) {
    const threshold = Number(tokens[i].text);
    if (threshold >= -1 && threshold <= 1) args.threshold = threshold;
    else {
      args.thresholdInvalid = true;
      p.at(line, tokens[i].start, tokens[i].end, 'thresholdRange', [tokens[i].text]);
    }
    i++;
  }
  while (i < tokens.length) {
    const token = tokens[i];
    const lower = token.text.toLowerCase();
    if (lower === 'top' || lower === 'max' || lower === 'min') {
      const value = tokens[i + 1];
      i += 2;
      if (value === undefined) {
        p.at(line, token.start, token.end, 'positiveNumberMissing', [token.text]);
        continue;
      }
      if (args.options[lower]) {
        p.at(line, token.start, token.end, 'wordTwice', [lower]);
        continue;
      }
      const number = positiveInteger(value.text, lower, line, value.start, value.end, p);
      if (number !== undefined) args.options[lower] = { value: number, line, start: token.start, end: token.end };
      continue;
    }
    if (lower === 'in') {
      const name = tokens[i + 1];
      i += 2;
      if (name === undefined) {
        p.at(line, token.start, token.end, 'inWithoutName');
        continue;
      }
      if (setCorpus(args, name, line, kind, p)) args.corpusViaIn = true;
      continue;
    }
    setCorpus(args, token, line, kind, p);
    i++;
  }
  return args;
}

function setCorpus(args: Arguments, token: Token, line: number, kind: DirectiveName, p: Problems): boolean {
  if (args.corpus) {
    p.at(line, token.start, token.end, 'secondCorpus', [token.text, args.corpus.name, { hint: kind }]);
    return false;
  }
  if (!CORPUS_NAME.test(token.text)) {
    p.at(line, token.start, token.end, 'badCorpusName', [token.text, { hint: kind }]);
    return false;
  }
  args.corpus = { name: token.text, line, start: token.start, end: token.end };
  return true;
}

function noExtraArguments(args: Arguments, kind: DirectiveName, allowed: readonly string[], p: Problems): void {
  for (const [key, option] of Object.entries(args.options)) {
    if (!allowed.includes(key)) p.at(option.line, option.start, option.end, 'argumentNotTaken', [kind, key, { hint: kind }]);
  }
}

/**
 * `search <query> [in <name>]`. An unquoted trailing `in <name>` names a corpus only when the cell has no candidates
 * below (texts, `@file` or `@workspace`), since a search reads either a corpus or candidates: with candidates it is
 * part of the query. A JSON string literal query (`search "what is in box" in docs`) is never ambiguous.
 */
function parseSearchHead(rest: string, offset: number, line: number, hasCandidates: boolean, p: Problems): { query?: string; corpus?: CorpusRef } {
  const text = rest.trim();
  const textEnd = offset + rest.trimEnd().length;
  const corpusAtEnd = (name: string): CorpusRef => ({ name, line, start: textEnd - name.length, end: textEnd });
  if (text.startsWith('"')) {
    const end = closingQuote(text);
    if (end < 0) {
      p.at(line, offset, textEnd, 'quoteUnclosed');
      return {};
    }
    let query: string | undefined;
    try {
      query = JSON.parse(text.slice(0, end + 1)) as string;
    } catch {
      p.at(line, offset, offset + end + 1, 'quoteInvalid');
    }
    let corpus: CorpusRef | undefined;
    const tail = text.slice(end + 1).trim();
    if (tail !== '') {
      const m = /^in\s+(\S+)$/i.exec(tail);
      if (!m) p.at(line, textEnd - tail.length, textEnd, 'afterQuote', [tail]);
      else if (!CORPUS_NAME.test(m[1])) p.at(line, textEnd - m[1].length, textEnd, 'notCorpusName', [m[1]]);
      else corpus = corpusAtEnd(m[1]);
    }
    if (query !== undefined && query.trim() === '') p.at(line, offset, offset + end + 1, 'emptyQuery');
    return { query, corpus };
  }
  const m = hasCandidates ? null : /^(.*\S)\s+in\s+([A-Za-z_][A-Za-z0-9_.-]*)$/is.exec(text);
  if (m) return { query: m[1], corpus: corpusAtEnd(m[2]) };
  if (text === '') {
    p.onLine(line, 'queryMissing');
    return {};
  }
  return { query: text };
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function inputOf(body: Body, corpus: CorpusRef | undefined, line: number, kind: DirectiveName, p: Problems): TextInput {
  const strays = [...body.texts, ...body.files].sort((a, b) => a.line - b.line);
  if (body.workspace) {
    if (corpus) p.onLine(body.workspace.line, 'workspaceAndCorpus', [kind, corpus.name]);
    for (const stray of strays) p.onLine(stray.line, 'workspaceAndTexts', [kind]);
    return { texts: [], files: [], workspace: body.workspace };
  }
  if (corpus) {
    for (const stray of strays) p.onLine(stray.line, 'corpusAndTexts', [kind, corpus.name]);
    return { texts: [], files: [], corpus };
  }
  if (body.texts.length === 0 && body.files.length === 0) p.onLine(line + 1, 'textsMissing', [kind, { hint: kind }]);
  return { texts: body.texts, files: body.files };
}

function pick(onLine: NumberOption | undefined, inBody: NumberOption | undefined, line: number, name: string, p: Problems): number | undefined {
  if (onLine && inBody) p.at(inBody.line, inBody.start, inBody.end, 'givenAlready', [name, line]);
  return (onLine ?? inBody)?.value;
}

function positiveInteger(text: string, name: string, line: number, start: number, end: number, p: Problems): number | undefined {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    if (text === '') p.at(line, start, end, 'positiveNumberMissing', [name]);
    else p.at(line, start, end, 'positiveNumber', [name, text]);
    return undefined;
  }
  return Number(text);
}

function unquote(path: string): string {
  if (path.length >= 2 && path.startsWith('"') && path.endsWith('"')) {
    try {
      return JSON.parse(path) as string;
    } catch {
      return path;
    }
  }
  return path;
}

/** The names nearest to a mistyped word (edit distance ≤ 2, and less than the word's length), best first. */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase()) }))
    .filter(({ d }) => d > 0 && d <= 2 && d < Math.max(lower.length, 2))
    .sort((a, b) => a.d - b.d)
    .map(({ candidate }) => candidate);
}

/** Where a cell defines a corpus: `corpus <name>` on its directive line, without parsing the rest. */
export function definedCorpus(source: string): CorpusRef | undefined {
  const lines = cellLines(source);
  const at = directiveLineIndex(lines);
  if (at < 0) return undefined;
  const m = /^(\s*corpus\s+)([A-Za-z_][A-Za-z0-9_.-]*)\s*$/i.exec(lines[at]);
  return m ? { name: m[2], line: at + 1, start: m[1].length, end: m[1].length + m[2].length } : undefined;
}

/** The corpus a cell defines, for completions. */
export function definedCorpusName(source: string): string | undefined {
  return definedCorpus(source)?.name;
}
