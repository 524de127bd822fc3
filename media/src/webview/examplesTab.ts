import type { MatrixView } from '../../../src/shared/studioProtocol';
import { h, replaceChildren } from './dom';
import { busyIndicator, button, errorBox } from './common';
import type { Tab, TabContext } from './context';
import { chartTheme, loadCharts, onThemeChange, type ChartModule } from './charts';
import { formatScore } from './formatting';
import { heatmapOrder, matrixSummary, offDiagonalRange } from './heatmapView';
import { divergingColor, legendGradient, readableTextColor, rgbCss, scaleLimit } from '../../../src/shared/colorScale';
import { readDivergingPalette } from '../shared/themePalette';

/** Above this many texts the HTML grid gets too heavy to lay out; the first rows are shown. */
const MAX_HEATMAP_TEXTS = 150;
const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function topicColors(topics: string[], palette: string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const topic of topics) if (!colors.has(topic)) colors.set(topic, palette[colors.size % palette.length]);
  return colors;
}

export function createExamplesTab(ctx: TabContext): Tab {
  const output = h('div', { class: 'stack', id: 'examples-output' });
  const heatmapBox = h('div', { class: 'heatmap-box' });
  const hover = h('div', { class: 'hover-detail muted', 'data-testid': 'heatmap-hover', 'aria-live': 'polite' }, ctx.t('examples.hover'));
  const scatterCanvas = h('canvas', { id: 'pca-chart', role: 'img', 'aria-label': ctx.t('examples.pca') });
  const scatterSection = h('div', { class: 'stack', hidden: true }, h('h3', {}, ctx.t('examples.pca')), h('div', { class: 'chart-box square' }, scatterCanvas));
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
    });
  const showFile = (path: string) => ctx.run('examples', 'examples/load', { path }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'examples', id, result }));
  const openFile = (path: string) => void ctx.connection.request('examples/open', { path });

  const drawScatter = async (view: MatrixView) => {
    scattered = view;
    scatter?.destroy();
    scatter = undefined;
    scatterSection.hidden = !view.pca;
    if (!view.pca) return;
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
      drawHeatmap(drawn, ctx.state().examples.clustered);
    }
  });

  const drawHeatmap = (view: MatrixView, isClustered: boolean) => {
    const order = heatmapOrder(view, isClustered).slice(0, MAX_HEATMAP_TEXTS);
    const range = offDiagonalRange(view.matrix);
    const limit = scaleLimit(range.min, range.max);
    const palette = readDivergingPalette();
    const n = order.length;
    const colors = topicColors(view.topics, chartTheme().palette);
    const showValues = n <= 30;
    const grid = h('div', { class: `heatmap${showValues ? ' with-values' : ''}`, role: 'grid', 'data-testid': 'heatmap', 'aria-label': ctx.t('examples.heatmap') });
    // Fixed-width columns: the grid is as wide as its columns and the box scrolls to the last one.
    grid.style.gridTemplateColumns = `minmax(8rem, 18rem) repeat(${n}, ${showValues ? '2.6rem' : '0.8rem'})`;
    grid.appendChild(h('div', { class: 'corner' }));
    for (const c of order) grid.appendChild(h('div', { class: 'col-label', role: 'columnheader', title: view.texts[c], 'data-col': c }, String(c + 1)));
    for (const r of order) {
      const marker = h('span', { class: 'topic-marker' });
      marker.style.backgroundColor = colors.get(view.topics[r]) ?? 'transparent';
      grid.appendChild(h('div', { class: 'row-label', title: view.texts[r], role: 'rowheader', 'data-row': r }, marker, h('span', { class: 'label-text' }, `${r + 1}. ${view.texts[r]}`)));
      for (const c of order) {
        const score = view.matrix[r][c];
        const background = divergingColor(score, limit, palette);
        const cell = h('div', { class: 'cell', role: 'gridcell', 'data-r': r, 'data-c': c, title: `${formatScore(score)}\n${view.texts[r]}\n${view.texts[c]}` }, showValues ? formatScore(score, 2) : '');
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
      replaceChildren(
        hover,
        h('strong', { class: 'hover-score' }, formatScore(view.matrix[r][c])),
        h('span', {}, ` — ${r + 1}. ${view.texts[r]}`),
        h('span', { class: 'muted' }, ' ↔ '),
        h('span', {}, `${c + 1}. ${view.texts[c]}`),
      );
    });
    const legend = h('div', { class: 'legend', 'data-testid': 'heatmap-legend' }, h('span', {}, formatScore(range.min, 2)), h('span', { class: 'legend-ramp' }), h('span', {}, formatScore(range.max, 2)));
    (legend.children[1] as HTMLElement).style.backgroundImage = legendGradient(range.min, range.max, palette);
    replaceChildren(heatmapBox, h('div', { class: 'heatmap-scroll', 'data-testid': 'heatmap-scroll' }, grid), legend, hover);
  };

  const element = h(
    'section',
    { class: 'tab-body' },
    h('div', { class: 'toolbar' }, button(ctx.t('examples.run'), 'beaker', run, { id: 'run-examples-button' }), clustered),
    output,
    heatmapBox,
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
        replaceChildren(output, busyIndicator(ctx, s.busy, () => ctx.cancel('examples')), errorBox(ctx, s.error), summary);
      }
      if (view && (view !== drawn || !previous || previous.examples.clustered !== s.clustered)) {
        drawHeatmap(view, s.clustered);
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
