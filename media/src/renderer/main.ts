// Notebook renderer for `application/vnd.minilm.matrix+json`: a heatmap of a similarity matrix (an HTML table up to
// TABLE_LIMIT texts, a canvas beyond, so 200 × 200 stays smooth) or a ranked table, sortable, with hover details and
// CSV export through renderer messaging (or a copy of the CSV when the notebook has no extension host).
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
  type MatrixPayload,
  type RendererStrings,
  type TablePayload,
} from '../../../src/shared/matrixOutput';
import { styles } from './styles';
import { EXPLAIN_CSS, renderExplain } from '../explain/explainHeatmap';
import { EXPLAIN_STRINGS, type ExplainStringKey } from '../../../src/shared/explainView';

/** Matrices with more texts than this are drawn on a canvas. */
export const TABLE_LIMIT = 40;

interface Palette {
  background: [number, number, number];
  positive: [number, number, number];
  negative: [number, number, number];
  foreground: string;
}

interface View {
  readonly root: ShadowRoot;
  dispose(): void;
}

type Context = RendererContext<unknown>;

function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

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

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function createView(
  root: ShadowRoot,
  host: HTMLElement,
  payload: MatrixOutput,
  context: Context,
  pending: Map<string, (outcome: string, detail?: string) => void>,
): View {
  const palette = readPalette(host);
  const words = stringsOf(payload);
  const container = el('div', 'minilm-output');
  const header = el('div', 'toolbar');
  header.append(el('span', 'title', payload.title));
  const legend = legendOf(payload.scale, palette);
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
      ? renderTable(body, payload, palette, tooltip, setRowOrder, words)
      : payload.rowLabels.length <= TABLE_LIMIT
        ? renderMatrixTable(body, payload, palette, tooltip, setRowOrder, words)
        : renderMatrixCanvas(body, payload, palette, tooltip, setRowOrder, cleanups, words);

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

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

// ---------------------------------------------------------------------------------------------------- colours

function parseColour(value: string, fallback: [number, number, number]): [number, number, number] {
  const v = value.trim();
  let m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  m = /^#([0-9a-f]{3})$/i.exec(v);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return fallback;
}

/** Theme colours through VS Code's CSS variables, with dark-theme defaults outside VS Code. */
function readPalette(host: HTMLElement): Palette {
  const style = getComputedStyle(host);
  const get = (name: string) => style.getPropertyValue(name);
  return {
    background: parseColour(get('--vscode-editor-background') || get('--vscode-notebook-outputContainerBackgroundColor'), [30, 30, 30]),
    positive: parseColour(get('--vscode-charts-orange'), [209, 134, 22]),
    negative: parseColour(get('--vscode-charts-blue'), [55, 148, 255]),
    foreground: get('--vscode-editor-foreground').trim() || '#cccccc',
  };
}

/** The colour of a value on the scale: the theme background mixed towards orange (above 0) or blue (below 0). */
function rgbOf(value: number, scale: readonly [number, number], palette: Palette): [number, number, number] {
  const [min, max] = scale;
  const t = value >= 0 ? (max > 0 ? Math.min(1, value / max) : 0) : min < 0 ? Math.min(1, value / min) : 0;
  const target = value >= 0 ? palette.positive : palette.negative;
  const b = palette.background;
  const mix = (i: number) => Math.round(b[i] + (target[i] - b[i]) * t * 0.9);
  return [mix(0), mix(1), mix(2)];
}

function colourOf(value: number, scale: readonly [number, number], palette: Palette): string {
  const [r, g, b] = rgbOf(value, scale, palette);
  return `rgb(${r}, ${g}, ${b})`;
}

function legendOf(scale: readonly [number, number], palette: Palette): HTMLElement {
  const legend = el('span', 'legend');
  legend.setAttribute('aria-label', `colour scale from ${scale[0]} to ${scale[1]}`);
  const bar = el('span', 'legend-bar');
  const stops = [scale[0], Math.min(0, scale[1]), scale[1]].map((v, i) => `${colourOf(v, scale, palette)} ${i * 50}%`);
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  legend.append(el('span', 'legend-label', format(scale[0])), bar, el('span', 'legend-label', format(scale[1])));
  return legend;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function showTooltip(tooltip: HTMLElement, anchor: { x: number; y: number }, lines: [string, string][]): void {
  tooltip.replaceChildren(
    ...lines.map(([label, text]) => {
      const row = el('div', 'tip-row');
      row.append(el('span', 'tip-label', label), el('span', 'tip-text', text));
      return row;
    }),
  );
  tooltip.hidden = false;
  tooltip.style.left = `${anchor.x + 12}px`;
  tooltip.style.top = `${anchor.y + 12}px`;
}

/** Mouse position relative to the output container (the tooltip's positioning parent). */
function relative(event: MouseEvent, container: HTMLElement): { x: number; y: number } {
  const box = container.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}

// ---------------------------------------------------------------------------------------------------- sorting

interface Redraw {
  reset(): void;
}

/** Sort state: clicking the same header again reverses; a different header starts descending. */
function nextSort(current: { key: number; descending: boolean } | undefined, key: number) {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: true };
}

function orderBy(indices: number[], valueOf: (i: number) => number | string, descending: boolean): number[] {
  return [...indices].sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (descending ? -cmp : cmp) || a - b;
  });
}

