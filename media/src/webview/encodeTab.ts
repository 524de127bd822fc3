import { h, replaceChildren } from './dom';
import { busyIndicator, button, errorBox, labelled, metric, syncValue, textarea } from './common';
import type { Tab, TabContext } from './context';
import { chartTheme, loadCharts, onThemeChange, type ChartModule } from './charts';
import { formatScore, formatTemplate } from './formatting';
import type { EncodeResult, ExportFormat } from '../../../src/shared/studioProtocol';

const FIRST_COMPONENTS = 16;

/** The first components, each number a span the line cannot break inside; the spaces after the commas can. */
function vectorPreview(vector: number[]): Array<HTMLElement | string> {
  return vector.slice(0, FIRST_COMPONENTS).flatMap((v, i) => [...(i > 0 ? [', '] : []), h('span', { class: 'component' }, formatScore(v, 5))]);
}

export function createEncodeTab(ctx: TabContext): Tab {
  const text = textarea('encode-text', ctx.t('encode.text'), ctx.state().encode.text, 4, (value) =>
    ctx.dispatch({ type: 'input', slot: 'encode', field: 'text', value }),
  );
  const output = h('div', { class: 'stack', id: 'encode-output', 'aria-live': 'polite' });
  const canvas = h('canvas', { id: 'encode-chart', role: 'img' });
  const chartBox = h('div', { class: 'chart-box', hidden: true }, canvas);
  let chart: InstanceType<ChartModule['Chart']> | undefined;
  let charted: EncodeResult | undefined;

  const encode = () =>
    ctx.run('encode', 'encode/compute', { text: ctx.state().encode.text }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'encode', id, result }));
  const copy = () =>
    ctx.run('encode', 'encode/copy', { text: ctx.state().encode.text }, (r, id) =>
      ctx.dispatch({ type: 'finished', slot: 'encode', id, notice: ctx.t('encode.copied', r.characters) }),
    );
  const exportAs = (format: ExportFormat) =>
    ctx.run('encode', 'encode/export', { text: ctx.state().encode.text, format }, (r, id) =>
      ctx.dispatch({ type: 'finished', slot: 'encode', id, notice: r.saved ? ctx.t('encode.saved', r.saved) : undefined }),
    );
  text.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) encode();
  });

  const drawChart = async (result: EncodeResult) => {
    charted = result;
    const { Chart } = await loadCharts();
    if (charted !== result) return;
    const theme = chartTheme();
    chart?.destroy();
    canvas.setAttribute('aria-label', formatTemplate(ctx.t('encode.chart'), result.dimension));
    chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: result.vector.map((_, i) => String(i)),
        datasets: [
          {
            data: result.vector,
            backgroundColor: result.vector.map((v) => (v >= 0 ? theme.positive : theme.negative)),
            borderWidth: 0,
            barPercentage: 1,
            categoryPercentage: 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => `dim ${items[0]?.label}`, label: (item) => formatScore(item.raw as number, 6) } },
        },
        scales: {
          x: { ticks: { color: theme.muted, maxTicksLimit: 13, font: { family: theme.font } }, grid: { display: false } },
          y: { ticks: { color: theme.muted, font: { family: theme.font } }, grid: { color: theme.grid } },
        },
      },
    });
    canvas.dataset.drawn = 'true';
  };
  onThemeChange(() => {
    if (charted) void drawChart(charted);
  });

  const element = h(
    'section',
    { class: 'tab-body' },
    labelled(ctx.t('encode.text'), 'encode-text', text),
    h(
      'div',
      { class: 'toolbar' },
      button(ctx.t('encode.run'), 'symbol-array', encode, { id: 'encode-button' }),
      button(ctx.t('encode.copy'), 'copy', copy, { secondary: true, id: 'copy-button' }),
      button(`${ctx.t('encode.export')} JSON`, 'json', () => exportAs('json'), { secondary: true, id: 'export-json' }),
      button(`${ctx.t('encode.export')} CSV`, 'table', () => exportAs('csv'), { secondary: true, id: 'export-csv' }),
      button(`${ctx.t('encode.export')} .npy`, 'file-binary', () => exportAs('npy'), { secondary: true, id: 'export-npy' }),
    ),
    output,
    chartBox,
  );

  return {
    element,
    render(next, previous) {
      const s = next.encode;
      syncValue(text, s.text);
      if (
        previous &&
        previous.encode.result === s.result &&
        previous.encode.busy === s.busy &&
        previous.encode.error === s.error &&
        previous.encode.notice === s.notice
      )
        return;
      const r = s.result;
      const first = r
        ? h(
            'div',
            { class: 'first-components' },
            h('div', { class: 'metric-label' }, ctx.t('encode.first')),
            h('code', { class: 'vector-preview', 'data-testid': 'first-components' }, '[', ...vectorPreview(r.vector), ', …]'),
          )
        : null;
      replaceChildren(
        output,
        busyIndicator(ctx, s.busy),
        errorBox(ctx, s.error),
        s.notice ? h('p', { class: 'notice', role: 'status', 'data-testid': 'encode-notice' }, s.notice) : null,
        r
          ? h(
              'div',
              { class: 'metrics' },
              metric(ctx.t('similarity.dimension'), String(r.dimension), 'encode-dimension'),
              metric(ctx.t('encode.norm'), formatScore(r.norm, 6), 'encode-norm'),
              r.tokens
                ? metric(ctx.t('encode.tokens'), `${r.tokens.count}${r.tokens.truncated ? ' ⚠' : ''}`, 'encode-tokens', r.tokens.truncated ? 'warning' : '')
                : null,
            )
          : null,
        first,
        r ? h('div', { class: 'metric-label' }, ctx.t('encode.chart', r.dimension)) : null,
      );
      chartBox.hidden = !r;
      if (r && r !== charted) void drawChart(r);
    },
  };
}
