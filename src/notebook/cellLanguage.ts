// The `minilm` cell language: one directive per cell on its first non-comment line, texts (one per line) below.
// Pure and vscode-free so that the parser is property-tested in plain Node. The syntax is documented in
// docs/notebook-format.md; every error names the 1-based line within the cell and what was expected there.

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

/** A cell that does not parse. `line` is 1-based within the cell. */
export class CellSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`Line ${line}: ${detail}`);
    this.name = 'CellSyntaxError';
  }
}

const SYNTAX_HINT: Record<DirectiveName, string> = {
  compare: '`compare` with texts below (one per line), or `compare <corpus>`',
  similarity: '`similarity` with exactly two texts below',
  explain: '`explain` with exactly two texts below',
  search: '`search <query>` with candidates below, `@file <path>`, `@workspace` (the workspace index), or `search <query> in <corpus>`',
  encode: '`encode` with texts below, or `encode <corpus>`',
  mine: '`mine [<corpus>] [top <k>] [max <n>]` with texts below unless a corpus is named',
  cluster: '`cluster <threshold> [in <corpus>] [min <size>]` with texts below unless a corpus is named',
  corpus: '`corpus <name>` with texts below or `@file <path>`',
};

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

/** Parses one `minilm` cell. Throws {@link CellSyntaxError} pointing at the offending line. */
export function parseCell(source: string): Directive {
  const lines = cellLines(source);
  const at = directiveLineIndex(lines);
  if (at < 0) {
    throw new CellSyntaxError(1, `expected a directive (${DIRECTIVES.join(', ')}); the cell holds only comments or blank lines.`);
  }
  const line = at + 1;
  const head = lines[at].trim();
  const match = /^(\S+)\s*(.*)$/s.exec(head)!;
  const word = match[1].toLowerCase();
  const rest = match[2];
  if (!(DIRECTIVES as readonly string[]).includes(word)) {
    const suggestion = closest(word, DIRECTIVES);
    throw new CellSyntaxError(
      line,
      `unknown directive "${match[1]}"; expected one of ${DIRECTIVES.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
    );
  }
  const kind = word as DirectiveName;
  const body = parseBody(lines, at + 1, kind);
  const args = kind === 'search' ? undefined : parseArguments(rest, line, kind);

  switch (kind) {
    case 'compare': {
      const input = inputOf(body, args!.corpus, line, kind);
      noExtraArguments(args!, line, kind, []);
      return { kind, line, input };
    }
    case 'encode': {
      const input = inputOf(body, args!.corpus, line, kind);
      noExtraArguments(args!, line, kind, []);
      return { kind, line, input };
    }
    case 'similarity':
    case 'explain': {
      noExtraArguments(args!, line, kind, []);
      if (args!.corpus) throw new CellSyntaxError(line, `${kind} takes no corpus; expected ${SYNTAX_HINT[kind]}.`);
      if (body.texts.length < 2) {
        const missingAt = body.texts.length === 0 ? line + 1 : body.texts[0].line + 1;
        throw new CellSyntaxError(missingAt, `expected two texts below "${kind}", one per line; found ${body.texts.length}.`);
      }
      if (body.texts.length > 2) {
        throw new CellSyntaxError(body.texts[2].line, `${kind} compares exactly two texts; this is a third (use "compare" for more).`);
      }
      return { kind, line, texts: [body.texts[0], body.texts[1]] };
    }
    case 'search': {
      const { query, corpus } = parseSearchHead(rest, line);
      const input = inputOf(body, corpus, line, kind);
      return { kind, line, query, input, top: body.options.top?.value ?? DEFAULT_SEARCH_TOP };
    }
    case 'mine': {
      noExtraArguments(args!, line, kind, ['top', 'max']);
      const input = inputOf(body, args!.corpus, line, kind);
      const top = pick(args!.options.top, body.options.top, line, 'top') ?? DEFAULT_MINE_TOP;
      const max = pick(args!.options.max, body.options.max, line, 'max') ?? DEFAULT_MINE_MAX;
      return { kind, line, input, top, max };
    }
    case 'cluster': {
      noExtraArguments(args!, line, kind, ['min']);
      if (args!.threshold === undefined) {
        throw new CellSyntaxError(line, `expected a similarity threshold between -1 and 1 after "cluster", e.g. "cluster 0.75".`);
      }
      const input = inputOf(body, args!.corpus, line, kind);
      const minSize = pick(args!.options.min, body.options.min, line, 'min') ?? DEFAULT_CLUSTER_MIN;
      return { kind, line, input, threshold: args!.threshold, minSize };
    }
    case 'corpus': {
      noExtraArguments(args!, line, kind, []);
      const name = args!.corpus?.name;
      if (!name) throw new CellSyntaxError(line, `expected a name after "corpus", e.g. "corpus faq".`);
      if (args!.corpusViaIn) throw new CellSyntaxError(line, `expected "corpus <name>", without "in".`);
      if (body.texts.length === 0 && body.files.length === 0) {
        throw new CellSyntaxError(line + 1, `expected the texts of corpus "${name}" below, one per line, or "@file <path>".`);
      }
      return { kind, line, name, input: { texts: body.texts, files: body.files } };
    }
  }
}

interface NumberOption {
  readonly value: number;
  readonly line: number;
}

interface Body {
  readonly texts: CellText[];
  readonly files: FileRef[];
  workspace?: WorkspaceRef;
  readonly options: Partial<Record<'top' | 'max' | 'min', NumberOption>>;
}

function parseBody(lines: readonly string[], from: number, kind: DirectiveName): Body {
  const body: Body = { texts: [], files: [], options: {} };
  for (let i = from; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = lines[i].trim();
    if (trimmed === '' || isComment(trimmed)) continue;
    if (trimmed.startsWith('\\')) {
      body.texts.push({ text: trimmed.slice(1), line });
      continue;
    }
    if (!trimmed.startsWith('@')) {
      body.texts.push({ text: trimmed, line });
      continue;
    }
    const m = /^@(\S*)\s*(.*)$/s.exec(trimmed)!;
    const name = m[1].toLowerCase();
    const value = m[2].trim();
    const allowed = ALLOWED_OPTIONS[kind];
    if (!(OPTIONS as readonly string[]).includes(name)) {
      throw new CellSyntaxError(
        line,
        `unknown option "@${m[1]}"; ${allowed.length ? `expected ${allowed.map((o) => `@${o}`).join(', ')}` : `"${kind}" takes no options`} (write "\\@…" for a text that starts with @).`,
      );
    }
    if (!allowed.includes(name as OptionName)) {
      throw new CellSyntaxError(line, `"${kind}" does not take "@${name}"; expected ${SYNTAX_HINT[kind]}.`);
    }
    if (name === 'workspace') {
      if (value) throw new CellSyntaxError(line, `"@workspace" takes nothing after it; put the query on the "search" line.`);
      if (body.workspace) throw new CellSyntaxError(line, `"@workspace" is given twice (first on line ${body.workspace.line}).`);
      body.workspace = { line };
      continue;
    }
    if (name === 'file') {
      if (!value) throw new CellSyntaxError(line, 'expected a workspace-relative path after "@file", e.g. "@file data/faq.txt".');
      body.files.push({ path: unquote(value), line });
      continue;
    }
    const key = name as 'top' | 'max' | 'min';
    if (body.options[key]) throw new CellSyntaxError(line, `"@${key}" is given twice (first on line ${body.options[key]!.line}).`);
    body.options[key] = { value: positiveInteger(value, line, `@${key}`), line };
  }
  return body;
}

interface Arguments {
  corpus?: CorpusRef;
  corpusViaIn: boolean;
  threshold?: number;
  options: Partial<Record<'top' | 'max' | 'min', NumberOption>>;
}

/** Arguments on the directive line of everything but `search`: `[threshold] [in] [name] [top k] [max n] [min m]`. */
function parseArguments(rest: string, line: number, kind: DirectiveName): Arguments {
  const tokens = rest.split(/\s+/).filter((t) => t !== '');
  const args: Arguments = { corpusViaIn: false, options: {} };
  let i = 0;
  if (kind === 'cluster' && i < tokens.length && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(tokens[i])) {
    const threshold = Number(tokens[i]);
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new CellSyntaxError(line, `the threshold must be between -1 and 1 (a cosine similarity), got ${tokens[i]}.`);
    }
    args.threshold = threshold;
    i++;
  }
  while (i < tokens.length) {
    const token = tokens[i];
    const lower = token.toLowerCase();
    if (lower === 'top' || lower === 'max' || lower === 'min') {
      const value = tokens[i + 1];
      if (value === undefined) throw new CellSyntaxError(line, `expected a positive whole number after "${token}".`);
      if (args.options[lower]) throw new CellSyntaxError(line, `"${lower}" is given twice.`);
      args.options[lower] = { value: positiveInteger(value, line, lower), line };
      i += 2;
      continue;
    }
    if (lower === 'in') {
      const name = tokens[i + 1];
      if (name === undefined) throw new CellSyntaxError(line, `expected a corpus name after "in".`);
      setCorpus(args, name, line, kind);
      args.corpusViaIn = true;
      i += 2;
      continue;
    }
    setCorpus(args, token, line, kind);
    i++;
  }
  return args;
}

function setCorpus(args: Arguments, name: string, line: number, kind: DirectiveName): void {
  if (args.corpus) {
    throw new CellSyntaxError(line, `unexpected "${name}" after corpus "${args.corpus.name}"; expected ${SYNTAX_HINT[kind]}.`);
  }
  if (!CORPUS_NAME.test(name)) {
    throw new CellSyntaxError(
      line,
      `"${name}" is not a corpus name (a letter or _, then letters, digits, _, - or .); expected ${SYNTAX_HINT[kind]}.`,
    );
  }
  args.corpus = { name, line };
}

function noExtraArguments(args: Arguments, line: number, kind: DirectiveName, allowed: readonly string[]): void {
  for (const key of Object.keys(args.options)) {
    if (!allowed.includes(key)) throw new CellSyntaxError(line, `"${kind}" does not take "${key}"; expected ${SYNTAX_HINT[kind]}.`);
  }
  if (kind !== 'cluster' && args.threshold !== undefined) throw new CellSyntaxError(line, `expected ${SYNTAX_HINT[kind]}.`);
}

/** `search <query> [in <name>]`; the query may be a JSON string literal to hold a trailing "in word" literally. */
function parseSearchHead(rest: string, line: number): { query: string; corpus?: CorpusRef } {
  let text = rest.trim();
  let corpus: CorpusRef | undefined;
  if (text.startsWith('"')) {
    const end = closingQuote(text);
    if (end < 0) throw new CellSyntaxError(line, 'the quoted query has no closing quote (").');
    let query: string;
    try {
      query = JSON.parse(text.slice(0, end + 1)) as string;
    } catch {
      throw new CellSyntaxError(line, 'the quoted query is not a valid string literal (escape " as \\").');
    }
    const tail = text.slice(end + 1).trim();
    if (tail !== '') {
      const m = /^in\s+(\S+)$/i.exec(tail);
      if (!m) throw new CellSyntaxError(line, `unexpected "${tail}" after the quoted query; expected nothing or "in <corpus>".`);
      if (!CORPUS_NAME.test(m[1])) throw new CellSyntaxError(line, `"${m[1]}" is not a corpus name.`);
      corpus = { name: m[1], line };
    }
    if (query.trim() === '') throw new CellSyntaxError(line, 'expected a non-empty query after "search".');
    return { query, corpus };
  }
  const m = /^(.*\S)\s+in\s+([A-Za-z_][A-Za-z0-9_.-]*)$/is.exec(text);
  if (m) {
    text = m[1];
    corpus = { name: m[2], line };
  }
  if (text === '') throw new CellSyntaxError(line, 'expected a query after "search", e.g. "search how do neural networks learn?".');
  return { query: text, corpus };
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function inputOf(body: Body, corpus: CorpusRef | undefined, line: number, kind: DirectiveName): TextInput {
  if (body.workspace) {
    if (corpus) throw new CellSyntaxError(body.workspace.line, `"${kind}" reads corpus "${corpus.name}"; "@workspace" searches the workspace index instead: keep one of them.`);
    const stray = body.texts[0] ?? body.files[0];
    if (stray) {
      throw new CellSyntaxError(stray.line, `"@workspace" searches the workspace index, so "${kind}" takes no texts or @file below; remove this line or the "@workspace" line.`);
    }
    return { texts: [], files: [], workspace: body.workspace };
  }
  if (corpus) {
    const stray = body.texts[0] ?? body.files[0];
    if (stray) {
      throw new CellSyntaxError(
        stray.line,
        `"${kind}" reads corpus "${corpus.name}", so it takes no texts or @file below; remove this line or drop the corpus name.`,
      );
    }
    return { texts: [], files: [], corpus };
  }
  if (body.texts.length === 0 && body.files.length === 0) {
    throw new CellSyntaxError(line + 1, `expected texts below "${kind}", one per line (or @file <path>); expected ${SYNTAX_HINT[kind]}.`);
  }
  return { texts: body.texts, files: body.files };
}

function pick(onLine: NumberOption | undefined, inBody: NumberOption | undefined, line: number, name: string): number | undefined {
  if (onLine && inBody) throw new CellSyntaxError(inBody.line, `"${name}" is given on line ${line} already.`);
  return (onLine ?? inBody)?.value;
}

function positiveInteger(text: string, line: number, name: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new CellSyntaxError(line, `expected a positive whole number after "${name}", got "${text}".`);
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

/** The directive nearest to a mistyped word (edit distance ≤ 2), for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The corpus a cell defines (`corpus <name>` on its directive line), without parsing the rest. For completions. */
export function definedCorpusName(source: string): string | undefined {
  const lines = cellLines(source);
  const at = directiveLineIndex(lines);
  if (at < 0) return undefined;
  const m = /^corpus\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*$/i.exec(lines[at].trim());
  return m?.[1];
}
