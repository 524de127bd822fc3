// The payload of `application/vnd.minilm.matrix+json` outputs and the messages of the renderer's messaging channel.
// Imported by the notebook controller (extension host) and the notebook renderer (output iframe): both compile
// against this one file, so neither side can drift from the other. No vscode or DOM import.
import type { ExplainStringKey, ExplainView } from './explainView';

export const MATRIX_MIME = 'application/vnd.minilm.matrix+json';
export const MATRIX_RENDERER_ID = 'minilm-matrix-renderer';

/** A labelled score matrix, e.g. the N x N cosine similarities of `compare`. Rendered as a heatmap. */
export interface MatrixPayload {
  readonly kind: 'matrix';
  readonly title: string;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  /** `rowLabels.length` rows of `colLabels.length` numbers. */
  readonly values: readonly (readonly number[])[];
  /** What a value is, e.g. "cosine". */
  readonly valueName: string;
  /** Colour scale bounds: cosine uses [-1, 1]. */
  readonly scale: readonly [min: number, max: number];
  /** Suggested file name for the CSV export, without folder. */
  readonly fileName: string;
}

/** A table with one optional numeric column shaded on the colour scale, e.g. ranked search hits. */
export interface TablePayload {
  readonly kind: 'table';
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly (string | number)[])[];
  readonly scale: readonly [min: number, max: number];
  readonly fileName: string;
}

export interface TableColumn {
  readonly name: string;
  /** `score` columns are numbers drawn on the colour scale; `number` columns are plain numbers. */
  readonly type: 'text' | 'number' | 'score';
}

/**
 * The renderer's own words, translated by the extension (the renderer has no access to vscode.l10n). `{0}`, `{1}`
 * are placeholders. Missing entries fall back to {@link DEFAULT_RENDERER_STRINGS}.
 */
export interface RendererStrings {
  readonly resetOrder: string;
  readonly exportCsv: string;
  readonly copyCsv: string;
  readonly exporting: string;
  readonly saved: string;
  readonly exportCancelled: string;
  readonly exportFailed: string;
  readonly copied: string;
  readonly copyByHand: string;
  readonly sortRows: string;
  readonly sortColumns: string;
  readonly sortTable: string;
  readonly canvasHint: string;
}

export const DEFAULT_RENDERER_STRINGS: RendererStrings = {
  resetOrder: 'Reset order',
  exportCsv: 'Export CSV…',
  copyCsv: 'Copy CSV',
  exporting: 'Exporting…',
  saved: 'Saved {0}',
  exportCancelled: 'Export cancelled',
  exportFailed: 'Export failed: {0}',
  copied: 'CSV copied to the clipboard',
  copyByHand: 'Select and copy the CSV below',
  sortRows: 'click: sort rows by this column',
  sortColumns: 'click: sort columns by this row',
  sortTable: 'click: sort by this column',
  canvasHint: '{0} × {1}: click the numbers on the left or top to sort; hover a cell for both texts and the score.',
};

export type MatrixOutput = (MatrixPayload | TablePayload) & { readonly strings?: Partial<RendererStrings> };

/** The word-piece alignment of two texts (`explain`), drawn as the Studio panel draws it. */
export interface ExplainOutput {
  readonly kind: 'explain';
  readonly title: string;
  readonly view: ExplainView;
  /** The explain view's words in the display language; missing ones fall back to English. */
  readonly strings?: Partial<Record<ExplainStringKey, string>>;
}

/** Everything the renderer draws. */
export type RendererPayload = MatrixOutput | ExplainOutput;

/** Renderer → extension: save this CSV through a save dialog. */
export interface ExportCsvRequest {
  readonly type: 'exportCsv';
  /** Correlates the reply with the button that asked. */
  readonly requestId: string;
  readonly fileName: string;
  readonly csv: string;
}

/** Extension → renderer: what became of an export request. */
export interface ExportCsvResult {
  readonly type: 'exportCsvResult';
  readonly requestId: string;
  readonly outcome: 'saved' | 'cancelled' | 'failed';
  /** The saved file (for `saved`) or the error message (for `failed`). */
  readonly detail?: string;
}

export function isExportCsvRequest(value: unknown): value is ExportCsvRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.type === 'exportCsv' && typeof v.requestId === 'string' && typeof v.fileName === 'string' && typeof v.csv === 'string' && v.csv.length <= 64 * 1024 * 1024
  );
}

export function isExportCsvResult(value: unknown): value is ExportCsvResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.type === 'exportCsvResult' && typeof v.requestId === 'string' && (v.outcome === 'saved' || v.outcome === 'cancelled' || v.outcome === 'failed');
}

/** RFC 4180 field: quoted only when needed. Same rule as core's `csvField`, which the renderer cannot import. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV of a payload: a matrix gets its column labels as header and its row label first in each row. */
export function payloadToCsv(payload: MatrixOutput, rowOrder?: readonly number[]): string {
  const lines: string[] = [];
  if (payload.kind === 'matrix') {
    lines.push(['', ...payload.colLabels].map(csvField).join(','));
    const order = rowOrder ?? payload.rowLabels.map((_, i) => i);
    for (const r of order) lines.push([csvField(payload.rowLabels[r]), ...payload.values[r].map(String)].join(','));
  } else {
    lines.push(payload.columns.map((c) => csvField(c.name)).join(','));
    const order = rowOrder ?? payload.rows.map((_, i) => i);
    for (const r of order) lines.push(payload.rows[r].map((v) => (typeof v === 'number' ? String(v) : csvField(v))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
