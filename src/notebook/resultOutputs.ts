// Turns a directive's result into the output items of a cell, richest first: the matrix/table payload for the
// extension's renderer, an HTML table, markdown and the JSON document. The JSON document is canonical: it is the one
// item saved in the .minilm file, and every other item is derived from it (on run and again on load), so a saved
// notebook shows the same outputs without storing them twice. vscode-free.
import { formatFloat32, type SimilarityFunction } from '../core';
import {
  DEFAULT_RENDERER_STRINGS,
  MATRIX_MIME,
  type ExplainOutput,
  type MatrixOutput,
  type RendererPayload,
  type RendererStrings,
  type TableColumn,
} from '../shared/matrixOutput';
import { EXPLAIN_STRINGS, explainViewOf, type ExplainJson, type ExplainStringKey, type ExplainView } from '../shared/explainView';
import { english, type Translate } from '../shared/translate';
import type { DirectiveResult } from './directiveRunner';

/** Output metadata marking an output whose items derive from its `application/json` item. */
export const RESULT_OUTPUT_METADATA = { minilm: 'result' } as const;

export interface TextOutputItem {
  readonly mime: string;
  readonly text: string;
}

/** Largest matrix written into the HTML and markdown fallbacks; larger ones list their top pairs there. */
const FALLBACK_MATRIX_LIMIT = 40;
/** Rows of a corpus preview. */
const CORPUS_PREVIEW = 50;

const f32 = (value: number) => Number(formatFloat32(value));

/** The JSON document of a result: plain data, float32 values at their shortest exact decimal. */
export function resultDocument(result: DirectiveResult): Record<string, unknown> {
  switch (result.kind) {
    case 'compare': {
      const rows: number[][] = [];
      for (let r = 0; r < result.matrix.rows; r++) {
        rows.push(Array.from(result.matrix.data.subarray(r * result.matrix.cols, (r + 1) * result.matrix.cols), f32));
      }
      return { kind: 'compare', ...corpusField(result.corpus), texts: [...result.texts], similarity_fn: result.similarityFunction, matrix: rows };
    }
    case 'explain': {
      const v = result.view;
      return {
        kind: 'explain',
        texts: [...result.texts],
        tokens_a: v.tokensA,
        tokens_b: v.tokensB,
        matrix: v.matrix.map((row) => row.map(f32)),
        precision: f32(v.precision),
        recall: f32(v.recall),
        f1: f32(v.f1),
        cosine: f32(v.cosine),
        truncated: [v.truncatedA, v.truncatedB],
        max_tokens: v.maxTokens,
      };
    }
    case 'similarity':
      return {
        kind: 'similarity',
        texts: [...result.texts],
        cosine: f32(result.cosine),
        euclidean: f32(result.euclidean),
        norms: result.norms.map(f32),
      };
    case 'search':
      return {
        kind: 'search',
        query: result.query,
        ...corpusField(result.corpus),
        candidates: result.candidates,
        top: result.top,
        hits: result.hits.map((h, rank) => ({ rank: rank + 1, score: f32(h.score), index: h.index, text: h.text })),
      };
    case 'searchWorkspace':
      return {
        kind: 'searchWorkspace',
        query: result.query,
        chunks: result.chunks,
        top: result.top,
        hits: result.hits.map((h, rank) => ({ rank: rank + 1, score: f32(h.score), path: h.path, startLine: h.startLine, endLine: h.endLine, text: h.text })),
      };
    case 'encode':
      return {
        kind: 'encode',
        ...corpusField(result.corpus),
        dimension: result.vectors[0]?.length ?? 0,
        texts: [...result.texts],
        vectors: result.vectors.map((v) => Array.from(v, f32)),
      };
    case 'mine':
      return {
        kind: 'mine',
        ...corpusField(result.corpus),
        top: result.top,
        max: result.max,
        texts: result.texts.length,
        pairs: result.pairs.map((p) => ({ score: f32(p.score), i: p.i, j: p.j, a: result.texts[p.i], b: result.texts[p.j] })),
      };
    case 'cluster':
      return {
        kind: 'cluster',
        ...corpusField(result.corpus),
        threshold: result.threshold,
        minSize: result.minSize,
        texts: result.texts.length,
        clusters: result.clusters.map((members) => members.map((index) => ({ index, text: result.texts[index] }))),
      };
    case 'corpus':
      return { kind: 'corpus', name: result.name, size: result.texts.length, dimension: result.dimension, texts: [...result.texts] };
  }
}

