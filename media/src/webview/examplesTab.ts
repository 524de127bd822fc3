import type { MatrixComparisonView, MatrixView } from '../../../src/shared/studioProtocol';
import { h, replaceChildren } from './dom';
import { busyIndicator, button, errorBox } from './common';
import type { Tab, TabContext } from './context';
import { chartTheme, loadCharts, onThemeChange, type ChartModule } from './charts';
import { formatScore } from './formatting';
import { heatmapOrder, matrixSummary, offDiagonalRange } from './heatmapView';
import { divergingColor, legendGradient, readableTextColor, rgbCss, scaleLimit } from '../../../src/shared/colorScale';
import { readDivergingPalette } from '../shared/themePalette';
import { createCompareChoice } from './compareChoice';
import { compareErrorBox, signedScore } from './compareParts';
import { comparesTexts, comparisonMatrix, comparisonRange } from './comparisonView';
import { compareModelSpec, type ComparisonView, type StudioState } from './studioState';

/** Above this many texts the HTML grid gets too heavy to lay out; the first rows are shown. */
const MAX_HEATMAP_TEXTS = 150;
const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function topicColors(topics: string[], palette: string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const topic of topics) if (!colors.has(topic)) colors.set(topic, palette[colors.size % palette.length]);
  return colors;
}

/** After a matrix arrives: runs it on the "Compare with" model too, when one is chosen. */
export function compareMatrixIfChosen(ctx: TabContext): void {
  const state = ctx.state();
  const view = state.examples.result;
  const model = compareModelSpec(state);
  if (!view || !model || view.texts.length < 2) return;
  ctx.run('matrixCompare', 'compare/matrix', { texts: view.texts, model }, (result, id) =>
    ctx.dispatch({ type: 'succeeded', slot: 'matrixCompare', id, result }),
  );
}