// ------------------------------------------------------------------------------------------ small matrix: table

function renderMatrixTable(
  body: HTMLElement,
  payload: MatrixPayload,
  palette: Palette,
  tooltip: HTMLElement,
  onRowOrder: (order: number[]) => void,
  words: RendererStrings,
): Redraw {
  const n = payload.rowLabels.length;
  const m = payload.colLabels.length;
  const identity = (k: number) => Array.from({ length: k }, (_, i) => i);
  let rows = identity(n);
  let cols = identity(m);
  let rowSort: { key: number; descending: boolean } | undefined;
  let colSort: { key: number; descending: boolean } | undefined;
  const container = body.parentElement as HTMLElement;
  const scroller = el('div', 'scroller');
  body.append(scroller);

  const draw = () => {
    const table = el('table', 'matrix');
    const head = el('tr');
    head.append(el('th', 'corner', payload.valueName));
    for (const c of cols) {
      const th = el('th', 'col-header', String(c + 1));
      th.dataset.col = String(c);
      th.title = `${payload.colLabels[c]}\n(${words.sortRows})`;
      if (colSort === undefined && rowSort?.key === c) th.classList.add('sorted');
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      const th = el('th', 'row-header', `${r + 1}. ${payload.rowLabels[r]}`);
      th.dataset.row = String(r);
      th.title = `${payload.rowLabels[r]}\n(${words.sortColumns})`;
      tr.append(th);
      for (const c of cols) {
        const value = payload.values[r][c];
        const td = el('td', 'cell', value.toFixed(3));
        td.dataset.row = String(r);
        td.dataset.col = String(c);
        td.style.background = colourOf(value, payload.scale, palette);
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(thead, tbody);
    scroller.replaceChildren(table);
    onRowOrder(rows);
  };

  scroller.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest('th');
    if (!target) return;
    if (target.dataset.col !== undefined) {
      const c = Number(target.dataset.col);
      rowSort = nextSort(rowSort, c);
      rows = orderBy(identity(n), (r) => payload.values[r][c], rowSort.descending);
    } else if (target.dataset.row !== undefined) {
      const r = Number(target.dataset.row);
      colSort = nextSort(colSort, r);
      cols = orderBy(identity(m), (c) => payload.values[r][c], colSort.descending);
    } else return;
    draw();
  });
  scroller.addEventListener('mouseover', (event) => {
    const td = (event.target as HTMLElement).closest('td');
    if (!td || td.dataset.row === undefined) return;
    const r = Number(td.dataset.row);
    const c = Number(td.dataset.col);
    showTooltip(tooltip, relative(event, container), [
      [`${r + 1}`, payload.rowLabels[r]],
      [`${c + 1}`, payload.colLabels[c]],
      [payload.valueName, String(payload.values[r][c])],
    ]);
  });
  scroller.addEventListener('mouseleave', () => (tooltip.hidden = true));
  draw();
  return {
    reset() {
      rows = identity(n);
      cols = identity(m);
      rowSort = colSort = undefined;
      draw();
    },
  };
}