function corpusField(corpus: string | undefined): Record<string, string> {
  return corpus === undefined ? {} : { corpus };
}

/**
 * JSON that diffs well: one top-level field per line and one element per line in arrays of texts, rows or records;
 * arrays of numbers stay on one line.
 */
export function formatDocument(document: Record<string, unknown>): string {
  const fields = Object.entries(document).map(([key, value]) => `${JSON.stringify(key)}: ${formatValue(value)}`);
  return `{\n${fields.join(',\n')}\n}`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.length > 1 && value.some((e) => typeof e !== 'number')) {
    return `[\n${value.map((e) => JSON.stringify(e)).join(',\n')}\n]`;
  }
  return JSON.stringify(value);
}

/** Every output item of a result, from its JSON text (the saved form). Throws on a document it does not know. */
export function outputItemsFromJson(json: string, t: Translate = english): TextOutputItem[] {
  const document = JSON.parse(json) as ResultDocument & { model?: unknown };
  // Outputs of a notebook that compares models name the one that produced them.
  const byModel = (title: string) => (typeof document.model === 'string' ? t('{0} — model {1}', title, document.model) : title);
  const produced: RendererPayload = document.kind === 'explain' ? explainPayload(document, t) : { ...payloadOf(document, t), strings: rendererStrings(t) };
  const payload = { ...produced, title: byModel(produced.title) } as RendererPayload;
  const unnamed = tableOf(document, t);
  const table = { ...unnamed, title: byModel(unnamed.title) };
  return [
    { mime: MATRIX_MIME, text: JSON.stringify(payload) },
    { mime: 'text/html', text: htmlOf(table) },
    { mime: 'text/markdown', text: markdownOf(table) },
    { mime: 'application/json', text: json },
  ];
}

function explainViewOfDocument(d: ExplainDocument): ExplainView {
  return explainViewOf({
    tokensA: d.tokens_a,
    tokensB: d.tokens_b,
    matrix: d.matrix,
    precision: d.precision,
    recall: d.recall,
    f1: d.f1,
    cosine: d.cosine,
    truncatedA: d.truncated[0],
    truncatedB: d.truncated[1],
    maxTokens: d.max_tokens,
  });
}

function explainPayload(d: ExplainDocument, t: Translate): ExplainOutput {
  const strings: Partial<Record<ExplainStringKey, string>> = {};
  for (const [key, english] of Object.entries(EXPLAIN_STRINGS)) strings[key as ExplainStringKey] = t(english, '{0}', '{1}', '{2}', '{3}', '{4}');
  return { kind: 'explain', title: explainTitle(d, t), view: explainViewOfDocument(d), strings };
}

function explainTitle(d: ExplainDocument, t: Translate): string {
  return t('Word-piece alignment: precision {0}, recall {1}, F1 {2}, sentence cosine {3}', fixed(d.precision), fixed(d.recall), fixed(d.f1), fixed(d.cosine));
}

/** The renderer's words in the display language (placeholders stay for the renderer to fill). */
function rendererStrings(t: Translate): RendererStrings {
  const keep = (message: string) => t(message, '{0}', '{1}');
  const d = DEFAULT_RENDERER_STRINGS;
  return {
    resetOrder: keep(d.resetOrder),
    exportCsv: keep(d.exportCsv),
    copyCsv: keep(d.copyCsv),
    exporting: keep(d.exporting),
    saved: keep(d.saved),
    exportCancelled: keep(d.exportCancelled),
    exportFailed: keep(d.exportFailed),
    copied: keep(d.copied),
    copyByHand: keep(d.copyByHand),
    sortRows: keep(d.sortRows),
    sortColumns: keep(d.sortColumns),
    sortTable: keep(d.sortTable),
    canvasHint: keep(d.canvasHint),
  };
}

