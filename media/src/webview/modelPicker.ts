import type { CatalogueItemView, ModelPickerView } from '../../../src/shared/studioProtocol';
import { h, icon, replaceChildren } from './dom';
import { button, errorBox } from './common';
import type { TabContext } from './context';
import type { StudioState } from './studioState';
import { busyIndicator } from './common';
import { downloadSizeText, otherModel, pickerRow } from './pickerRows';

/**
 * The Model tab's catalogue: one row per entry with what a user weighs before a download (languages, dimension,
 * pooling, licence, size for the configured dtype) and whether it is already on this machine. A pick only writes
 * `minilm.model` through the host; fetching files stays with Download Model (or first use, as allowDownload says).
 */
export function createModelPicker(ctx: TabContext): { element: HTMLElement; render(state: StudioState, previous: StudioState | undefined): void } {
  const table = h('div', { class: 'stack', id: 'model-picker', 'data-testid': 'model-picker' });
  const other = h('vscode-textfield', {
    id: 'model-other',
    class: 'other-field',
    placeholder: ctx.t('picker.otherPlaceholder'),
    'aria-label': ctx.t('picker.other'),
  }) as unknown as HTMLElement & { value: string };
  other.value = ctx.state().picker.other;
  other.addEventListener('input', () => ctx.dispatch({ type: 'input', slot: 'picker', field: 'other', value: other.value }));
  const useOther = () => {
    const model = ctx.state().picker.other.trim();
    if (model) ctx.run('picker', 'model/useOther', { model }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'picker', id, result }));
  };
  other.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter') useOther();
  });
  const status = h('div', { class: 'stack', id: 'picker-status', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'stack' },
    h('h3', {}, icon('library'), ctx.t('picker.title')),
    h('p', { class: 'muted notice' }, ctx.t('picker.intro')),
    table,
    h(
      'div',
      { class: 'field' },
      h('vscode-label', { for: 'model-other' }, ctx.t('picker.other')),
      h('div', { class: 'toolbar' }, other, button(ctx.t('picker.use'), 'arrow-right', useOther, { id: 'model-other-button', secondary: true })),
    ),
    status,
  );

  const pick = (id: string) =>
    ctx.run('picker', 'model/pick', { id }, (result, requestId) => ctx.dispatch({ type: 'succeeded', slot: 'picker', id: requestId, result }));
  const download = () =>
    ctx.run('model', 'command/run', { command: 'minilm.downloadModel' }, (_r, id) => ctx.dispatch({ type: 'finished', slot: 'model', id }));

  const row = (item: CatalogueItemView, view: ModelPickerView) => {
    const plan = pickerRow(item, view.dtype);
    const reason = plan.reason ? ctx.t(plan.reason.key, ...plan.reason.args) : undefined;
    const action = item.current
      ? h('vscode-badge', { 'data-testid': 'picker-current' }, ctx.t('picker.current'))
      : button(ctx.t('picker.use'), undefined, () => pick(item.id), { secondary: true, disabled: plan.disabled, id: `pick-${item.id}` });
    if (reason) action.setAttribute('title', reason);
    return h(
      'tr',
      { class: item.current ? 'current' : '', 'data-model': item.id, 'data-testid': 'picker-row', 'aria-current': item.current ? 'true' : undefined },
      h('td', {}, h('div', { class: 'picker-id' }, item.id), h('div', { class: 'muted small' }, item.baseModel)),
      h('td', {}, item.languageSummary),
      h('td', { class: 'number' }, String(item.dimension)),
      h('td', {}, item.pooling.join(', ')),
      h('td', {}, item.licence),
      h('td', { class: 'number', 'data-testid': 'picker-size' }, downloadSizeText(item.download)),
      h(
        'td',
        { 'data-testid': 'picker-local', title: item.local?.dir },
        item.local
          ? h('span', {}, icon('pass'), ' ', ctx.t(`model.source.${item.local.source}`))
          : h('span', { class: 'muted' }, icon('cloud'), ' ', ctx.t('picker.notDownloaded')),
      ),
      h('td', {}, action, reason ? h('div', { class: 'muted small', 'data-testid': 'picker-reason' }, reason) : null),
    );
  };

  return {
    element,
    render(state, previous) {
      const p = state.picker;
      if (other.value !== p.other) other.value = p.other;
      if (previous && previous.picker.result === p.result && previous.picker.busy === p.busy && previous.picker.error === p.error) return;
      const view = p.result;
      if (!view) {
        replaceChildren(table, h('vscode-progress-ring', {}));
      } else {
        const head = h(
          'tr',
          {},
          ...[
            ctx.t('picker.model'),
            ctx.t('picker.languages'),
            ctx.t('picker.dimension'),
            ctx.t('picker.pooling'),
            ctx.t('picker.licence'),
            ctx.t('picker.download', view.dtype),
            ctx.t('picker.local'),
            '',
          ].map((label) => h('th', { scope: 'col' }, label)),
        );
        replaceChildren(table, h('table', { class: 'picker-table' }, h('thead', {}, head), h('tbody', {}, ...view.entries.map((item) => row(item, view)))));
      }
      const current = view?.entries.find((e) => e.current);
      const custom = view ? otherModel(view) : undefined;
      const needsDownload =
        current && !current.local
          ? h(
              'div',
              { class: 'warning-box', 'data-testid': 'picker-needs-download' },
              icon('cloud-download'),
              h(
                'div',
                { class: 'stack' },
                h('span', {}, ctx.t('picker.needsDownload', current.id, view!.dtype, downloadSizeText(current.download))),
                h('div', { class: 'toolbar' }, button(ctx.t('model.download'), 'cloud-download', download, { id: 'picker-download-button' })),
              ),
            )
          : null;
      replaceChildren(
        status,
        busyIndicator(ctx, p.busy),
        errorBox(ctx, p.error),
        custom ? h('p', { class: 'notice', 'data-testid': 'picker-other-current' }, ctx.t('picker.otherCurrent', custom)) : null,
        needsDownload,
      );
    },
  };
}
