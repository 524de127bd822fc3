// A heatmap of up to TABLE_LIMIT texts as a sortable table: sticky number headers, labels ellipsised with the full
// text on hover, each cell shaded and its value printed.
import type { MatrixPayload, RendererStrings } from '../../../src/shared/matrixOutput';
import { el } from './elements';
import type { Shading } from './shading';
import { sortableTable } from './sortableTable';
import type { Redraw } from './sorting';
import { relative, showTooltip } from './tooltip';

export function renderMatrixTable(
  body: HTMLElement,
  payload: MatrixPayload,
  shading: Shading,
  tooltip: HTMLElement,
  onRowOrder: (order: number[]) => void,
  words: RendererStrings,
): Redraw {
  const container = body.parentElement as HTMLElement;
  const scroller = el('div', 'scroller');
  body.append(scroller);
  const redraw = sortableTable(scroller, {
    className: 'matrix',
    rowCount: payload.rowLabels.length,
    columnCount: payload.colLabels.length,
    columnHeader(c) {
      const th = el('th', 'col-header', String(c + 1));
      th.title = `${payload.colLabels[c]}\n(${words.sortRows})`;
      return th;
    },
    rows: {
      corner: payload.valueName,
      header(r) {
        const th = el('th', 'row-header', `${r + 1}. ${payload.rowLabels[r]}`);
        th.title = `${payload.rowLabels[r]}\n(${words.sortColumns})`;
        return th;
      },
    },
    cell(r, c) {
      const value = payload.values[r][c];
      const td = el('td', 'cell', value.toFixed(3));
      td.dataset.row = String(r);
      td.dataset.col = String(c);
      shading.paint(td, value);
      return td;
    },
    value: (r, c) => payload.values[r][c],
    onRowOrder,
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
  return redraw;
}