/** Output items of a fresh result. */
/** `model`: the model that produced the result (name and dtype), saved in the JSON document and shown in every title. */
export function outputItemsOf(result: DirectiveResult, t: Translate = english, model?: string): TextOutputItem[] {
  return outputItemsFromJson(formatDocument({ ...resultDocument(result), ...(model ? { model } : {}) }), t);
}

// ----------------------------------------------------------------------------------------------- document shapes

interface Hit {
  rank: number;
  score: number;
  index: number;
  text: string;
}
interface Pair {
  score: number;
  i: number;
  j: number;
  a: string;
  b: string;
}
interface WorkspaceHit {
  rank: number;
  score: number;
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}

interface Member {
  index: number;
  text: string;
}

/** The CLI's `explain` JSON plus what the view needs again: the texts, whether each was cut, and where. */
interface ExplainDocument extends Omit<ExplainJson, 'idf'> {
  kind: 'explain';
  texts: [string, string];
  truncated: [boolean, boolean];
  max_tokens: number;
}

type ResultDocument =
  /** `similarity_fn` is absent from outputs saved before it was recorded: they are cosine. */
  | { kind: 'compare'; corpus?: string; texts: string[]; similarity_fn?: SimilarityFunction; matrix: number[][] }
  | ExplainDocument
  | { kind: 'similarity'; texts: [string, string]; cosine: number; euclidean: number; norms: [number, number] }
  | { kind: 'search'; query: string; corpus?: string; candidates: number; top: number; hits: Hit[] }
  | { kind: 'searchWorkspace'; query: string; chunks: number; top: number; hits: WorkspaceHit[] }
  | { kind: 'encode'; corpus?: string; dimension: number; texts: string[]; vectors: number[][] }
  | { kind: 'mine'; corpus?: string; top: number; max: number; texts: number; pairs: Pair[] }
  | { kind: 'cluster'; corpus?: string; threshold: number; minSize: number; texts: number; clusters: Member[][] }
  | { kind: 'corpus'; name: string; size: number; dimension: number; texts: string[] };

