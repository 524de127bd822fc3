// VS Code side of the .minilm format: converts between vscode.NotebookData and the Raw* shapes of notebookFormat.ts.
// A file that is not UTF-8 or does not parse makes deserializeNotebook throw, so VS Code shows the error and never
// opens (and so never saves) a notebook holding less than the file. While a notebook is open its FileLayout travels
// in the notebook metadata, so that a save of an unedited notebook writes the file's bytes back unchanged.
import * as vscode from 'vscode';
import { NOTEBOOK_MODEL_KEY } from './cellModel';
import { isFileLayout, isPlainLayout, readNotebook, writeNotebook } from './notebookFile';
import { type JsonObject, type RawCell, type RawNotebook, type RawOutput } from './notebookFormat';
import { outputItemsFromJson, RESULT_OUTPUT_METADATA } from './resultOutputs';
import type { Translate } from '../shared/translate';

/** Notebook metadata key holding the file's layout while it is open (never written to the header). */
export const LAYOUT_METADATA_KEY = 'minilm.layout';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface SerializerOptions {
  /** Whether outputs and execution summaries are written (setting `minilm.notebook.saveOutputs`). */
  readonly saveOutputs: () => boolean;
  readonly translate: Translate;
}

export class MiniLmNotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly options: SerializerOptions) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const raw = readNotebook(content);
    if (LAYOUT_METADATA_KEY in raw.metadata) {
      // The header's own value would be replaced by the layout while the notebook is open, and dropped on save.
      throw new Error(
        vscode.l10n.t(
          'This notebook\'s metadata uses the key "{0}", which MiniLM Studio reserves; rename it in the first line of the file.',
          LAYOUT_METADATA_KEY,
        ),
      );
    }
    return toNotebookData(raw, this.options.translate);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return writeNotebook(toRawNotebook(data, this.options.saveOutputs()));
  }
}

export function toNotebookData(raw: RawNotebook, translate: Translate): vscode.NotebookData {
  const cells = raw.cells.map((cell) => {
    const data = new vscode.NotebookCellData(
      cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
      cell.source,
      cell.language,
    );
    data.metadata = { ...cell.metadata };
    if (cell.kind === 'code') {
      data.outputs = cell.outputs.map((output) => toCellOutput(output, translate));
      if (cell.execution) data.executionSummary = { executionOrder: cell.execution.order, success: cell.execution.success };
    }
    return data;
  });
  const notebook = new vscode.NotebookData(cells);
  // A file as this version writes it (LF, no BOM) needs no layout: most notebooks' metadata stays the file's own, and
  // the notebook diff editor sees no metadata change between two versions of them.
  const layout = raw.layout && !isPlainLayout(raw.layout) ? raw.layout : undefined;
  notebook.metadata = layout ? { ...raw.metadata, [LAYOUT_METADATA_KEY]: layout } : { ...raw.metadata };
  return notebook;
}

function toCellOutput(output: RawOutput, translate: Translate): vscode.NotebookCellOutput {
  if (isResultOutput(output.metadata) && output.items.length === 1 && output.items[0].mime === 'application/json') {
    try {
      const items = outputItemsFromJson(strictDecoder.decode(output.items[0].data), translate);
      return new vscode.NotebookCellOutput(
        items.map((i) => vscode.NotebookCellOutputItem.text(i.text, i.mime)),
        { ...output.metadata },
      );
    } catch {
      // A hand-edited document that no longer renders (or is not UTF-8) is shown as the data it is.
    }
  }
  return new vscode.NotebookCellOutput(
    output.items.map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime)),
    { ...output.metadata },
  );
}

function isResultOutput(metadata: JsonObject | undefined): boolean {
  return metadata?.minilm === RESULT_OUTPUT_METADATA.minilm;
}

export function toRawNotebook(data: vscode.NotebookData, saveOutputs: boolean): RawNotebook {
  const { [LAYOUT_METADATA_KEY]: layout, ...metadata } = (data.metadata ?? {}) as JsonObject;
  // "Use the default model" leaves the key null (VS Code merges metadata edits, so a key cannot be removed): not written.
  if (metadata[NOTEBOOK_MODEL_KEY] === null) delete metadata[NOTEBOOK_MODEL_KEY];
  const cells: RawCell[] = data.cells.map((cell) => {
    const isCode = cell.kind === vscode.NotebookCellKind.Code;
    const summary = cell.executionSummary;
    const execution =
      isCode && saveOutputs && summary && (summary.executionOrder !== undefined || summary.success !== undefined)
        ? {
            ...(summary.executionOrder !== undefined ? { order: summary.executionOrder } : {}),
            ...(summary.success !== undefined ? { success: summary.success } : {}),
          }
        : undefined;
    return {
      kind: isCode ? 'code' : 'markdown',
      language: isCode ? cell.languageId : 'markdown',
      source: cell.value,
      metadata: { ...(cell.metadata ?? {}) },
      ...(execution ? { execution } : {}),
      outputs: isCode && saveOutputs ? (cell.outputs ?? []).map(toRawOutput) : [],
    };
  });
  return { metadata, cells, ...(isFileLayout(layout) ? { layout } : {}) };
}

/** A result output is saved as its JSON document alone; the other items are rebuilt from it on load. */
function toRawOutput(output: vscode.NotebookCellOutput): RawOutput {
  const metadata = { ...(output.metadata ?? {}) };
  const json = output.items.find((i) => i.mime === 'application/json');
  if (isResultOutput(metadata) && json) return { metadata, items: [{ mime: json.mime, data: json.data }] };
  return { metadata, items: output.items.map((i) => ({ mime: i.mime, data: i.data })) };
}
