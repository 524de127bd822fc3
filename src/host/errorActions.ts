// Which fixes an error message offers, by engine error code. Pure: the extension maps them to labels and commands.

export type ErrorAction = 'chooseModelFolder' | 'downloadModel' | 'openSettings' | 'showLog' | 'loadModel';

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
