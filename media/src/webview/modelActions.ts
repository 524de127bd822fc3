/** What the Model tab offers: the fix to try when the model fails, and which button is the primary one. */
import type { ModelStatus } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';

export interface ErrorFix {
  hint: StringKey;
  actions: Array<'chooseFolder' | 'download' | 'showLog' | 'load'>;
}

export function errorFix(code: string): ErrorFix {
  switch (code) {
    case 'MODEL_NOT_FOUND':
      return { hint: 'model.fix.notFound', actions: ['chooseFolder', 'download', 'showLog'] };
    case 'MODEL_CORRUPT':
    case 'CHECKSUM_MISMATCH':
    case 'WRONG_DIMENSION':
      return { hint: 'model.fix.notFound', actions: ['download', 'chooseFolder', 'showLog'] };
    default:
      return { hint: 'model.fix.generic', actions: ['load', 'showLog', 'chooseFolder'] };
  }
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
