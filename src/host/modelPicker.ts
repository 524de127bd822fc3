// The Model tab's picker as the host sees it: the catalogue for the configured dtype, what `minilm.model` says, and
// where each entry would load from without a download. No vscode import: settings and paths come in, so it is
// unit-tested with real folders.
import path from 'node:path';
import { DEFAULT_CATALOGUE_ID, MODEL_CATALOGUE, downloadSize, findLocalModel, parseModelSpec, verifiedDtypes, type CatalogueEntry } from '../engine';
import type { CatalogueItemView, ModelPickerView } from '../shared/studioProtocol';
import { engineOptionsFrom, type HostPaths, type SettingLayers, type StudioSettings } from './studioSettings';

/**
 * The `minilm.model` value that picks this entry. The default model is the setting's empty default, so that
 * `minilm.modelFolder` and MINILM_MODEL_DIR (which only apply while `minilm.model` is empty) work again after a
 * user goes back to it.
 */
export function settingValueFor(entry: CatalogueEntry): string {
  return entry.id === DEFAULT_CATALOGUE_ID ? '' : entry.id;
}

/** The catalogue entry a `minilm.model` value names ('' names the default), or undefined for a folder or hub repository. */
export function catalogueIdOf(value: string, paths: Pick<HostPaths, 'workspaceFolder'>): string | undefined {
  if (value.trim() === '') return DEFAULT_CATALOGUE_ID;
  try {
    const spec = parseModelSpec(value, MODEL_CATALOGUE, paths.workspaceFolder);
    return spec.kind === 'catalogue' ? spec.entry.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The short name of the model `minilm.model` names, for the status bar before it is loaded: a catalogue id, a hub
 * repository, or a folder's name; undefined for the default model (the status bar then says only "MiniLM").
 */
export function configuredModelName(value: string, paths: Pick<HostPaths, 'workspaceFolder'>): string | undefined {
  const id = catalogueIdOf(value, paths);
  if (id !== undefined) return id === DEFAULT_CATALOGUE_ID ? undefined : id;
  try {
    const spec = parseModelSpec(value, MODEL_CATALOGUE, paths.workspaceFolder);
    return spec.kind === 'folder' ? path.basename(spec.dir) : value.trim();
  } catch {
    return value.trim();
  }
}

export function modelPickerView(settings: StudioSettings, paths: HostPaths, env: NodeJS.ProcessEnv = process.env): ModelPickerView {
  const currentId = catalogueIdOf(settings.model, paths);
  const entries = MODEL_CATALOGUE.map((entry): CatalogueItemView => {
    // The options the engine would get after this pick, so "downloaded" means what the engine will find.
    const options = engineOptionsFrom({ ...settings, model: settingValueFor(entry) }, paths);
    const local = findLocalModel({ ...options, dtype: settings.dtype, env });
    return {
      id: entry.id,
      baseModel: entry.baseModel,
      repository: entry.repository,
      revision: entry.revision,
      languageSummary: entry.languageSummary,
      dimension: entry.dimension,
      pooling: [...entry.st.pooling],
      licence: entry.licence,
      similarityFunction: entry.st.similarityFunction,
      download: downloadSize(entry, settings.dtype),
      verifiedDtypes: verifiedDtypes(entry),
      ...(local && local.source !== 'hub' ? { local: { source: local.source, dir: local.dir } } : {}),
      current: entry.id === currentId,
    };
  });
  return { dtype: settings.dtype, setting: settings.model, modelFolder: settings.modelFolder, entries, allowDownload: settings.allowDownload };
}

export type SettingTarget = 'global' | 'workspace' | 'workspaceFolder';

/**
 * Where a picker change of `minilm.model` is written, and what: the layer whose value is in effect (as a settings
 * edit in VS Code would), else the user settings. In an untrusted workspace the workspace layers do not apply to
 * this restricted setting, so the user settings are written. Going back to the default writes '' (the setting's
 * default), so that in a workspace layer it also hides a user value naming another model.
 */
export function modelSettingUpdate(layers: SettingLayers<string> | undefined, trusted: boolean, value: string): { target: SettingTarget; value: string } {
  const target: SettingTarget =
    trusted && layers?.workspaceFolderValue !== undefined ? 'workspaceFolder' : trusted && layers?.workspaceValue !== undefined ? 'workspace' : 'global';
  return { target, value };
}
