import type { SimilarityResult, TokenInfo } from '../../../src/shared/studioProtocol';
import type { StudioState } from './studioState';
import { h, icon, replaceChildren } from './dom';
import { busyIndicator, button, errorBox, labelled, metric, syncValue, textarea } from './common';
import type { Tab, TabContext } from './context';
import { formatScore } from './formatting';
import { onThemeChange } from './charts';
import { bandDetailKey, bandLabelKey, headlineScore, scoreBarPercent, similarityBand, similarityMetrics, type SimilarityMetric } from './similarityReading';
import { EXPLAIN_CSS, renderExplain } from '../explain/explainHeatmap';
import { createCompareChoice } from './compareChoice';
import { compareErrorBox, signedScore } from './compareParts';
import { scoreDifference } from './comparisonView';
import { compareModelSpec } from './studioState';
import { SIMILARITY_FUNCTION_LABEL } from './similarityReading';

/** The explain view's stylesheet, shared with the notebook renderer; a constructed sheet, which the CSP allows. */
function adoptExplainStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(EXPLAIN_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export function createSimilarityTab(ctx: TabContext): Tab {
  const state = ctx.state().similarity;
  const a = textarea('similarity-a', ctx.t('similarity.textA'), state.a, 4, (value) => ctx.dispatch({ type: 'input', slot: 'similarity', field: 'a', value }));
  const b = textarea('similarity-b', ctx.t('similarity.textB'), state.b, 4, (value) => ctx.dispatch({ type: 'input', slot: 'similarity', field: 'b', value }));
  adoptExplainStyles();
  const output = h('div', { class: 'stack', id: 'similarity-output', 'aria-live': 'polite' });
  const explainOutput = h('div', { class: 'stack', id: 'explain-output' });
  const compareOutput = h('div', { class: 'stack', id: 'similarity-compare-output', 'data-testid': 'similarity-compare', 'aria-live': 'polite' });
  const compareChoice = createCompareChoice(ctx, 'similarity');
  const compare = () => {
    const { a: textA, b: textB } = ctx.state().similarity;
    ctx.run('similarity', 'similarity/compute', { a: textA, b: textB }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'similarity', id, result }));
    // The second model runs as its own request: cancelled on its own, and its failure leaves the first score standing.
    const model = compareModelSpec(ctx.state());
    if (model)
      ctx.run('similarityCompare', 'compare/similarity', { a: textA, b: textB, model }, (result, id) =>
        ctx.dispatch({ type: 'succeeded', slot: 'similarityCompare', id, result }),
      );
  };
  const explain = () => {
    const { a: textA, b: textB } = ctx.state().similarity;
    ctx.run('explain', 'similarity/explain', { a: textA, b: textB }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'explain', id, result }));
  };
  // Ctrl/Cmd+Enter compares from either box, as in a chat input.
  for (const area of [a, b]) {
    area.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) compare();
    });
  }

  const element = h(
    'section',
    { class: 'tab-body' },
    h('div', { class: 'two-columns' }, labelled(ctx.t('similarity.textA'), 'similarity-a', a), labelled(ctx.t('similarity.textB'), 'similarity-b', b)),
    compareChoice.element,
    h(
      'div',
      { class: 'toolbar' },
      button(ctx.t('similarity.compare'), 'arrow-both', compare, { id: 'compare-button' }),
      button(ctx.t('similarity.explain'), 'lightbulb', explain, { id: 'explain-button', secondary: true }),
    ),
    output,
    compareOutput,
    explainOutput,
  );

  // A remote backend gives no word-piece counts: the metric is left out rather than guessed.
  const tokens = (label: string, info: TokenInfo | undefined, testId: string) =>
    info ? metric(label, `${info.count}${info.truncated ? ' ⚠' : ''}`, testId, info.truncated ? 'warning' : '') : null;
  const metricOf = (m: SimilarityMetric, r: SimilarityResult): HTMLElement | null => {
    switch (m) {
      case 'cosine':
        return metric(ctx.t('similarity.cosine'), formatScore(r.cosine), 'metric-cosine');
      case 'euclidean':
        return metric(ctx.t('similarity.euclidean'), formatScore(r.euclidean), 'metric-euclidean');
      case 'dot':
        return metric(ctx.t('similarity.dot'), formatScore(r.dot), 'metric-dot');
      case 'manhattan':
        return metric(ctx.t('similarity.manhattan'), formatScore(r.manhattan), 'metric-manhattan');
      case 'dimension':
        return metric(ctx.t('similarity.dimension'), String(r.dimension), 'metric-dimension');
      case 'normA':
        return metric(ctx.t('similarity.normA'), formatScore(r.normA), 'metric-norm-a');
      case 'normB':
        return metric(ctx.t('similarity.normB'), formatScore(r.normB), 'metric-norm-b');
      case 'tokensA':
        return tokens(ctx.t('similarity.tokensA'), r.tokensA, 'metric-tokens-a');
      case 'tokensB':
        return tokens(ctx.t('similarity.tokensB'), r.tokensB, 'metric-tokens-b');
    }
  };

  // The heatmap's colours come from the theme when it is drawn: draw it again when the theme changes.
  const drawExplain = () => {
    const e = ctx.state().explain;
    const view = e.result ? h('div', { class: 'stack' }, h('h3', {}, ctx.t('explain.title')), renderExplain(e.result, ctx.t)) : null;
    replaceChildren(explainOutput, busyIndicator(ctx, e.busy), errorBox(ctx, e.error), view);
  };
  onThemeChange(drawExplain);

  /** Each model's own score, named with its model and similarity function, and their difference. */
  const drawComparison = (state: StudioState) => {
    const c = state.similarityCompare;
    const first = state.similarity.result;
    const second = c.result;
    const card = (r: SimilarityResult, fallbackName: string, testId: string) => {
      const headline = headlineScore(r);
      return h(
        'div',
        { class: 'metric compare-card', 'data-testid': testId, 'data-function': headline.fn },
        h('div', { class: 'metric-label compare-model', title: r.model ?? fallbackName }, r.model ?? fallbackName),
        h('div', { class: 'metric-value', 'data-testid': `${testId}-score` }, formatScore(headline.value)),
        h('div', { class: 'muted small' }, ctx.t(SIMILARITY_FUNCTION_LABEL[headline.fn])),
        // Models read different lengths: say so when this one cut a text short.
        [r.tokensA, r.tokensB].some((t) => t?.truncated)
          ? h('div', { class: 'small warning-text', 'data-testid': `${testId}-truncated` }, icon('warning'), ' ', ctx.t('similarity.truncated', r.maxTokens))
          : null,
      );
    };
    let cards: HTMLElement | null = null;
    if (second) {
      const firstName = first?.model ?? state.model.status?.info?.name ?? '';
      const difference = first ? scoreDifference(first, second) : undefined;
      cards = h(
        'div',
        { class: 'compare-cards' },
        first ? card(first, firstName, 'compare-first') : null,
        card(second, compareModelSpec(state) ?? '', 'compare-second'),
        difference
          ? h(
              'div',
              { class: 'metric compare-card', 'data-testid': 'compare-difference', 'data-function': difference.fn },
              h(
                'div',
                { class: 'metric-label' },
                ctx.t(difference.sameFunction ? 'compare.difference' : 'compare.cosineDifference', second.model ?? '', firstName),
              ),
              h('div', { class: 'metric-value', 'data-testid': 'compare-difference-score' }, signedScore(difference.value)),
              h('div', { class: 'muted small' }, ctx.t(SIMILARITY_FUNCTION_LABEL[difference.fn])),
            )
          : null,
      );
    }
    replaceChildren(
      compareOutput,
      busyIndicator(ctx, c.busy, () => ctx.cancel('similarityCompare')),
      compareErrorBox(ctx, c.error, compareModelSpec(state) ?? ''),
      cards,
    );
  };

  return {
    element,
    render(next, previous) {
      const s = next.similarity;
      syncValue(a, s.a);
      syncValue(b, s.b);
      compareChoice.render(next, previous);
      if (!previous || previous.similarityCompare !== next.similarityCompare || previous.similarity.result !== s.result) drawComparison(next);
      const e = next.explain;
      if (!previous || previous.explain.result !== e.result || previous.explain.busy !== e.busy || previous.explain.error !== e.error) drawExplain();
      if (previous && previous.similarity.result === s.result && previous.similarity.busy === s.busy && previous.similarity.error === s.error) return;
      const r = s.result;
      let result: HTMLElement | null = null;
      if (r) {
        const headline = headlineScore(r);
        const band = similarityBand(r.cosine);
        const bar = h('div', { class: 'score-bar large' }, h('div', { class: `score-fill band-${band}` }));
        (bar.firstChild as HTMLElement).style.width = `${scoreBarPercent(r.cosine)}%`;
        // A model scored by another function leads with that score and names it; the cosine bands do not read it.
        const reading = headline.banded
          ? h(
              'div',
              { class: `reading band-${band}`, 'data-testid': 'similarity-reading', 'data-band': band, 'data-function': headline.fn },
              h(
                'div',
                {},
                h('div', { class: 'reading-score', 'data-testid': 'cosine' }, formatScore(r.cosine)),
                h('div', { class: 'muted small', 'data-testid': 'reading-function' }, ctx.t('similarity.cosine')),
              ),
              h('div', {}, h('div', { class: 'reading-label' }, ctx.t(bandLabelKey(band))), h('div', { class: 'muted' }, ctx.t(bandDetailKey(band)))),
            )
          : h(
              'div',
              { class: 'reading', 'data-testid': 'similarity-reading', 'data-function': headline.fn },
              h('div', { class: 'reading-score', 'data-testid': 'similarity-score' }, formatScore(headline.value)),
              h(
                'div',
                {},
                h('div', { class: 'reading-label' }, ctx.t(headline.label)),
                h('div', { class: 'muted' }, ctx.t('similarity.modelScore', ctx.state().model.status?.info?.name ?? '', headline.fn)),
              ),
            );
        const truncation = [r.tokensA, r.tokensB].some((t) => t?.truncated)
          ? h('div', { class: 'warning-box', role: 'alert', 'data-testid': 'truncation-warning' }, icon('warning'), ctx.t('similarity.truncated', r.maxTokens))
          : null;
        result = h(
          'div',
          { class: 'stack' },
          reading,
          headline.banded ? bar : null,
          truncation,
          h('div', { class: 'metrics' }, ...similarityMetrics(r).map((m) => metricOf(m, r))),
        );
      }
      replaceChildren(output, busyIndicator(ctx, s.busy), errorBox(ctx, s.error), result);
    },
  };
}