/** A plain table for the HTML and markdown fallbacks. */
interface FallbackTable {
  readonly title: string;
  readonly note?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

const COSINE_SCALE = [-1, 1] as const;

/** The title and the value's name of a `compare` matrix for the model's similarity function. */
export const COMPARE_LABELS: Record<SimilarityFunction, { readonly title: string; readonly value: string }> = {
  cosine: { title: 'Cosine similarity, {0}', value: 'cosine' },
  dot: { title: 'Dot product, {0}', value: 'dot product' },
  euclidean: { title: 'Negative Euclidean distance, {0}', value: 'negative Euclidean distance' },
  manhattan: { title: 'Negative Manhattan distance, {0}', value: 'negative Manhattan distance' },
};

/** A compare document's similarity function; a saved file that names one it does not know is refused. */
function compareFunction(d: Extract<ResultDocument, { kind: 'compare' }>): SimilarityFunction {
  const fn = d.similarity_fn ?? 'cosine';
  if (!Object.hasOwn(COMPARE_LABELS, fn)) throw new Error(`unknown similarity_fn "${String(fn)}"`);
  return fn;
}

/** The colour scale of a compare matrix: cosine's fixed one, else the values' own range (dot products pass 1). */
function compareScale(d: Extract<ResultDocument, { kind: 'compare' }>): readonly [number, number] {
  const values = d.matrix.flat();
  if (compareFunction(d) === 'cosine') return scaleOf(values);
  return [Math.min(0, ...values), Math.max(0, ...values)];
}

function scaleOf(values: Iterable<number>): readonly [number, number] {
  let min = 0;
  for (const v of values) if (v < min) min = v;
  return [Math.max(COSINE_SCALE[0], min), 1];
}

function source(t: Translate, corpus: string | undefined, count: number): string {
  return corpus === undefined ? t('{0} texts', count) : t('corpus "{0}", {1} texts', corpus, count);
}

function payloadOf(d: ResultDocument, t: Translate): MatrixOutput {
  switch (d.kind) {
    case 'compare':
      return {
        kind: 'matrix',
        title: t(COMPARE_LABELS[compareFunction(d)].title, source(t, d.corpus, d.texts.length)),
        rowLabels: d.texts,
        colLabels: d.texts,
        values: d.matrix,
        valueName: t(COMPARE_LABELS[compareFunction(d)].value),
        scale: compareScale(d),
        fileName: d.corpus ? `similarity-${d.corpus}.csv` : 'similarity.csv',
      };
    default: {
      const table = tableOf(d, t);
      return {
        kind: 'table',
        title: table.title + (table.note ? ` — ${table.note}` : ''),
        columns: table.columns.map((name, i) => ({ name, type: columnTypes(d)[i] })),
        rows: table.rows,
        scale: scaleOf(scoresOf(d)),
        fileName: `${d.kind}.csv`,
      };
    }
  }
}

function columnTypes(d: ResultDocument): TableColumn['type'][] {
  switch (d.kind) {
    case 'compare':
      return ['text', ...d.texts.map(() => 'score' as const)];
    case 'similarity':
      return ['text', 'text'];
    case 'explain':
      return ['text', 'text', 'text', 'score'];
    case 'search':
      return ['number', 'score', 'text', 'number'];
    case 'searchWorkspace':
      return ['number', 'score', 'text', 'text'];
    case 'encode':
      return ['number', 'text', 'number', 'text'];
    case 'mine':
      return ['number', 'score', 'text', 'text'];
    case 'cluster':
      return ['number', 'number', 'text'];
    case 'corpus':
      return ['number', 'text'];
  }
}

function scoresOf(d: ResultDocument): number[] {
  if (d.kind === 'search' || d.kind === 'searchWorkspace') return d.hits.map((h) => h.score);
  if (d.kind === 'mine') return d.pairs.map((p) => p.score);
  return [];
}

function tableOf(d: ResultDocument, t: Translate): FallbackTable {
  switch (d.kind) {
    case 'compare': {
      const title = t(COMPARE_LABELS[compareFunction(d)].title, source(t, d.corpus, d.texts.length));
      if (d.texts.length <= FALLBACK_MATRIX_LIMIT) {
        return {
          title,
          columns: ['', ...d.texts.map((_, i) => `${i + 1}`)],
          rows: d.texts.map((text, r) => [`${r + 1}. ${text}`, ...d.matrix[r].map(fixed)]),
        };
      }
      const pairs: Pair[] = [];
      for (let i = 0; i < d.texts.length; i++) {
        for (let j = i + 1; j < d.texts.length; j++) pairs.push({ score: d.matrix[i][j], i, j, a: d.texts[i], b: d.texts[j] });
      }
      pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
      return {
        title,
        note: t('the 20 most similar pairs; the full matrix is in the matrix view and the JSON'),
        columns: [t('score'), t('text A'), t('text B')],
        rows: pairs.slice(0, 20).map((p) => [fixed(p.score), p.a, p.b]),
      };
    }
    case 'similarity':
      return {
        title: t('Similarity of two texts'),
        columns: [t('measure'), t('value')],
        rows: [
          [t('text A'), d.texts[0]],
          [t('text B'), d.texts[1]],
          [t('cosine similarity'), fixed(d.cosine)],
          [t('Euclidean distance'), fixed(d.euclidean)],
          [t('norm of A'), fixed(d.norms[0])],
          [t('norm of B'), fixed(d.norms[1])],
        ],
      };
    case 'explain': {
      const view = explainViewOfDocument(d);
      return {
        title: explainTitle(d, t),
        note: view.truncatedA || view.truncatedB ? t('a text was longer than {0} word pieces; only its first ones are aligned', view.maxTokens) : undefined,
        columns: [t('piece of A'), t('word'), t('best match in B'), t('cosine')],
        rows: view.bestInB.map((c, r) => [view.tokensA[r]!, view.wordsA[r]!, c >= 0 ? view.tokensB[c]! : '', c >= 0 ? fixed(view.matrix[r]![c]!) : '']),
      };
    }
    case 'search':
      return {
        title: t('Search: "{0}" in {1}', d.query, source(t, d.corpus, d.candidates)),
        columns: [t('rank'), t('score'), t('text'), t('line')],
        rows: d.hits.map((h) => [h.rank, fixed(h.score), h.text, h.index + 1]),
      };
    case 'searchWorkspace':
      return {
        title: t('Search: "{0}" in the workspace index ({1} chunks)', d.query, d.chunks),
        columns: [t('rank'), t('score'), t('text'), t('location')],
        rows: d.hits.map((h) => [
          h.rank,
          fixed(h.score),
          h.text,
          h.startLine === h.endLine ? `${h.path}:${h.startLine}` : `${h.path}:${h.startLine}-${h.endLine}`,
        ]),
      };
    case 'encode':
      return {
        title: t('{0} vectors of {1} dimensions, {2}', d.vectors.length, d.dimension, source(t, d.corpus, d.texts.length)),
        note: t('full vectors in the JSON output'),
        columns: ['#', t('text'), t('norm'), t('first dimensions')],
        rows: d.vectors.map((v, i) => [i + 1, d.texts[i], fixed(Math.hypot(...v)), v.slice(0, 4).map(fixed).join(', ') + ', …']),
      };
    case 'mine':
      return {
        title: t('Paraphrase mining, {0}: {1} pairs', source(t, d.corpus, d.texts), d.pairs.length),
        columns: [t('rank'), t('score'), t('text A'), t('text B')],
        rows: d.pairs.map((p, i) => [i + 1, fixed(p.score), p.a, p.b]),
      };
    case 'cluster':
      return {
        title: t('Communities at cosine ≥ {0} (at least {1} members), {2}: {3} found', d.threshold, d.minSize, source(t, d.corpus, d.texts), d.clusters.length),
        columns: [t('community'), t('line'), t('text')],
        rows: d.clusters.flatMap((members, c) => members.map((m) => [c + 1, m.index + 1, m.text])),
      };
    case 'corpus':
      return {
        title: t('Corpus "{0}": {1} texts encoded ({2} dimensions)', d.name, d.size, d.dimension),
        note: d.size > CORPUS_PREVIEW ? t('first {0} shown', CORPUS_PREVIEW) : undefined,
        columns: ['#', t('text')],
        rows: d.texts.slice(0, CORPUS_PREVIEW).map((text, i) => [i + 1, text]),
      };
  }
}

/** Four decimals for display; the JSON keeps every digit. */
function fixed(value: number): number {
  return Number(value.toFixed(4));
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function htmlOf(table: FallbackTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((v) => (typeof v === 'number' ? `<td align="right">${v}</td>` : `<td>${escapeHtml(v)}</td>`)).join('')}</tr>`)
    .join('\n');
  const note = table.note ? ` <small>(${escapeHtml(table.note)})</small>` : '';
  return `<div><strong>${escapeHtml(table.title)}</strong>${note}\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function markdownCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, ' ')
      .replace(/([*_`<>[\]#])/g, '\\$1') || ' '
  );
}

function markdownOf(table: FallbackTable): string {
  const lines = [`**${markdownCell(table.title)}**${table.note ? ` (${markdownCell(table.note)})` : ''}`, ''];
  lines.push(`| ${table.columns.map(markdownCell).join(' | ')} |`);
  lines.push(`|${table.columns.map(() => ' --- ').join('|')}|`);
  for (const row of table.rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n');
}
