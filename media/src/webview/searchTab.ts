import { h, replaceChildren } from './dom';
import { busyIndicator, button, errorBox, labelled, syncValue, textarea } from './common';
import type { Tab, TabContext } from './context';
import { formatScore } from './formatting';
import { candidateList } from './studioState';
import { scoreBarPercent, similarityBand } from './similarityReading';

export function createSearchTab(ctx: TabContext): Tab {
  const initial = ctx.state().search;
  const query = textarea('search-query', ctx.t('search.query'), initial.query, 2, (value) =>
    ctx.dispatch({ type: 'input', slot: 'search', field: 'query', value }),
  );
  const candidates = textarea('search-candidates', ctx.t('search.candidates'), initial.candidates, 8, (value) =>
    ctx.dispatch({ type: 'input', slot: 'search', field: 'candidates', value }),
  );
  const topK = h('vscode-textfield', {
    id: 'search-topk',
    type: 'number',
    min: 1,
    max: 1000,
    'aria-label': ctx.t('search.topK'),
    class: 'narrow',
  }) as unknown as HTMLElement & { value: string };
  topK.value = String(initial.topK);
  topK.addEventListener('change', () => ctx.dispatch({ type: 'topK', value: Number(topK.value) }));
  topK.addEventListener('input', () => {
    if (Number(topK.value) >= 1) ctx.dispatch({ type: 'topK', value: Number(topK.value) });
  });
  const count = h('span', { class: 'muted', 'data-testid': 'candidate-count' });
  const output = h('div', { class: 'stack', id: 'search-output', 'aria-live': 'polite' });

  const search = () => {
    const s = ctx.state().search;
    ctx.run('search', 'search/run', { query: s.query, candidates: candidateList(s.candidates), topK: s.topK }, (result, id) =>
      ctx.dispatch({ type: 'succeeded', slot: 'search', id, result }),
    );
  };
  const loadFile = () =>
    ctx.run('search', 'search/openCandidates', {}, (result, id) => {
      ctx.dispatch({ type: 'finished', slot: 'search', id });
      if (result)
        ctx.dispatch({ type: 'candidates', candidates: result.candidates.join('\n'), notice: ctx.t('search.loaded', result.candidates.length, result.file) });
    });
  query.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) search();
  });

  const element = h(
    'section',
    { class: 'tab-body' },
    labelled(ctx.t('search.query'), 'search-query', query),
    labelled(ctx.t('search.candidates'), 'search-candidates', candidates),
    h(
      'div',
      { class: 'toolbar' },
      button(ctx.t('search.run'), 'search', search, { id: 'search-button' }),
      button(ctx.t('search.loadFile'), 'folder-opened', loadFile, { secondary: true, id: 'load-candidates-button' }),
      h('div', { class: 'field inline' }, h('vscode-label', { for: 'search-topk' }, ctx.t('search.topK')), topK),
      count,
    ),
    output,
  );

  return {
    element,
    render(next, previous) {
      const s = next.search;
      syncValue(query, s.query);
      syncValue(candidates, s.candidates);
      if (Number(topK.value) !== s.topK && document.activeElement !== topK) topK.value = String(s.topK);
      if (!previous || previous.search.candidates !== s.candidates) count.textContent = ctx.t('search.count', candidateList(s.candidates).length);
      if (
        previous &&
        previous.search.result === s.result &&
        previous.search.busy === s.busy &&
        previous.search.error === s.error &&
        previous.search.notice === s.notice
      )
        return;
      const r = s.result;
      const list = r
        ? h(
            'div',
            { class: 'stack' },
            h('p', { class: 'muted', 'data-testid': 'search-summary' }, ctx.t('search.summary', r.hits.length, r.candidateCount)),
            h(
              'ol',
              { class: 'ranked', 'data-testid': 'search-results' },
              ...r.hits.map((hit, rank) => {
                const fill = h('div', { class: `score-fill band-${similarityBand(hit.score)}` });
                fill.style.width = `${scoreBarPercent(hit.score)}%`;
                return h(
                  'li',
                  { class: 'hit', 'data-index': hit.index },
                  h('span', { class: 'rank' }, `${rank + 1}`),
                  h('span', { class: 'hit-text', title: `#${hit.index + 1}` }, hit.text),
                  h('span', { class: 'hit-score' }, formatScore(hit.score)),
                  h('div', { class: 'score-bar' }, fill),
                );
              }),
            ),
          )
        : null;
      replaceChildren(
        output,
        busyIndicator(ctx, s.busy, () => ctx.cancel('search')),
        errorBox(ctx, s.error),
        s.notice ? h('p', { class: 'notice', role: 'status' }, s.notice) : null,
        list,
      );
    },
  };
}
