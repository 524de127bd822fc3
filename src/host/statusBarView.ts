// What the status bar item shows for each engine state. Pure, so every state's text is unit-tested.
import { MODEL_NAME, type Dtype, type EngineState } from '../engine/types';
import type { Translate } from '../shared/translate';

export interface StatusBarView {
  /** With codicons, e.g. `$(check) MiniLM fp32`. */
  text: string;
  tooltip: string;
  /** Command run on click. */
  command: 'minilm.loadModel' | 'minilm.openStudio' | 'minilm.showLog';
  /** Shown with the error background colour. */
  error: boolean;
}

export function formatMegabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/** Percentage of a download, or undefined while the size is unknown. */
export function downloadPercent(received: number, total: number | undefined): number | undefined {
  if (!total || total <= 0) return undefined;
  return Math.min(100, Math.floor((received / total) * 100));
}

/**
 * `configured` names the model the settings pick when it is not the default (a catalogue id, hub repository or
 * folder name): before it is loaded, the item says which model a click would load.
 */
export function statusBarView(state: EngineState, dtype: Dtype, t: Translate, configured?: string): StatusBarView {
  switch (state.kind) {
    case 'unloaded':
      return {
        text: configured ? t('$(circle-large-outline) MiniLM · {0}', configured) : t('$(circle-large-outline) MiniLM'),
        tooltip: configured
          ? t('MiniLM: {0} not loaded ({1}). Click to load it.', configured, dtype)
          : t('MiniLM: model not loaded ({0}). Click to load it.', dtype),
        command: 'minilm.loadModel',
        error: false,
      };
    case 'downloading': {
      const percent = downloadPercent(state.received, state.total);
      return {
        text: percent === undefined ? t('$(cloud-download) MiniLM {0} MB', formatMegabytes(state.received)) : t('$(cloud-download) MiniLM {0}%', percent),
        tooltip:
          state.total === undefined
            ? t('MiniLM: downloading {0} ({1} MB)', state.file, formatMegabytes(state.received))
            : t('MiniLM: downloading {0} ({1} of {2} MB)', state.file, formatMegabytes(state.received), formatMegabytes(state.total)),
        command: 'minilm.showLog',
        error: false,
      };
    }
    case 'loading':
      return {
        text: t('$(loading~spin) MiniLM'),
        tooltip: t('MiniLM: loading the model ({0})…', dtype),
        command: 'minilm.showLog',
        error: false,
      };
    case 'ready': {
      const info = state.info;
      return {
        // Another model than the default is named, so the user sees which one scores (English-only or multilingual).
        text: info.name === MODEL_NAME ? t('$(check) MiniLM {0}', info.dtype) : t('$(check) MiniLM {0} · {1}', info.name, info.dtype),
        tooltip: t(
          'MiniLM: {0} {1} ready ({2} dimensions, max {3} word pieces), from {4} ({5}), loaded in {6} ms. Click to open the Studio.',
          info.name,
          info.dtype,
          info.dimension,
          info.maxSeqLength,
          info.dir,
          info.source,
          Math.round(info.loadMs),
        ),
        command: 'minilm.openStudio',
        error: false,
      };
    }
    case 'error':
      return {
        text: configured ? t('$(error) MiniLM · {0}', configured) : t('$(error) MiniLM'),
        tooltip: t('MiniLM: {0} ({1}). Click to show the log.', state.message, state.code),
        command: 'minilm.showLog',
        error: true,
      };
  }
}

/** With a remote backend the local model's state does not matter: the item names where texts are embedded. */
export function remoteStatusBarView(backend: { api: string; host: string; model: string | undefined }, t: Translate): StatusBarView {
  return {
    text: t('$(cloud) MiniLM · {0}', backend.api),
    tooltip: backend.model
      ? t(
          'MiniLM: texts are embedded by the {0} backend at {1}, model {2} (minilm.backend). Click to open the Studio.',
          backend.api,
          backend.host,
          backend.model,
        )
      : t('MiniLM: texts are embedded by the {0} backend at {1} (minilm.backend). Click to open the Studio.', backend.api, backend.host),
    command: 'minilm.openStudio',
    error: false,
  };
}
