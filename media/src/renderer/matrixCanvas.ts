// A heatmap of more than TABLE_LIMIT texts on a canvas, so that 200 × 200 stays smooth: one pixel per value scaled
// up, numbers in the margins (click to sort), both texts and the score on hover.
import type { MatrixPayload, RendererStrings } from '../../../src/shared/matrixOutput';
import { el, fill } from './elements';
import type { Shading } from './shading';
import { identity, nextSort, orderBy, type Redraw, type SortState } from './sorting';
import { relative, showTooltip } from './tooltip';

const MARGIN = 36;

export function renderMatrixCanvas(
  body: HTMLElement,
  payload: MatrixPayload,
  shading: Shading,
  foreground: string,
  tooltip: HTMLElement,
  onRowOrder: (order: number[]) => void,
  cleanups: (() => void)[],
  words: RendererStrings,
): Redraw {
  const n = payload.rowLabels.length;
  const m = payload.colLabels.length;
  let rows = identity(n);
  let cols = identity(m);
  let rowSort: SortState | undefined;
  let colSort: SortState | undefined;
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
  const rgb = payload.values.map((row) => row.map((v) => shading.rgb(v)));

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
    g.fillStyle = foreground;
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
      showTooltip(tooltip, at, [
        [`${h.row + 1}`, payload.rowLabels[h.row]],
        ['', words.sortColumns],
      ]);
    } else if (h.y < MARGIN && h.col !== undefined && h.x >= MARGIN) {
      showTooltip(tooltip, at, [
        [`${h.col + 1}`, payload.colLabels[h.col]],
        ['', words.sortRows],
      ]);
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
