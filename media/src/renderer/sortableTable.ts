// One sortable HTML table, used for the small heatmap (rows and columns both sortable) and for ranked tables (rows
// only). Clicking a column header orders the rows by that column; when rows have headers, clicking one orders the
// columns by that row. Headers stick while the table scrolls inside its box.
import { el } from './elements';
import { identity, nextSort, orderBy, type Redraw, type SortState } from './sorting';

export interface SortableTableOptions {
  className: string;
  rowCount: number;
  columnCount: number;
  /** The header cell of column `c` (its text, title and classes; the table adds data-col and the sort marker). */
  columnHeader(c: number): HTMLTableCellElement;
  /** Row headers, for tables whose columns can be sorted by a row; the corner cell's text goes with them. */
  rows?: { corner: string; header(r: number): HTMLTableCellElement };
  cell(r: number, c: number): HTMLTableCellElement;
  /** The value sorted on. */
  value(r: number, c: number): number | string;
  /** Told the displayed row order after every draw (the CSV export follows it). */
  onRowOrder(order: number[]): void;
}

export function sortableTable(scroller: HTMLElement, options: SortableTableOptions): Redraw {
  const { rowCount, columnCount } = options;
  let rows = identity(rowCount);
  let cols = identity(columnCount);
  let rowSort: SortState | undefined;
  let colSort: SortState | undefined;

  const mark = (th: HTMLElement, sort: SortState | undefined, key: number) => {
    if (sort?.key === key) th.classList.add('sorted', sort.descending ? 'sorted-desc' : 'sorted-asc');
  };

  const draw = () => {
    const table = el('table', options.className);
    const head = el('tr');
    if (options.rows) head.append(el('th', 'corner', options.rows.corner));
    for (const c of cols) {
      const th = options.columnHeader(c);
      th.dataset.col = String(c);
      th.scope = 'col';
      mark(th, rowSort, c);
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      if (options.rows) {
        const th = options.rows.header(r);
        th.dataset.row = String(r);
        th.scope = 'row';
        mark(th, colSort, r);
        tr.append(th);
      }
      for (const c of cols) tr.append(options.cell(r, c));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    scroller.replaceChildren(table);
    options.onRowOrder(rows);
  };

  scroller.addEventListener('click', (event) => {
    const th = (event.target as HTMLElement).closest('th');
    if (!th) return;
    if (th.dataset.col !== undefined) {
      const c = Number(th.dataset.col);
      rowSort = nextSort(rowSort, c);
      rows = orderBy(identity(rowCount), (r) => options.value(r, c), rowSort.descending);
    } else if (th.dataset.row !== undefined) {
      const r = Number(th.dataset.row);
      colSort = nextSort(colSort, r);
      cols = orderBy(identity(columnCount), (c) => options.value(r, c), colSort.descending);
    } else return;
    draw();
  });
  draw();
  return {
    reset() {
      rows = identity(rowCount);
      cols = identity(columnCount);
      rowSort = colSort = undefined;
      draw();
    },
  };
}
