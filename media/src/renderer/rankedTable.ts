// A ranked table (e.g. search hits) as a sortable table, its score column shaded on the payload's scale.
import type { RendererStrings, TablePayload } from '../../../src/shared/matrixOutput';
import { el } from './elements';
import type { Shading } from './shading';
import { sortableTable } from './sortableTable';
import type { Redraw } from './sorting';

export function renderRankedTable(
  body: HTMLElement,
  payload: TablePayload,
  shading: Shading,
  onRowOrder: (order: number[]) => void,
  words: RendererStrings,
): Redraw {
  const scroller = el('div', 'scroller');
  body.append(scroller);
  return sortableTable(scroller, {
    className: 'ranked',
    rowCount: payload.rows.length,
    columnCount: payload.columns.length,
    columnHeader(c) {
      const column = payload.columns[c];
      const th = el('th', `col-header ${column.type}`, column.name);
      th.title = words.sortTable;
      return th;
    },
    cell(r, c) {
      const column = payload.columns[c];
      const value = payload.rows[r][c];
      const td = el('td', column.type, typeof value === 'number' && column.type === 'score' ? value.toFixed(4) : String(value));
      if (column.type === 'score' && typeof value === 'number') shading.paint(td, value);
      return td;
    },
    value: (r, c) => payload.rows[r][c],
    onRowOrder,
  });
}
