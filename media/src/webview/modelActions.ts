/** What the Model tab offers: the fix to try when the model fails, and which button is the primary one. */
import type { ModelStatus } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';
import { errorActions, type ErrorAction } from '../../../src/shared/errorActions';

export interface ErrorFix {
  hint: StringKey;
  actions: ErrorAction[];
}

/** The fixes the error notifications offer (src/shared/errorActions), with the line of advice above them. */
export function errorFix(code: string, allowDownload: boolean): ErrorFix {
  const actions = errorActions(code, allowDownload);
  const hint: StringKey =
    code === 'MODEL_NOT_FOUND' && !allowDownload
      ? 'model.fix.notFoundNoDownload'
      : code === 'MODEL_NOT_FOUND' || actions.includes('downloadModel')
        ? 'model.fix.notFound'
        : 'model.fix.generic';
  return { hint, actions };
}

/**
 * The Model tab's one primary button for a state: Download when the chosen catalogue entry is not on this machine
 * (the picker's button; nothing else can work before it), the first fix while the model is in error, Load until the
 * model is loaded, none once it is ready or busy (the other tabs' compute buttons lead then).
 */
export function modelPrimaryAction(status: ModelStatus | undefined, currentNeedsDownload = false): 'download' | 'fix' | 'load' | undefined {
  if (currentNeedsDownload) return 'download';
  if (!status) return undefined;
  if (status.error || status.state === 'error') return 'fix';
  return status.state === 'unloaded' ? 'load' : undefined;
}
