/** Pieces both tabs' comparisons draw: the second model's error box with its fixes, and signed differences. */
import type { RequestError, WebviewCommand } from '../../../src/shared/studioProtocol';
import type { ErrorAction } from '../../../src/shared/errorActions';
import { h, icon } from './dom';
import { button, errorBox } from './common';
import type { TabContext } from './context';
import { formatScore } from './formatting';
import { compareErrorFix } from './comparisonView';

/** A difference with its sign, so that "the second model scores higher" reads at a glance. */
export function signedScore(value: number, digits = 4): string {
  const text = formatScore(value, digits);
  return value > 0 && text !== formatScore(0, digits) ? `+${text}` : text;
}

const COMMANDS: Partial<Record<ErrorAction, { command: WebviewCommand; label: 'model.openSettings' | 'model.showLog'; icon: string }>> = {
  openSettings: { command: 'workbench.action.openSettings', label: 'model.openSettings', icon: 'settings-gear' },
  showLog: { command: 'minilm.showLog', label: 'model.showLog', icon: 'output' },
};

/**
 * The second model's failure in one line, naming it, with the fixes that apply to it; the first model's result above
 * stays as it was. A cancelled comparison reads as cancelled, not as an error.
 */
export function compareErrorBox(ctx: TabContext, error: RequestError | undefined, model: string): HTMLElement | null {
  if (!error) return null;
  if (error.code === 'CANCELLED') return errorBox(ctx, error);
  const plan = compareErrorFix(error.code, ctx.state().model.status?.allowDownload ?? false);
  const run = (command: WebviewCommand) => void ctx.connection.request('command/run', { command });
  const actions = plan.actions.flatMap((action) => {
    const c = COMMANDS[action];
    return c ? [button(ctx.t(c.label), c.icon, () => run(c.command), { secondary: true })] : [];
  });
  return h(
    'div',
    { class: 'error-box', role: 'alert', 'data-testid': 'compare-error', 'data-code': error.code },
    icon('error'),
    h(
      'div',
      { class: 'stack' },
      h('span', { 'data-testid': 'compare-error-line' }, ctx.t('compare.failed', model, error.message.split('\n')[0] ?? '')),
      h('span', { class: 'muted' }, ctx.t(plan.hint)),
      actions.length > 0 ? h('div', { class: 'toolbar' }, ...actions) : null,
    ),
  );
}
