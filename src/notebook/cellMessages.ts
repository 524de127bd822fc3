// Every message the `minilm` cell language shows (syntax errors, hover docs, quick fixes), as English templates with
// {0} placeholders: the keys of l10n/bundle.l10n*.json. Kept in one table so that a unit test can check that both
// bundles hold each of them, and so that the pure parser never formats a message itself.
import type { Translate } from '../shared/translate';

export const CELL_MESSAGES = {
  noDirective: 'expected a directive ({0}); the cell holds only comments or blank lines.',
  unknownDirective: 'unknown directive "{0}"; expected one of {1}.',
  unknownDirectiveSuggest: 'unknown directive "{0}"; expected one of {1} (did you mean "{2}"?).',
  takesNoCorpus: '{0} takes no corpus; expected {1}.',
  twoTextsMissing: 'expected two texts below "{0}", one per line; found {1}.',
  twoTextsExtra: '{0} compares exactly two texts; this is a third (use "compare" for more).',
  clusterThreshold: 'expected a similarity threshold between -1 and 1 after "cluster", e.g. "cluster 0.75".',
  thresholdRange: 'the threshold must be between -1 and 1 (a cosine similarity), got {0}.',
  corpusName: 'expected a name after "corpus", e.g. "corpus faq".',
  corpusWithoutIn: 'expected "corpus <name>", without "in".',
  corpusTexts: 'expected the texts of corpus "{0}" below, one per line, or "@file <path>".',
  unknownOption: 'unknown option "@{0}"; expected {1} (write "\\@…" for a text that starts with @).',
  unknownOptionNone: 'unknown option "@{0}"; "{1}" takes no options (write "\\@…" for a text that starts with @).',
  optionNotTaken: '"{0}" does not take "@{1}"; expected {2}.',
  workspaceArgument: '"@workspace" takes nothing after it; put the query on the "search" line.',
  optionTwice: '"@{0}" is given twice (first on line {1}).',
  filePath: 'expected a workspace-relative path after "@file", e.g. "@file data/faq.txt".',
  positiveNumber: 'expected a positive whole number after "{0}", got "{1}".',
  positiveNumberMissing: 'expected a positive whole number after "{0}".',
  wordTwice: '"{0}" is given twice.',
  inWithoutName: 'expected a corpus name after "in".',
  secondCorpus: 'unexpected "{0}" after corpus "{1}"; expected {2}.',
  badCorpusName: '"{0}" is not a corpus name (a letter or _, then letters, digits, _, - or .); expected {1}.',
  argumentNotTaken: '"{0}" does not take "{1}"; expected {2}.',
  expected: 'expected {0}.',
  quoteUnclosed: 'the quoted query has no closing quote (").',
  quoteInvalid: 'the quoted query is not a valid string literal (escape " as \\").',
  afterQuote: 'unexpected "{0}" after the quoted query; expected nothing or "in <corpus>".',
  notCorpusName: '"{0}" is not a corpus name.',
  emptyQuery: 'expected a non-empty query after "search".',
  queryMissing: 'expected a query after "search", e.g. "search how do neural networks learn?".',
  workspaceAndCorpus: '"{0}" reads corpus "{1}"; "@workspace" searches the workspace index instead: keep one of them.',
  workspaceAndTexts: '"@workspace" searches the workspace index, so "{0}" takes no texts or @file below; remove this line or the "@workspace" line.',
  corpusAndTexts: '"{0}" reads corpus "{1}", so it takes no texts or @file below; remove this line or drop the corpus name.',
  textsMissing: 'expected texts below "{0}", one per line (or @file <path>); expected {1}.',
  givenAlready: '"{0}" is given on line {1} already.',
  modelMissing: 'expected a model after "# model:": a catalogue id (e.g. {0}), owner/name[@revision] or a folder.',
  // Found by the editor, not the parser: they need the notebook around the cell.
  undefinedCorpus: 'no corpus "{0}" is defined in a cell above this one; add a cell "corpus {0}" above, or correct the name.',
  undefinedCorpusSuggest: 'no corpus "{0}" is defined in a cell above this one (did you mean "{1}"?).',
} as const;

