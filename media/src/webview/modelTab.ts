import type { ModelStatus, StudioDtype, WebviewCommand } from '../../../src/shared/studioProtocol';
import { h, icon, replaceChildren } from './dom';
import { button, errorBox, metric } from './common';
import type { Tab, TabContext } from './context';
import { downloadPercent, formatBytes, formatTemplate } from './formatting';
import { errorFix, modelPrimaryAction } from './modelActions';
import { createModelPicker } from './modelPicker';
import { createLoadedModels, STATE_ICON } from './loadedModels';

export function createModelTab(ctx: TabContext): Tab {
  const output = h('div', { class: 'stack', id: 'model-output' });
  const dtypeSelect = h('vscode-single-select', { id: 'dtype-select', 'aria-label': ctx.t('model.dtype') }) as HTMLElement & { value: string };
  for (const dtype of ['fp32', 'q8'] as const) {
    const option = h('vscode-option', { value: dtype, description: ctx.t(`model.dtype.${dtype}`) });
    option.textContent = dtype;
    dtypeSelect.appendChild(option);
  }
  dtypeSelect.addEventListener('change', () => {
    const dtype = dtypeSelect.value as StudioDtype;
    if (dtype !== ctx.state().model.status?.dtype) {
      ctx.run('model', 'model/setDtype', { dtype }, (status, id) => ctx.dispatch({ type: 'succeeded', slot: 'model', id, result: status }));
    }
  });

  const load = () => ctx.run('model', 'model/load', {}, (status, id) => ctx.dispatch({ type: 'succeeded', slot: 'model', id, result: status }));
  const unload = () => ctx.run('model', 'model/unload', {}, (status, id) => ctx.dispatch({ type: 'succeeded', slot: 'model', id, result: status }));
  const command = (name: WebviewCommand) =>
    ctx.run('model', 'command/run', { command: name }, (_r, id) => ctx.dispatch({ type: 'finished', slot: 'model', id }));

  const picker = createModelPicker(ctx);
  const loaded = createLoadedModels(ctx);
  const loadButton = button(ctx.t('model.load'), 'play', load, { id: 'load-button' }) as HTMLElement & { secondary: boolean };
  const localControls = h(
    'div',
    { class: 'toolbar' },
    loadButton,
    button(ctx.t('model.unload'), 'debug-stop', unload, { id: 'unload-button', secondary: true }),
    h('div', { class: 'field inline' }, h('vscode-label', { for: 'dtype-select' }, ctx.t('model.dtype')), dtypeSelect),
  );
  const element = h('section', { class: 'tab-body' }, localControls, output, loaded.element, picker.element);

  return {
    element,
    render(state, previous) {
      picker.render(state, previous);
      loaded.render(state, previous);
      const model = state.model;
      const primary = modelPrimaryAction(
        model.status,
        state.picker.result?.entries.some((e) => e.current && !e.local),
      );
      loadButton.secondary = primary !== 'load';
      if (
        previous &&
        previous.model === model &&
        modelPrimaryAction(
          previous.model.status,
          previous.picker.result?.entries.some((e) => e.current && !e.local),
        ) === primary
      )
        return;
      const status = model.status;
      if (status && dtypeSelect.value !== status.dtype) dtypeSelect.value = status.dtype;
      if (!status) {
        replaceChildren(output, h('vscode-progress-ring', {}));
        return;
      }
      // A remote backend embeds: the local model's load, dtype and picker do not apply.
      localControls.hidden = picker.element.hidden = loaded.element.hidden = status.backend !== undefined;
      if (status.backend) {
        replaceChildren(output, remoteBackendView(ctx, status.backend), errorBox(ctx, model.error));
        return;
      }
      const stateText = ctx.t(`model.state.${status.state}`);
      const percent = status.download ? downloadPercent(status.download.received, status.download.total) : undefined;
      const header = h(
        'div',
        { class: `model-state state-${status.state}`, 'data-testid': 'model-state', role: 'status' },
        icon(STATE_ICON[status.state]),
        h('span', { class: 'state-text' }, stateText),
        status.state === 'ready' && status.info ? h('vscode-badge', {}, status.info.dtype) : null,
      );
      const rows: HTMLElement[] = [];
      if (status.download) {
        const bar = document.createElement('vscode-progress-bar') as HTMLElement & { value?: number; max: number };
        if (percent !== undefined) {
          bar.max = 100;
          bar.value = percent;
        }
        const bytes = status.download.total
          ? `${formatBytes(status.download.received)} / ${formatBytes(status.download.total)}`
          : formatBytes(status.download.received);
        rows.push(
          h(
            'div',
            { class: 'download', 'data-testid': 'download' },
            bar,
            h('span', { class: 'muted' }, `${status.download.file} — ${bytes}${percent !== undefined ? ` (${percent}%)` : ''}`),
          ),
        );
      }
      const info = status.info;
      const metrics = h(
        'div',
        { class: 'metrics' },
        metric(ctx.t('model.dtype'), info?.dtype ?? status.dtype, 'model-dtype'),
        metric(ctx.t('model.dimension'), String(info?.dimension ?? 384), 'model-dimension'),
        metric(ctx.t('model.maxTokens'), `${info?.maxSeqLength ?? 256} ${ctx.t('model.wordPieces')}`, 'model-max'),
        info ? metric(ctx.t('model.loadTime'), formatTemplate(ctx.t('common.ms'), Math.round(info.loadMs)), 'model-load-time') : null,
        info && (info.workers ?? 1) > 1 ? metric(ctx.t('model.workersThreads'), `${info.workers} × ${info.threads}`, 'model-threads') : null,
        info && (info.workers ?? 1) <= 1 ? metric(ctx.t('model.threads'), String(info.threads), 'model-threads') : null,
        metric(ctx.t('model.memory'), formatBytes(status.memoryRss), 'model-memory'),
      );
      const source = info
        ? h(
            'dl',
            { class: 'details', 'data-testid': 'model-source' },
            h('dt', {}, ctx.t('model.source')),
            h('dd', {}, ctx.t(`model.source.${info.source}`)),
            h('dt', {}, ctx.t('model.path')),
            h('dd', {}, h('code', { class: 'path' }, info.dir)),
          )
        : status.state === 'unloaded'
          ? h('p', { class: 'muted' }, ctx.t('model.notLoadedHint'))
          : null;
      let fix: HTMLElement | null = null;
      if (status.error) {
        const plan = errorFix(status.error.code, status.allowDownload);
        // The first fix is the one to try: it alone is primary (unless the picker's Download comes first).
        const actions = plan.actions.map((action, index) => {
          const secondary = index > 0 || primary !== 'fix';
          switch (action) {
            case 'chooseModelFolder':
              return button(ctx.t('model.chooseFolder'), 'folder-opened', () => command('minilm.chooseModelFolder'), { secondary, id: 'choose-folder-button' });
            case 'downloadModel':
              return button(ctx.t('model.download'), 'cloud-download', () => command('minilm.downloadModel'), { secondary, id: 'download-button' });
            case 'openSettings':
              return button(ctx.t('model.openSettings'), 'settings-gear', () => command('workbench.action.openSettings'), {
                secondary,
                id: 'open-settings-button',
              });
            case 'showLog':
              return button(ctx.t('model.showLog'), 'output', () => command('minilm.showLog'), { secondary, id: 'show-log-button' });
            case 'loadModel':
              return button(ctx.t('model.load'), 'refresh', load, { secondary, id: 'retry-load-button' });
          }
        });
        fix = h(
          'div',
          { class: 'error-box', role: 'alert', 'data-testid': 'model-error' },
          icon('error'),
          h(
            'div',
            {},
            h('strong', {}, `${status.error.code}: `),
            status.error.message,
            h('p', {}, h('strong', {}, `${ctx.t('model.fix')}: `), ctx.t(plan.hint)),
            h('div', { class: 'toolbar' }, ...actions),
          ),
        );
      }
      // A failed load also puts the engine in the error state, shown above with its fix: do not repeat it.
      const requestError = status.error && model.error?.code === status.error.code ? undefined : model.error;
      replaceChildren(output, header, ...rows, fix, metrics, source, errorBox(ctx, requestError));
    },
  };
}

/** Which server embeds: its kind, host and the model name sent. */
function remoteBackendView(ctx: TabContext, backend: NonNullable<ModelStatus['backend']>): HTMLElement {
  return h(
    'div',
    { class: 'stack', 'data-testid': 'model-backend' },
    h('div', { class: 'model-state', role: 'status' }, icon('cloud'), h('span', { class: 'state-text' }, `${ctx.t('model.backend')}: ${backend.api}`)),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, ctx.t('model.backend.endpoint')),
      h('dd', {}, h('code', { class: 'path', 'data-testid': 'backend-host' }, backend.host)),
      h('dt', {}, ctx.t('model.backend.model')),
      h('dd', { 'data-testid': 'backend-model' }, backend.model ?? ctx.t('model.backend.servedModel')),
    ),
    h('p', { class: 'muted' }, ctx.t('model.backend.hint')),
  );
}
