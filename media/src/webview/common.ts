import type { RequestError } from '../../../src/shared/studioProtocol';
import { h, icon } from './dom';
import type { Busy } from './studioState';
import type { TabContext } from './context';

/** An inline error box (role=alert so screen readers announce it). */
export function errorBox(ctx: TabContext, error: RequestError | undefined): HTMLElement | null {
  if (!error) return null;
  if (error.code === 'CANCELLED') return h('p', { class: 'notice', role: 'status' }, icon('circle-slash'), ' ', ctx.t('common.cancelled'));
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    icon('error'),
    h('span', {}, h('strong', {}, `${ctx.t('common.error')} (${error.code}): `), error.message),
  );
}

/** A progress bar (determinate once the host reports progress) with an optional cancel button. */
export function busyIndicator(ctx: TabContext, busy: Busy | undefined, onCancel?: () => void): HTMLElement | null {
  if (!busy) return null;
  const bar = document.createElement('vscode-progress-bar') as HTMLElement & { value?: number; max: number };
  const known = busy.total !== undefined && busy.total > 0;
  if (known) {
    bar.max = busy.total!;
    bar.value = busy.done ?? 0;
  }
  const label = known ? ctx.t('examples.progress', busy.done ?? 0, busy.total!) : ctx.t('common.working');
  bar.setAttribute('aria-label', label);
  return h(
    'div',
    { class: 'busy', 'aria-live': 'polite' },
    bar,
    h(
      'div',
      { class: 'busy-row' },
      h('span', { class: 'muted' }, label),
      onCancel ? button(ctx.t('search.cancel'), 'stop-circle', onCancel, { secondary: true, id: 'cancel-button' }) : null,
    ),
  );
}

export function button(
  label: string,
  iconName: string | undefined,
  onClick: () => void,
  options: { secondary?: boolean; id?: string; disabled?: boolean } = {},
): HTMLElement {
  const b = h('vscode-button', {
    id: options.id,
    icon: iconName,
    secondary: options.secondary,
    disabled: options.disabled,
    on: { click: () => onClick() },
  });
  b.textContent = label;
  return b;
}

export function textarea(id: string, label: string, value: string, rows: number, onInput: (value: string) => void): HTMLElement & { value: string } {
  const area = h('vscode-textarea', { id, rows, resize: 'vertical', 'aria-label': label, class: 'full' }) as unknown as HTMLElement & { value: string };
  area.value = value;
  area.addEventListener('input', () => onInput(area.value));
  return area;
}

/** Keeps a field in step with the state when something else (a command) changed it. */
export function syncValue(field: { value: string }, value: string): void {
  if (field.value !== value) field.value = value;
}

export function labelled(label: string, forId: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('vscode-label', { for: forId }, label), control);
}

export function metric(label: string, value: string, testId: string, extraClass = ''): HTMLElement {
  return h(
    'div',
    { class: `metric ${extraClass}`.trim(), 'data-testid': testId },
    h('div', { class: 'metric-label' }, label),
    h('div', { class: 'metric-value' }, value),
  );
}