export function createExamplesTab(ctx: TabContext): Tab {
  const output = h('div', { class: 'stack', id: 'examples-output' });
  const heatmapBox = h('div', { class: 'heatmap-box' });
  const hover = h('div', { class: 'hover-detail muted', 'data-testid': 'heatmap-hover', 'aria-live': 'polite' }, ctx.t('examples.hover'));
  const scatterCanvas = h('canvas', { id: 'pca-chart', role: 'img', 'aria-label': ctx.t('examples.pca') });
  const scatterHeading = h('h3', { 'data-testid': 'pca-heading' }, ctx.t('examples.pca'));
  const scatterSection = h('div', { class: 'stack', hidden: true }, scatterHeading, h('div', { class: 'chart-box square' }, scatterCanvas));
  const filesBox = h('div', { class: 'stack', id: 'examples-files' });
  let scatter: InstanceType<ChartModule['Chart']> | undefined;
  let scattered: MatrixView | undefined;
  let drawn: MatrixView | undefined;

  const clustered = h('vscode-checkbox', { id: 'cluster-checkbox', label: ctx.t('examples.cluster') }) as unknown as HTMLElement & { checked: boolean };
  clustered.checked = ctx.state().examples.clustered;
  clustered.addEventListener('change', () => ctx.dispatch({ type: 'clustered', value: clustered.checked }));

  const refreshFiles = () => {
    const pending = ctx.connection.request('examples/list', {});
    void pending.reply.then((reply) => {
      if (reply.ok) ctx.dispatch({ type: 'files', files: reply.result });
    });
  };
  const run = () =>
    ctx.run('examples', 'examples/run', {}, (result, id) => {
      ctx.dispatch({ type: 'succeeded', slot: 'examples', id, result });
      refreshFiles();
      compareMatrixIfChosen(ctx);
    });
  const showFile = (path: string) =>
    ctx.run('examples', 'examples/load', { path }, (result, id) => {
      ctx.dispatch({ type: 'succeeded', slot: 'examples', id, result });
      compareMatrixIfChosen(ctx);
    });
  const openFile = (path: string) => void ctx.connection.request('examples/open', { path });

  const drawScatter = async (view: MatrixView) => {
    scattered = view;
    scatter?.destroy();
    scatter = undefined;
    scatterSection.hidden = !view.pca;
    if (!view.pca) return;
    // With "Compare with" two models share the page; the projection is of the active model's vectors only.
    scatterHeading.textContent = view.model ? `${ctx.t('examples.pca')} · ${view.model}` : ctx.t('examples.pca');
    const { Chart } = await loadCharts();
    if (scattered !== view) return;
    const theme = chartTheme();
    const colors = topicColors(view.topics, theme.palette);
    const pca = view.pca;
    const datasets = [...colors].map(([topic, color]) => ({
      label: topic || ctx.t('examples.texts'),
      data: view.texts.flatMap((text, i) => (view.topics[i] === topic ? [{ x: pca.points[i][0], y: pca.points[i][1], text }] : [])),
      backgroundColor: color,
      borderColor: color,
      pointRadius: 5,
      pointHoverRadius: 7,
    }));
    const axis = (index: 0 | 1) => ({
      title: { display: true, text: ctx.t('examples.pcaAxis', index + 1, (pca.explainedVarianceRatio[index] * 100).toFixed(1)), color: theme.muted },
      ticks: { color: theme.muted },
      grid: { color: theme.grid },
    });
    scatter = new Chart(scatterCanvas, {
      type: 'scatter',
      data: { datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'bottom', labels: { color: theme.foreground, font: { family: theme.font } } },
          tooltip: { callbacks: { label: (item) => shorten((item.raw as { text: string }).text, 80) } },
        },
        scales: { x: axis(0), y: axis(1) },
      },
    });
    scatterCanvas.dataset.drawn = 'true';
  };
  onThemeChange(() => {
    if (drawn) {
      void drawScatter(drawn);
      drawCurrentHeatmap(ctx.state());
    }
  });
  const drawCurrentHeatmap = (state: StudioState) => {
    const view = state.examples.result;
    if (!view) return;
    const comparison = comparesTexts(state.matrixCompare.result, view.texts) ? state.matrixCompare.result : undefined;
    drawHeatmap(view, state.examples.clustered, comparison ? { comparison, layer: state.matrixCompare.view } : undefined);
  };

  /**
   * The heatmap of the view, or of one side of its comparison (either model on one shared scale, or their
   * difference); hovering a compared cell shows both models' scores.
   */
  const drawHeatmap = (view: MatrixView, isClustered: boolean, compared?: { comparison: MatrixComparisonView; layer: ComparisonView }) => {
    const order = heatmapOrder(view, isClustered).slice(0, MAX_HEATMAP_TEXTS);
    const matrix = compared ? comparisonMatrix(compared.comparison, compared.layer) : view.matrix;
    const difference = compared?.layer === 'difference';
    const range = compared ? comparisonRange(compared.comparison, compared.layer) : offDiagonalRange(matrix);
    const limit = scaleLimit(range.min, range.max);
    const palette = readDivergingPalette();
    const n = order.length;
    const colors = topicColors(view.topics, chartTheme().palette);
    const showValues = n <= 30;
    const grid = h('div', {
      class: `heatmap${showValues ? ' with-values' : ''}`,
      role: 'grid',
      'data-testid': 'heatmap',
      'data-layer': compared?.layer,
      'aria-label': compared ? `${ctx.t('examples.heatmap')}: ${layerName(compared.comparison, compared.layer)}` : ctx.t('examples.heatmap'),
    });
    // Fixed-width columns: the grid is as wide as its columns and the box scrolls to the last one.
    grid.style.gridTemplateColumns = `minmax(8rem, 18rem) repeat(${n}, ${showValues ? '2.6rem' : '0.8rem'})`;
    grid.appendChild(h('div', { class: 'corner' }));
    for (const c of order) grid.appendChild(h('div', { class: 'col-label', role: 'columnheader', title: view.texts[c], 'data-col': c }, String(c + 1)));
    for (const r of order) {
      const marker = h('span', { class: 'topic-marker' });
      marker.style.backgroundColor = colors.get(view.topics[r]) ?? 'transparent';
      grid.appendChild(
        h(
          'div',
          { class: 'row-label', title: view.texts[r], role: 'rowheader', 'data-row': r },
          marker,
          h('span', { class: 'label-text' }, `${r + 1}. ${view.texts[r]}`),
        ),
      );
      for (const c of order) {
        const score = matrix[r][c];
        const background = divergingColor(score, limit, palette);
        const shown = difference ? signedScore(score) : formatScore(score);
        const cell = h(
          'div',
          { class: 'cell', role: 'gridcell', 'data-r': r, 'data-c': c, title: `${shown}\n${view.texts[r]}\n${view.texts[c]}` },
          showValues ? (difference ? signedScore(score, 2) : formatScore(score, 2)) : '',
        );
        cell.style.backgroundColor = rgbCss(background);
        cell.style.color = rgbCss(readableTextColor(background));
        grid.appendChild(cell);
      }
    }
    grid.addEventListener('mouseover', (event) => {
      const cell = (event.target as HTMLElement).closest('.cell') as HTMLElement | null;
      if (!cell) return;
      const r = Number(cell.dataset.r);
      const c = Number(cell.dataset.c);
      const scores = compared
        ? [
            h('strong', { class: 'hover-score' }, `${compared.comparison.first.name} ${formatScore(compared.comparison.first.matrix[r][c])}`),
            h('span', {}, ' · '),
            h('strong', { class: 'hover-score' }, `${compared.comparison.second.name} ${formatScore(compared.comparison.second.matrix[r][c])}`),
            h('span', {}, ` · ${ctx.t('compare.delta')} ${signedScore(compared.comparison.second.matrix[r][c] - compared.comparison.first.matrix[r][c])}`),
          ]
        : [h('strong', { class: 'hover-score' }, formatScore(matrix[r][c]))];
      replaceChildren(
        hover,
        ...scores,
        h('span', {}, ` — ${r + 1}. ${view.texts[r]}`),
        h('span', { class: 'muted' }, ' ↔ '),
        h('span', {}, `${c + 1}. ${view.texts[c]}`),
      );
    });
    const end = (v: number) => (difference ? signedScore(v, 2) : formatScore(v, 2));
    const legend = h(
      'div',
      { class: 'legend', 'data-testid': 'heatmap-legend' },
      h('span', {}, end(range.min)),
      h('span', { class: 'legend-ramp' }),
      h('span', {}, end(range.max)),
    );
    (legend.children[1] as HTMLElement).style.backgroundImage = legendGradient(range.min, range.max, palette);
    if (!compared) hover.textContent = ctx.t('examples.hover');
    else if (!hover.querySelector('.hover-score')) hover.textContent = ctx.t('compare.hover');
    replaceChildren(heatmapBox, h('div', { class: 'heatmap-scroll', 'data-testid': 'heatmap-scroll' }, grid), legend, hover);
  };

  const layerName = (comparison: MatrixComparisonView, layer: ComparisonView) =>
    layer === 'first'
      ? comparison.first.name
      : layer === 'second'
        ? comparison.second.name
        : ctx.t('compare.difference', comparison.second.name, comparison.first.name);

  // "Compare with": the chosen model runs on the texts of the matrix shown, after it (its vectors are then cached).
  const compareChoice = createCompareChoice(ctx, 'examples');
  const compareBox = h('div', { class: 'stack', id: 'examples-compare', 'data-testid': 'examples-compare' });
  const disagreementsBox = h('div', { class: 'stack', id: 'examples-disagreements' });
  const layerBox = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': ctx.t('compare.show'), 'data-testid': 'comparison-layers' });
  const runComparison = () => compareMatrixIfChosen(ctx);
  const drawComparison = (state: StudioState) => {
    const c = state.matrixCompare;
    const view = state.examples.result;
    const model = compareModelSpec(state);
    const comparison = view && comparesTexts(c.result, view.texts) ? c.result : undefined;
    const offer =
      view && model && !comparison && !c.busy
        ? h('div', { class: 'toolbar' }, button(ctx.t('compare.run', model), 'diff', runComparison, { secondary: true, id: 'run-comparison-button' }))
        : null;
    let summary: HTMLElement | null = null;
    if (comparison) {
      const rho = comparison.spearman;
      summary = h(
        'div',
        { class: 'metric compare-rho', 'data-testid': 'compare-spearman', 'data-value': rho === null ? '' : String(rho) },
        h('div', { class: 'metric-label' }, `${ctx.t('compare.spearman')} (${comparison.first.name} ↔ ${comparison.second.name})`),
        h('div', { class: 'metric-value' }, rho === null ? '—' : `ρ = ${formatScore(rho, 3)}`),
        h('div', { class: 'muted small' }, rho === null ? ctx.t('compare.spearmanUndefined') : ctx.t('compare.spearmanDetail', comparison.pairs)),
      );
    }
    replaceChildren(
      compareBox,
      busyIndicator(ctx, c.busy, () => ctx.cancel('matrixCompare')),
      compareErrorBox(ctx, c.error, model ?? ''),
      offer,
      summary,
    );
    replaceChildren(disagreementsBox, comparison ? disagreementTable(comparison) : null);
    // The layer toggle: shown only while a comparison of these texts exists.
    if (comparison) {
      const layers: ComparisonView[] = ['first', 'second', 'difference'];
      replaceChildren(
        layerBox,
        ...layers.map((layer) =>
          h(
            'button',
            {
              type: 'button',
              role: 'radio',
              class: 'segment',
              'aria-checked': String(c.view === layer),
              'data-layer': layer,
              title: layerName(comparison, layer),
              on: { click: () => ctx.dispatch({ type: 'comparisonView', view: layer }) },
            },
            layer === 'difference' ? ctx.t('compare.differenceView') : layerName(comparison, layer),
          ),
        ),
      );
    }
    layerBox.hidden = !comparison;
  };
  const disagreementTable = (comparison: MatrixComparisonView) => {
    const text = (i: number) => h('div', { class: 'pair-text', title: comparison.texts[i] }, `${i + 1}. ${comparison.texts[i]}`);
    return h(
      'div',
      { class: 'stack' },
      h('h3', {}, ctx.t('compare.disagreements')),
      h(
        'table',
        { class: 'compare-table', 'data-testid': 'compare-disagreements' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, ctx.t('compare.pair')),
            h('th', { scope: 'col', class: 'number', title: comparison.first.name }, comparison.first.name),
            h('th', { scope: 'col', class: 'number', title: comparison.second.name }, comparison.second.name),
            h('th', { scope: 'col', class: 'number' }, ctx.t('compare.delta')),
          ),
        ),
        h(
          'tbody',
          {},
          ...comparison.disagreements.map((d) =>
            h(
              'tr',
              { 'data-pair': `${d.i}-${d.j}` },
              h('td', { class: 'pair' }, text(d.i), text(d.j)),
              // data-label names the column where a narrow panel stacks the cells (studio.css).
              h('td', { class: 'number', 'data-label': comparison.first.name }, formatScore(d.first, 3)),
              h('td', { class: 'number', 'data-label': comparison.second.name }, formatScore(d.second, 3)),
              h('td', { class: `number ${d.delta < 0 ? 'delta-down' : 'delta-up'}`, 'data-label': ctx.t('compare.delta') }, signedScore(d.delta, 3)),
            ),
          ),
        ),
      ),
    );
  };

  const element = h(
    'section',
    { class: 'tab-body' },
    h('div', { class: 'toolbar' }, button(ctx.t('examples.run'), 'beaker', run, { id: 'run-examples-button' }), clustered),
    compareChoice.element,
    output,
    compareBox,
    layerBox,
    heatmapBox,
    disagreementsBox,
    scatterSection,
    h('h3', {}, ctx.t('examples.earlier'), ' ', button(ctx.t('examples.refresh'), 'refresh', refreshFiles, { secondary: true, id: 'refresh-results' })),
    filesBox,
  );
  refreshFiles();

  return {
    element,
    render(next, previous) {
      const s = next.examples;
      if (clustered.checked !== s.clustered) clustered.checked = s.clustered;
      compareChoice.render(next, previous);
      const compareChanged =
        !previous || previous.matrixCompare !== next.matrixCompare || previous.examples.result !== s.result || previous.compare !== next.compare;
      if (compareChanged) drawComparison(next);
      const view = s.result;
      if (!previous || previous.examples.busy !== s.busy || previous.examples.error !== s.error || previous.examples.result !== view) {
        const summary = view
          ? h(
              'div',
              { class: 'muted', 'data-testid': 'examples-summary' },
              matrixSummary(view, ctx.t),
              view.origin === 'run' && view.file ? h('div', { 'data-testid': 'examples-saved' }, ctx.t('examples.saved', view.file)) : null,
              view.texts.length > MAX_HEATMAP_TEXTS ? h('div', {}, `${MAX_HEATMAP_TEXTS} / ${view.texts.length}`) : null,
            )
          : null;
        replaceChildren(
          output,
          busyIndicator(ctx, s.busy, () => ctx.cancel('examples')),
          errorBox(ctx, s.error),
          summary,
        );
      }
      const comparedLayer = !previous || previous.matrixCompare.result !== next.matrixCompare.result || previous.matrixCompare.view !== next.matrixCompare.view;
      if (view && (view !== drawn || !previous || previous.examples.clustered !== s.clustered || comparedLayer)) {
        drawCurrentHeatmap(next);
        if (view !== drawn) void drawScatter(view);
        drawn = view;
      }
      if (!previous || previous.examples.files !== s.files) {
        const files = s.files;
        replaceChildren(
          filesBox,
          !next.hasResultsFolder
            ? h('p', { class: 'muted' }, ctx.t('examples.noWorkspace'))
            : !files || files.length === 0
              ? h('p', { class: 'muted' }, ctx.t('examples.none'))
              : h(
                  'ul',
                  { class: 'files', 'data-testid': 'result-files' },
                  ...files.map((file) =>
                    h(
                      'li',
                      { 'data-name': file.name },
                      h('span', { class: 'codicon codicon-json', 'aria-hidden': 'true' }),
                      h('span', { class: 'file-name' }, file.name),
                      h('span', { class: 'muted' }, new Date(file.modified).toLocaleString()),
                      button(ctx.t('examples.show'), 'graph', () => showFile(file.path), { secondary: true }),
                      button(ctx.t('examples.open'), 'go-to-file', () => openFile(file.path), { secondary: true }),
                    ),
                  ),
                ),
        );
      }
    },
  };
}