// ----------------------------------------------------------------------------------------- large matrix: canvas

const MARGIN = 36;

function renderMatrixCanvas(
  body: HTMLElement,
  payload: MatrixPayload,
  palette: Palette,
  tooltip: HTMLElement,
  onRowOrder: (order: number[]) => void,
  cleanups: (() => void)[],
  words: RendererStrings,
): Redraw {
  const n = payload.rowLabels.length;
  const m = payload.colLabels.length;
  const identity = (k: number) => Array.from({ length: k }, (_, i) => i);
  let rows = identity(n);
  let cols = identity(m);
  let rowSort: { key: number; descending: boolean } | undefined;
  let colSort: { key: number; descending: boolean } | undefined;
  const cell = Math.max(3, Math.min(16, Math.floor(800 / Math.max(n, m))));
  const container = body.parentElement as HTMLElement;
  const scroller = el('div', 'scroller');
  const canvas = el('canvas', 'heatmap');
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  const width = MARGIN + cell * m;
  const height = MARGIN + cell * n;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${payload.title}: ${n} by ${m} heatmap. Click a row or column number to sort.`);
  const hint = el('div', 'hint', fill(words.canvasHint, n, m));
  scroller.append(canvas);
  body.append(hint, scroller);
  const g = canvas.getContext('2d')!;

  // One pixel per value in an offscreen canvas, scaled up without smoothing: a 200 x 200 matrix is one drawImage
  // instead of 40,000 fills.
  const pixels = document.createElement('canvas');
  pixels.width = m;
  pixels.height = n;
  const pg = pixels.getContext('2d')!;
  const image = pg.createImageData(m, n);
  const rgb = payload.values.map((row) => row.map((v) => rgbOf(v, payload.scale, palette)));

  const draw = () => {
    for (let y = 0; y < n; y++) {
      const source = rgb[rows[y]];
      for (let x = 0; x < m; x++) {
        const colour = source[cols[x]];
        const o = (y * m + x) * 4;
        image.data[o] = colour[0];
        image.data[o + 1] = colour[1];
        image.data[o + 2] = colour[2];
        image.data[o + 3] = 255;
      }
    }
    pg.putImageData(image, 0, 0);
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.imageSmoothingEnabled = false;
    g.drawImage(pixels, MARGIN, MARGIN, cell * m, cell * n);
    g.fillStyle = palette.foreground;
    g.font = `${Math.min(10, Math.max(7, cell - 2))}px sans-serif`;
    g.textBaseline = 'middle';
    const every = Math.max(1, Math.ceil(12 / cell));
    for (let y = 0; y < n; y += every) g.fillText(String(rows[y] + 1), 2, MARGIN + y * cell + cell / 2);
    g.save();
    for (let x = 0; x < m; x += every) {
      g.setTransform(ratio, 0, 0, ratio, (MARGIN + x * cell + cell / 2) * ratio, (MARGIN - 2) * ratio);
      g.rotate(-Math.PI / 2);
      g.fillText(String(cols[x] + 1), 0, 0);
    }
    g.restore();
    onRowOrder(rows);
  };

  const hit = (event: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const col = Math.floor((x - MARGIN) / cell);
    const row = Math.floor((y - MARGIN) / cell);
    return { x, y, row: row >= 0 && row < n ? rows[row] : undefined, col: col >= 0 && col < m ? cols[col] : undefined };
  };

  const onClick = (event: MouseEvent) => {
    const h = hit(event);
    if (h.x < MARGIN && h.row !== undefined) {
      const r = h.row;
      colSort = nextSort(colSort, r);
      cols = orderBy(identity(m), (c) => payload.values[r][c], colSort.descending);
      draw();
    } else if (h.y < MARGIN && h.col !== undefined) {
      const c = h.col;
      rowSort = nextSort(rowSort, c);
      rows = orderBy(identity(n), (r) => payload.values[r][c], rowSort.descending);
      draw();
    }
  };
  const onMove = (event: MouseEvent) => {
    const h = hit(event);
    const at = relative(event, container);
    if (h.x >= MARGIN && h.y >= MARGIN && h.row !== undefined && h.col !== undefined) {
      showTooltip(tooltip, at, [
        [`${h.row + 1}`, payload.rowLabels[h.row]],
        [`${h.col + 1}`, payload.colLabels[h.col]],
        [payload.valueName, String(payload.values[h.row][h.col])],
      ]);
    } else if (h.x < MARGIN && h.row !== undefined && h.y >= MARGIN) {
      showTooltip(tooltip, at, [[`${h.row + 1}`, payload.rowLabels[h.row]], ['', words.sortColumns]]);
    } else if (h.y < MARGIN && h.col !== undefined && h.x >= MARGIN) {
      showTooltip(tooltip, at, [[`${h.col + 1}`, payload.colLabels[h.col]], ['', words.sortRows]]);
    } else tooltip.hidden = true;
  };
  const onLeave = () => (tooltip.hidden = true);
  canvas.addEventListener('click', onClick);
  canvas.addEventListener('mousemove', onMove);
  canvas.addEventListener('mouseleave', onLeave);
  cleanups.push(() => {
    canvas.removeEventListener('click', onClick);
    canvas.removeEventListener('mousemove', onMove);
    canvas.removeEventListener('mouseleave', onLeave);
  });
  draw();
  return {
    reset() {
      rows = identity(n);
      cols = identity(m);
      rowSort = colSort = undefined;
      draw();
    },
  };
}

// ------------------------------------------------------------------------------------------------ ranked table

function renderTable(
  body: HTMLElement,
  payload: TablePayload,
  palette: Palette,
  tooltip: HTMLElement,
  onRowOrder: (order: number[]) => void,
  words: RendererStrings,
): Redraw {
  const identity = () => payload.rows.map((_, i) => i);
  let rows = identity();
  let sort: { key: number; descending: boolean } | undefined;
  const scroller = el('div', 'scroller');
  body.append(scroller);
  tooltip.hidden = true;

  const draw = () => {
    const table = el('table', 'ranked');
    const head = el('tr');
    payload.columns.forEach((column, c) => {
      const th = el('th', `col-header ${column.type}`, column.name);
      th.dataset.col = String(c);
      th.title = words.sortTable;
      if (sort?.key === c) th.classList.add(sort.descending ? 'sorted-desc' : 'sorted-asc');
      head.append(th);
    });
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      payload.columns.forEach((column, c) => {
        const value = payload.rows[r][c];
        const td = el('td', column.type, typeof value === 'number' && column.type === 'score' ? value.toFixed(4) : String(value));
        if (column.type === 'score' && typeof value === 'number') td.style.background = colourOf(value, payload.scale, palette);
        tr.append(td);
      });
      tbody.append(tr);
    }
    table.append(thead, tbody);
    scroller.replaceChildren(table);
    onRowOrder(rows);
  };
  scroller.addEventListener('click', (event) => {
    const th = (event.target as HTMLElement).closest('th');
    if (!th || th.dataset.col === undefined) return;
    const c = Number(th.dataset.col);
    sort = nextSort(sort, c);
    rows = orderBy(identity(), (r) => payload.rows[r][c], sort.descending);
    draw();
  });
  draw();
  return {
    reset() {
      rows = identity();
      sort = undefined;
      draw();
    },
  };
}
