// Notebook renderer for `application/vnd.minilm.matrix+json`: a heatmap of a similarity matrix (matrixTable.ts up to
// TABLE_LIMIT texts, matrixCanvas.ts beyond), a ranked table (rankedTable.ts) or an explain view, with a toolbar for
// sort reset and CSV export through renderer messaging (or a copy of the CSV when the notebook has no extension host).
// All outputs of a notebook share one iframe: everything lives in a shadow root of its own output element.
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import {
  DEFAULT_RENDERER_STRINGS,
  isExportCsvResult,
  payloadToCsv,
  type ExplainOutput,
  type ExportCsvRequest,
  type MatrixOutput,
  type RendererPayload,
  type RendererStrings,
} from '../../../src/shared/matrixOutput';
import { styles } from './styles';
import { button, el, fill } from './elements';
import { shadingOf } from './shading';
import { renderMatrixTable } from './matrixTable';
import { renderMatrixCanvas } from './matrixCanvas';
import { renderRankedTable } from './rankedTable';
import { readDivergingPalette } from '../shared/themePalette';
import { EXPLAIN_CSS, renderExplain } from '../explain/explainHeatmap';
import { EXPLAIN_STRINGS, type ExplainStringKey } from '../../../src/shared/explainView';

/** Matrices with more texts than this are drawn on a canvas. */
export const TABLE_LIMIT = 40;

interface View {
  readonly root: ShadowRoot;
  dispose(): void;
}

type Context = RendererContext<unknown>;

function stringsOf(payload: MatrixOutput): RendererStrings {
  const given = payload.strings ?? {};
  const valid = Object.fromEntries(Object.entries(given).filter(([, v]) => typeof v === 'string'));
  return { ...DEFAULT_RENDERER_STRINGS, ...valid };
}

export const activate: ActivationFunction = (context) => {
  const views = new Map<string, View>();
  const pending = new Map<string, (outcome: string, detail?: string) => void>();
  context.onDidReceiveMessage?.((message: unknown) => {
    if (!isExportCsvResult(message)) return;
    pending.get(message.requestId)?.(message.outcome, message.detail);
    pending.delete(message.requestId);
  });

  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      views.get(item.id)?.dispose();
      const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
      root.replaceChildren();
      adoptStyles(root);
      let payload: RendererPayload;
      try {
        payload = item.json() as RendererPayload;
        if (payload?.kind !== 'matrix' && payload?.kind !== 'table' && payload?.kind !== 'explain') throw new Error('unknown payload');
        if (payload.kind === 'explain') {
          root.append(explainView(payload));
          return;
        }
      } catch {
        root.replaceChildren(el('div', 'error', 'This MiniLM output cannot be shown: its data is damaged.'));
        return;
      }
      const view = createView(root, element, payload, context, pending);
      views.set(item.id, view);
    },
    disposeOutputItem(id?: string) {
      if (id === undefined) {
        views.forEach((v) => v.dispose());
        views.clear();
      } else {
        views.get(id)?.dispose();
        views.delete(id);
      }
    },
  };
};

function adoptStyles(root: ShadowRoot): void {
  const css = `${styles}\n${EXPLAIN_CSS}`;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(el('style', undefined, css));
  }
}

/** An `explain` output: the same view as the Studio panel's, under the payload's title. */
function explainView(payload: ExplainOutput): HTMLElement {
  const given = payload.strings ?? {};
  const t = (key: ExplainStringKey, ...args: (string | number)[]) => fill(typeof given[key] === 'string' ? given[key] : EXPLAIN_STRINGS[key], ...args);
  const output = el('div', 'minilm-output');
  output.append(el('div', 'title', payload.title), renderExplain(payload.view, t));
  return output;
}

function createView(
  root: ShadowRoot,
  host: HTMLElement,
  payload: MatrixOutput,
  context: Context,
  pending: Map<string, (outcome: string, detail?: string) => void>,
): View {
  const shading = shadingOf(payload.scale, readDivergingPalette(host));
  const words = stringsOf(payload);
  const container = el('div', 'minilm-output');
  const header = el('div', 'toolbar');
  header.append(el('span', 'title', payload.title));
  const legend = shading.legend();
  const status = el('span', 'status');
  status.setAttribute('role', 'status');
  const actions = el('span', 'actions');
  header.append(legend, actions, status);
  const tooltip = el('div', 'tooltip');
  tooltip.hidden = true;
  const body = el('div', 'body');
  container.append(header, body, tooltip);
  root.append(container);

  const cleanups: (() => void)[] = [];
  let rowOrder: number[] = payload.kind === 'matrix' ? payload.rowLabels.map((_, i) => i) : payload.rows.map((_, i) => i);
  const setRowOrder = (order: number[]) => (rowOrder = order);

  const redraw =
    payload.kind === 'table'
      ? renderRankedTable(body, payload, shading, setRowOrder, words)
      : payload.rowLabels.length <= TABLE_LIMIT
        ? renderMatrixTable(body, payload, shading, tooltip, setRowOrder, words)
        : renderMatrixCanvas(body, payload, shading, foregroundOf(host), tooltip, setRowOrder, cleanups, words);

  const reset = button(words.resetOrder, () => {
    redraw.reset();
  });
  reset.dataset.action = 'reset';
  actions.append(reset);

  if (context.postMessage) {
    const exportButton = button(words.exportCsv, () => {
      const requestId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const request: ExportCsvRequest = { type: 'exportCsv', requestId, fileName: payload.fileName, csv: payloadToCsv(payload, rowOrder) };
      status.textContent = words.exporting;
      pending.set(requestId, (outcome, detail) => {
        status.textContent =
          outcome === 'saved' ? fill(words.saved, detail ?? '') : outcome === 'cancelled' ? words.exportCancelled : fill(words.exportFailed, detail ?? '');
      });
      context.postMessage!(request);
    });
    exportButton.dataset.action = 'export';
    actions.append(exportButton);
  } else {
    const copy = button(words.copyCsv, async () => {
      const csv = payloadToCsv(payload, rowOrder);
      try {
        await navigator.clipboard.writeText(csv);
        status.textContent = words.copied;
      } catch {
        // Without clipboard access, show the CSV selected so that it can be copied by hand.
        const area = el('textarea', 'csv');
        area.value = csv;
        area.readOnly = true;
        container.append(area);
        area.select();
        status.textContent = words.copyByHand;
      }
    });
    copy.dataset.action = 'copy';
    actions.append(copy);
  }

  return {
    root,
    dispose() {
      cleanups.forEach((c) => c());
      root.replaceChildren();
    },
  };
}

/** The text colour of the canvas's numbers. */
function foregroundOf(host: HTMLElement): string {
  return getComputedStyle(host).getPropertyValue('--vscode-editor-foreground').trim() || '#cccccc';
}
