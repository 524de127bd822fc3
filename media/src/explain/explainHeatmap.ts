// Draws an ExplainView: the scores, the word-piece heatmap (A's pieces as rows, B's as columns, each row's best
// match outlined in the text colour, which neither end of the colour scale uses; sticky headers so long texts
// scroll) with whole words on hover, and the pieces that pull the score up and down. Plain DOM and one stylesheet,
// shared by the Studio webview and the notebook renderer. Cells take the colour scale of every heatmap
// (src/shared/colorScale.ts) through CSSOM, not style attributes (the CSP forbids them).
import { pullingPieces, type ExplainTranslate, type ExplainView } from '../../../src/shared/explainView';
import { divergingColor, readableTextColor, rgbCss, scaleLimit } from '../../../src/shared/colorScale';
import { readDivergingPalette } from '../shared/themePalette';

/** Matrices up to this many cells print their values in the cells; larger ones show them on hover. */
const VALUES_LIMIT = 900;
/** Pieces listed as pulling the score up, and as many down. */
const LISTED = 5;

export const EXPLAIN_CSS = `
.explain { display: flex; flex-direction: column; gap: 8px; }
.explain-scores { display: flex; flex-wrap: wrap; gap: 8px; }
.explain-score { border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #80808059)); border-radius: 4px; padding: 4px 10px; }
.explain-score-label { opacity: 0.8; font-size: 0.9em; }
.explain-score-value { font-family: var(--vscode-editor-font-family, monospace); font-size: 1.2em; font-variant-numeric: tabular-nums; }
.explain-note { opacity: 0.8; margin: 0; }
.explain-warning { border: 1px solid var(--vscode-inputValidation-warningBorder, #b89500); padding: 4px 8px; border-radius: 4px; margin: 0; }
.explain-scroll { overflow: auto; max-height: 60vh; max-width: 100%; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #80808059)); }
.explain-table { border-collapse: separate; border-spacing: 1px; font-size: 0.85em; font-variant-numeric: tabular-nums; }
.explain-table th { position: sticky; background: var(--vscode-editor-background, #1e1e1e); font-weight: normal; white-space: nowrap; cursor: default; }
.explain-table thead th { top: 0; z-index: 1; writing-mode: vertical-rl; transform: rotate(180deg); padding: 4px 2px; text-align: left; }
.explain-table tbody th { left: 0; z-index: 1; text-align: right; padding: 0 6px; }
.explain-table thead th.explain-corner { left: 0; z-index: 2; writing-mode: horizontal-tb; transform: none; }
.explain-table td { min-width: 1.6em; height: 1.6em; padding: 0 2px; text-align: center; cursor: default; }
.explain-table td.explain-best { outline: 2px solid var(--vscode-editor-foreground, #cccccc); outline-offset: -2px; }
.explain-table td:hover, .explain-table th:hover { outline: 2px solid var(--vscode-focusBorder, #007fd4); outline-offset: -2px; }
.explain-detail { min-height: 1.4em; }
.explain-lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px 16px; }
.explain-lists h4 { margin: 0 0 4px; font-size: 1em; }
.explain-lists ol { margin: 0; padding-left: 1.6em; }
.explain-lists li { font-variant-numeric: tabular-nums; }
`;

const score = (value: number) => value.toFixed(4);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The whole explain view for `view`, in the words `t` gives. */
export function renderExplain(view: ExplainView, t: ExplainTranslate): HTMLElement {
  const root = el('div', 'explain');
  root.dataset.testid = 'explain';
  const scores = el('div', 'explain-scores');
  const metric = (label: string, value: number, id: string) => {
    const box = el('div', 'explain-score');
    box.dataset.testid = id;
    box.append(el('div', 'explain-score-label', label), el('div', 'explain-score-value', score(value)));
    scores.append(box);
  };
  metric(t('explain.precision'), view.precision, 'explain-precision');
  metric(t('explain.recall'), view.recall, 'explain-recall');
  metric(t('explain.f1'), view.f1, 'explain-f1');
  metric(t('explain.cosine'), view.cosine, 'explain-cosine');
  root.append(scores);
  if (view.truncatedA || view.truncatedB) {
    const warning = el('p', 'explain-warning', t('explain.truncated', view.maxTokens));
    warning.setAttribute('role', 'alert');
    warning.dataset.testid = 'explain-truncated';
    root.append(warning);
  }
  if (view.tokensA.length === 0 || view.tokensB.length === 0) {
    root.append(el('p', 'explain-note', t('explain.empty')));
    return root;
  }
  root.append(el('p', 'explain-note', t('explain.heatmap')));
  const detail = el('div', 'explain-detail', t('explain.hover'));
  detail.dataset.testid = 'explain-detail';
  detail.setAttribute('aria-live', 'polite');
  const scroll = el('div', 'explain-scroll');
  scroll.append(heatmapTable(view, t, detail));
  root.append(scroll, detail, pieceLists(view, t));
  return root;
}

