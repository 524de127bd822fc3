// Which fixes a failure offers, by engine error code: the one table behind the host's error notifications and the
// Studio panel's error box. Pure: each side maps an action to its own label and control.

export type ErrorAction = 'chooseModelFolder' | 'downloadModel' | 'openSettings' | 'showLog' | 'loadModel';

/** What `workbench.action.openSettings` searches for: this extension's settings. */
export const SETTINGS_QUERY = '@ext:minilm-studio.minilm-studio';

/** `allowDownload` is the `minilm.allowDownload` setting: with it off, a missing model offers no download. */
export function errorActions(code: string | undefined, allowDownload: boolean): ErrorAction[] {
  switch (code) {
    case 'MODEL_NOT_FOUND':
      return allowDownload ? ['chooseModelFolder', 'downloadModel', 'openSettings'] : ['chooseModelFolder', 'openSettings', 'showLog'];
    case 'MODEL_CORRUPT':
    case 'CHECKSUM_MISMATCH':
      return ['downloadModel', 'chooseModelFolder', 'showLog'];
    case 'DOWNLOAD_FAILED':
      // A mirror (hub endpoint setting) or a local copy are the ways around a blocked hub.
      return ['openSettings', 'chooseModelFolder', 'showLog'];
    case 'WRONG_DIMENSION':
    // A module, pooling mode or activation the engine does not run: another folder is the only way on.
    case 'MODEL_UNSUPPORTED':
      return ['chooseModelFolder', 'showLog'];
    case 'WORKER_FAILED':
      return ['loadModel', 'showLog'];
    default:
      return ['showLog'];
  }
}
