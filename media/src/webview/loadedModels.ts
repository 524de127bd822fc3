import type { LoadedModelView, ModelStatus } from '../../../src/shared/studioProtocol';
import { h, icon, replaceChildren } from './dom';
import { busyIndicator, button, errorBox } from './common';
import type { TabContext } from './context';
import type { StudioState } from './studioState';
import { formatBytes } from './formatting';

/** The codicon of each model state, here and in the Model tab's status line. */
export const STATE_ICON: Record<ModelStatus['state'], string> = {
  unloaded: 'circle-outline',
  downloading: 'cloud-download',
  loading: 'loading codicon-modifier-spin',
  ready: 'pass-filled',
  error: 'error',
};

/**
 * The Model tab's "Loaded models": the active model and the ones the pool holds for notebooks, what each holds in
 * memory, whether a request runs on it, and the pool's budget. Pooled models have Unload; the host refuses it
 * while the model is busy, and the button says so beforehand.
 */
export function createLoadedModels(ctx: TabContext): { element: HTMLElement; render(state: StudioState, previous: StudioState | undefined): void } {
  const table = h('div', { class: 'stack', id: 'loaded-models', 'data-testid': 'loaded-models' });
  const budget = h('p', { class: 'notice', 'data-testid': 'loaded-budget' });
  const status = h('div', { class: 'stack', id: 'loaded-status', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'stack' },
    h('h3', {}, icon('server-process'), ctx.t('loaded.title')),
    h('p', { class: 'muted notice' }, ctx.t('loaded.intro')),
    budget,
    table,
    status,
  );

  const unload = (key: string) =>
    ctx.run('loaded', 'model/unloadPooled', { key }, (result, id) => ctx.dispatch({ type: 'succeeded', slot: 'loaded', id, result }));

  const row = (model: LoadedModelView, index: number) => {
    const busy = model.busy > 0;
    const action = model.key
      ? button(ctx.t('model.unload'), 'debug-stop', () => unload(model.key!), { secondary: true, disabled: busy, id: `unload-pooled-${index}` })
      : null;
    if (action && busy) action.setAttribute('title', ctx.t('loaded.busyReason'));
    return h(
      'tr',
      { class: model.active ? 'current' : '', 'data-testid': 'loaded-row', 'data-active': String(model.active) },
      h(
        'td',
        {},
        h('span', { class: 'picker-id', 'data-testid': 'loaded-name' }, model.name),
        model.active ? h('vscode-badge', { 'data-testid': 'loaded-active' }, ctx.t('loaded.active')) : null,
      ),
      h('td', {}, model.dtype),
      h('td', { 'data-testid': 'loaded-state' }, icon(STATE_ICON[model.state]), ' ', ctx.t(`model.state.${model.state}`)),
      h('td', { class: 'number', 'data-testid': 'loaded-bytes' }, model.bytes === undefined ? '—' : formatBytes(model.bytes)),
      h('td', { 'data-testid': 'loaded-activity' }, busy ? ctx.t('loaded.busy', String(model.busy)) : ctx.t('loaded.idle')),
      h('td', {}, action),
    );
  };

  return {
    element,
    render(state, previous) {
      const loaded = state.loaded;
      if (previous && previous.loaded === loaded) return;
      const view = loaded.result;
      if (!view) {
        replaceChildren(table, h('vscode-progress-ring', {}));
      } else {
        budget.textContent = ctx.t('loaded.budget', formatBytes(view.pooledBytes), formatBytes(view.budgetBytes));
        const head = h(
          'tr',
          {},
          ...[ctx.t('loaded.model'), ctx.t('model.dtype'), ctx.t('model.state'), ctx.t('loaded.memory'), ctx.t('loaded.activity'), ''].map((label) =>
            h('th', { scope: 'col' }, label),
          ),
        );
        replaceChildren(table, h('table', { class: 'picker-table loaded-table' }, h('thead', {}, head), h('tbody', {}, ...view.models.map(row))));
      }
      replaceChildren(status, busyIndicator(ctx, loaded.busy), errorBox(ctx, loaded.error));
    },
  };
}