/** Errors found while a cell runs (the kernel's, not the parser's). */
export const RUN_MESSAGES = {
  compareTooMany: 'compare draws an N × N matrix and takes at most {0} texts, got {1}; use "search", "mine" or "cluster" for larger sets.',
  explainNoTokens: '"explain" needs the token embeddings of the engine; here there are none.',
  workspaceNoIndex: '"@workspace" needs the workspace index of VS Code; here there is none.',
  noCorpusDefined: 'no corpus named "{0}" in this notebook\'s session; run a cell "corpus {0}" first (defined: {1}).',
  noCorpusNone: 'no corpus named "{0}" in this notebook\'s session; run a cell "corpus {0}" first (none is defined yet).',
  cannotRead: 'cannot read "{0}": {1}',
  fileEmpty: '"{0}" holds no non-empty lines.',
  noTexts: 'expected at least one text.',
  modelNotCatalogue:
    '"{0}" is not a catalogue model: in an untrusted workspace a notebook may use only catalogue models ("minilm models" lists them). Trust the workspace to use a folder or hub repository.',
  modelFolderOutside: 'The model folder {0} is outside the workspace folder; a notebook may load model folders only from inside it.',
  modelFolderLink: 'The model folder {0} leads outside the workspace folder (a symbolic link); a notebook may load model folders only from inside it.',
  /** An engine error about the model spec, shown as it is. */
  modelSpec: '{0}',
} as const;

export type RunMessage = keyof typeof RUN_MESSAGES;

/** How each directive is written: shown in errors and hover docs. */
export const SYNTAX_HINTS = {
  compare: '`compare` with texts below (one per line), or `compare <corpus>`',
  similarity: '`similarity` with exactly two texts below',
  explain: '`explain` with exactly two texts below',
  search: '`search <query>` with candidates below, `@file <path>`, `@workspace` (the workspace index), or `search <query> in <corpus>`',
  encode: '`encode` with texts below, or `encode <corpus>`',
  mine: '`mine [<corpus>] [top <k>] [max <n>]` with texts below unless a corpus is named',
  cluster: '`cluster <threshold> [in <corpus>] [min <size>]` with texts below unless a corpus is named',
  corpus: '`corpus <name>` with texts below or `@file <path>`',
} as const;

/** What each directive, option and directive-line keyword does: the first line of its hover. */
export const HOVER_DOCS = {
  compare: 'N × N cosine-similarity matrix of the texts below (at most 1000) or of a named corpus.',
  similarity: 'Cosine similarity, Euclidean distance and both norms of exactly two texts.',
  explain: 'Which word pieces make the score of two texts: token alignment, precision, recall and F1 (BERTScore without idf).',
  search: 'Ranks the candidates below, a named corpus or the workspace index by cosine similarity to the query (util.semantic_search).',
  encode: 'A summary table of the embeddings; the full vectors are in the JSON output.',
  mine: 'Paraphrase mining (util.paraphrase_mining): the most similar pairs. top: partners per text (default 10); max: pairs kept (default 50).',
  cluster: 'Community detection (util.community_detection): groups whose members have cosine ≥ threshold with the centre; min: smallest group (default 2).',
  corpus: 'Encodes the texts below once and keeps them, with their embeddings, under a name that later cells use.',
  '@file':
    "Reads texts from a UTF-8 file, one per non-empty line; the path is relative to the workspace folder, else to the notebook's folder, and may not lead outside it.",
  '@top': 'search: how many results (default 5); mine: how many partners each text considers (default 10).',
  '@max': 'mine: how many pairs are kept (default 50).',
  '@min': 'cluster: the smallest community shown (default 2).',
  '@workspace': 'search: ranks the chunks of the workspace index (MiniLM: Search Workspace) instead of texts below.',
  in: 'Names the corpus a directive reads: a corpus defined by a "corpus <name>" cell above. In a search with candidates below, "in" is part of the query.',
} as const;

export const HOVER_LABELS = {
  directive: 'Directive',
  option: 'Option',
  keyword: 'Keyword',
  syntax: 'Syntax: {0}',
  corpusDefined: 'Corpus "{0}", defined in cell {1}, line {2}.',
  corpusSession: 'Corpus "{0}", defined in this notebook\'s session.',
  replaceWith: 'Replace with "{0}"',
  fileDetail: 'file',
  folderDetail: 'folder',
  corpusDetail: 'corpus',
} as const;

export type CellMessage = keyof typeof CELL_MESSAGES;

/** A message argument that is itself translated: a syntax hint. */
export interface HintArgument {
  readonly hint: keyof typeof SYNTAX_HINTS;
}

export type MessageArgument = string | number | HintArgument;

export function renderMessage(message: CellMessage, args: readonly MessageArgument[], t: Translate): string {
  return t(CELL_MESSAGES[message], ...args.map((a) => (typeof a === 'object' ? t(SYNTAX_HINTS[a.hint]) : a)));
}