function heatmapTable(view: ExplainView, t: ExplainTranslate, detail: HTMLElement): HTMLTableElement {
  const { matrix } = view;
  let min = Infinity;
  let max = -Infinity;
  for (const row of matrix) {
    for (const v of row) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const limit = scaleLimit(min, max);
  const palette = readDivergingPalette();
  const showValues = view.tokensA.length * view.tokensB.length <= VALUES_LIMIT;

  const table = el('table', 'explain-table');
  table.dataset.testid = 'explain-heatmap';
  const head = el('tr');
  head.append(el('th', 'explain-corner', 'A \\ B'));
  view.tokensB.forEach((piece, c) => {
    const th = el('th', undefined, piece);
    th.scope = 'col';
    th.title = view.wordsB[c]!;
    th.dataset.c = String(c);
    th.dataset.testid = 'explain-col';
    head.append(th);
  });
  table.createTHead().append(head);
  const body = table.createTBody();
  matrix.forEach((values, r) => {
    const tr = el('tr');
    const th = el('th', undefined, view.tokensA[r]);
    th.scope = 'row';
    th.title = view.wordsA[r]!;
    th.dataset.r = String(r);
    th.dataset.testid = 'explain-row';
    tr.append(th);
    values.forEach((v, c) => {
      const td = el('td', undefined, showValues ? v.toFixed(2) : undefined);
      const background = divergingColor(v, limit, palette);
      td.style.backgroundColor = rgbCss(background);
      td.style.color = rgbCss(readableTextColor(background));
      if (view.bestInB[r] === c) td.classList.add('explain-best');
      td.dataset.r = String(r);
      td.dataset.c = String(c);
      tr.append(td);
    });
    body.append(tr);
  });

  const describe = (target: HTMLElement): string | undefined => {
    const r = target.dataset.r === undefined ? undefined : Number(target.dataset.r);
    const c = target.dataset.c === undefined ? undefined : Number(target.dataset.c);
    if (r !== undefined && c !== undefined) {
      return t('explain.cell', view.tokensA[r]!, view.wordsA[r]!, view.tokensB[c]!, view.wordsB[c]!, score(matrix[r]![c]!));
    }
    if (r !== undefined) {
      const best = view.bestInB[r]!;
      return `${t('explain.piece', 'A', view.tokensA[r]!, view.wordsA[r]!)}; ${t('explain.match', view.tokensB[best]!, score(matrix[r]![best]!))}`;
    }
    if (c !== undefined) {
      const best = view.bestInA[c]!;
      return `${t('explain.piece', 'B', view.tokensB[c]!, view.wordsB[c]!)}; ${t('explain.match', view.tokensA[best]!, score(matrix[best]![c]!))}`;
    }
    return undefined;
  };
  table.addEventListener('mouseover', (event) => {
    const target = (event.target as HTMLElement).closest('td, th') as HTMLElement | null;
    const text = target && describe(target);
    if (text) detail.textContent = text;
  });
  return table;
}

function pieceLists(view: ExplainView, t: ExplainTranslate): HTMLElement {
  const { up, down } = pullingPieces(view, LISTED);
  const lists = el('div', 'explain-lists');
  for (const [title, pieces, id] of [
    [t('explain.up'), up, 'explain-up'],
    [t('explain.down'), down, 'explain-down'],
  ] as const) {
    const section = el('div');
    const list = el('ol');
    list.dataset.testid = id;
    for (const p of pieces) {
      const item = el('li', undefined, `${p.side} “${p.piece}” (${p.word}) → “${p.partner}” ${score(p.score)}`);
      item.title = `${p.word} → ${p.partnerWord}`;
      list.append(item);
    }
    section.append(el('h4', undefined, title), list);
    lists.append(section);
  }
  return lists;
}
