// The `minilm.*` settings as the engine and the commands use them, read with workspace trust in mind. No vscode
// import: the caller passes `WorkspaceConfiguration.inspect`, so the rules are unit-tested.
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../engine/errors';
import { DTYPES, type Dtype, type EngineOptions } from '../engine/types';
import { parseModelSpec } from '../engine/modelSpec';
import { BACKENDS, type Backend, type RemoteEmbedderOptions, type SettingNames } from '../engine/remote';
import { isInside } from './containedPath';

/** What `WorkspaceConfiguration.inspect` returns (the layers this extension reads). */
export interface SettingLayers<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export type InspectSetting = <T>(key: string) => SettingLayers<T> | undefined;

/**
 * Settings a folder could use against the user (a model folder or endpoint of its choosing, files written outside
 * it, a model load the user did not ask for): in an untrusted workspace only the user's own value counts. Same list
 * as `capabilities.untrustedWorkspaces.restrictedConfigurations` in package.json (a unit test keeps them equal).
 */
export const RESTRICTED_SETTINGS = [
  'model',
  'modelFolder',
  'hubEndpoint',
  'hubRepository',
  'hubRevision',
  'resultsFolder',
  'allowDownload',
  'autoLoad',
  'backend',
  'backendEndpoint',
  'remoteModel',
] as const;

export interface StudioSettings {
  /** A catalogue id, owner/name[@revision] or a folder; empty: the default model (or `modelFolder`). */
  model: string;
  modelFolder: string;
  hubEndpoint: string;
  hubRepository: string;
  hubRevision: string;
  dtype: Dtype;
  batchSize: number;
  workers: number;
  resultsFolder: string;
  autoLoad: boolean;
  allowDownload: boolean;
  /** Where texts are embedded: this machine, or a serving engine at `backendEndpoint`. */
  backend: Backend;
  backendEndpoint: string;
  /** Model name for an openai or ollama backend; empty: the API's default name for all-MiniLM-L6-v2. */
  remoteModel: string;
}

const DEFAULTS: StudioSettings = {
  model: '',
  modelFolder: '',
  hubEndpoint: 'https://huggingface.co',
  hubRepository: 'Xenova/all-MiniLM-L6-v2',
  hubRevision: '',
  dtype: 'fp32',
  batchSize: 32,
  workers: 1,
  resultsFolder: 'results',
  autoLoad: false,
  allowDownload: true,
  backend: 'local',
  backendEndpoint: '',
  remoteModel: '',
};

function layered<T>(layers: SettingLayers<T> | undefined, trusted: boolean, restricted: boolean): T | undefined {
  if (!layers) return undefined;
  if (restricted && !trusted) return layers.globalValue ?? layers.defaultValue;
  return layers.workspaceFolderValue ?? layers.workspaceValue ?? layers.globalValue ?? layers.defaultValue;
}

/** Reads every setting (key without the `minilm.` prefix), falling back to the default for values of the wrong type. */
export function readStudioSettings(inspect: InspectSetting, trusted: boolean): StudioSettings {
  const read = <K extends keyof StudioSettings>(key: K, valid: (value: unknown) => boolean): StudioSettings[K] => {
    const restricted = (RESTRICTED_SETTINGS as readonly string[]).includes(key);
    const value = layered(inspect<StudioSettings[K]>(key), trusted, restricted);
    return valid(value) ? (value as StudioSettings[K]) : DEFAULTS[key];
  };
  const isString = (v: unknown) => typeof v === 'string';
  const isBoolean = (v: unknown) => typeof v === 'boolean';
  return {
    model: read('model', isString).trim(),
    modelFolder: read('modelFolder', isString).trim(),
    hubEndpoint: read('hubEndpoint', (v) => isString(v) && (v as string).trim() !== '').trim(),
    hubRepository: read('hubRepository', (v) => isString(v) && (v as string).trim() !== '').trim(),
    hubRevision: read('hubRevision', isString).trim(),
    dtype: read('dtype', (v) => (DTYPES as readonly unknown[]).includes(v)),
    batchSize: read('batchSize', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 512),
    workers: read('workers', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4),
    resultsFolder: read('resultsFolder', (v) => isString(v) && (v as string).trim() !== '').trim(),
    autoLoad: read('autoLoad', isBoolean),
    allowDownload: read('allowDownload', isBoolean),
    backend: read('backend', (v) => (BACKENDS as readonly unknown[]).includes(v)),
    backendEndpoint: read('backendEndpoint', isString).trim(),
    remoteModel: read('remoteModel', isString).trim(),
  };
}

/** What a remote backend's error messages tell an editor user to change. */
export const EDITOR_SETTING_NAMES: SettingNames = {
  endpoint: 'minilm.backendEndpoint',
  apiKey: 'the command "MiniLM: Set Backend API Key"',
  model: 'minilm.remoteModel',
  batchSize: 'minilm.batchSize',
  prompt: 'an explicit prompt text',
};

/**
 * The remote embedder the settings name, or undefined for the local engine. The API key comes from VS Code's
 * secret storage, never from a setting.
 */
export function remoteOptionsFrom(settings: StudioSettings, apiKey: string | undefined): RemoteEmbedderOptions | undefined {
  if (settings.backend === 'local') return undefined;
  return {
    api: settings.backend,
    endpoint: settings.backendEndpoint || undefined,
    model: settings.remoteModel || undefined,
    batchSize: settings.batchSize,
    policy: { apiKey: apiKey || undefined },
    names: EDITOR_SETTING_NAMES,
  };
}

export interface HostPaths {
  /** First workspace folder, if a local one is open. */
  readonly workspaceFolder?: string;
  /** `ExtensionContext.globalStorageUri.fsPath`. */
  readonly globalStorage: string;
  readonly workerPath: string;
  /** `ExtensionContext.extensionPath`: its `models/` holds the model the offline VSIX ships. */
  readonly extensionPath?: string;
  /**
   * `vscode.workspace.isTrusted`. An untrusted workspace's own `models/` folder is never searched: a cloned
   * repository must not get its ONNX file loaded by opening it.
   */
  readonly trusted: boolean;
}

/** `~` means the home folder; a relative path is relative to the workspace folder (or the home folder without one). */
export function resolveUserPath(value: string, workspaceFolder: string | undefined): string {
  if (value === '~') return os.homedir();
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(os.homedir(), value.slice(2));
  if (path.isAbsolute(value)) return path.normalize(value);
  return path.resolve(workspaceFolder ?? os.homedir(), value);
}

/**
 * Engine options for these settings. An empty model folder leaves `modelDir` unset so that the engine falls back to
 * MINILM_MODEL_DIR, then `<workspace>/models`, then the extension's own `models/` (the offline VSIX), then the
 * per-user cache under the extension's global storage.
 */
export function engineOptionsFrom(settings: StudioSettings, paths: HostPaths): EngineOptions {
  // Default values are left out so that the engine's own defaults (HF_ENDPOINT, the pinned revision) apply.
  const hub: NonNullable<EngineOptions['hub']> = {};
  if (settings.hubEndpoint !== DEFAULTS.hubEndpoint) hub.endpoint = settings.hubEndpoint;
  if (settings.hubRepository !== DEFAULTS.hubRepository) hub.repository = settings.hubRepository;
  if (settings.hubRevision) hub.revision = settings.hubRevision;
  let modelDir = settings.modelFolder ? resolveUserPath(settings.modelFolder, paths.workspaceFolder) : undefined;
  let modelNamed: boolean | undefined;
  if (settings.model) {
    // minilm.model wins over the folder and hub settings; an invalid value throws (the caller reports it).
    const spec = parseModelSpec(
      settings.model.startsWith('~') ? resolveUserPath(settings.model, paths.workspaceFolder) : settings.model,
      undefined,
      paths.workspaceFolder ?? os.homedir(),
    );
    if (spec.kind === 'folder') modelDir = spec.dir;
    else {
      modelDir = undefined;
      modelNamed = true;
      hub.repository = spec.kind === 'catalogue' ? spec.entry.repository : spec.repository;
      hub.revision = spec.kind === 'catalogue' ? spec.entry.revision : spec.revision;
    }
  }
  return {
    modelDir,
    ...(modelNamed ? { modelNamed } : {}),
    projectModelsDir: paths.workspaceFolder && paths.trusted ? path.join(paths.workspaceFolder, 'models') : undefined,
    bundledModelsDir: paths.extensionPath ? path.join(paths.extensionPath, 'models') : undefined,
    cacheDir: path.join(paths.globalStorage, 'models'),
    dtype: settings.dtype,
    batchSize: settings.batchSize,
    // The setting allows up to 4; the engine refuses more workers than the machine has cores.
    workers: Math.min(settings.workers, Math.max(1, os.availableParallelism())),
    allowDownload: settings.allowDownload,
    hub,
    workerPath: paths.workerPath,
  };
}

/**
 * Where example results go: the results folder inside the workspace, undefined without a workspace. A value that
 * leaves the workspace folder (`../x`, an absolute path elsewhere) is refused with an error saying so: settings may
 * come from a cloned repository. Symbolic links are checked where the folder is used (`isReallyWithin`).
 */
export function resultsFolderPath(settings: StudioSettings, workspaceFolder: string | undefined): string | undefined {
  if (!workspaceFolder) return undefined;
  const dir = path.resolve(workspaceFolder, settings.resultsFolder);
  if (!isInside(workspaceFolder, dir)) throw resultsFolderOutside(settings.resultsFolder, workspaceFolder);
  return dir;
}

/** The workspace folder holding `file` (the innermost when folders nest), else the first; undefined without any. */
export function workspaceFolderOf(file: string | undefined, folders: readonly string[]): string | undefined {
  const holding = file === undefined ? [] : folders.filter((folder) => isInside(folder, file));
  return [...holding].sort((a, b) => b.length - a.length)[0] ?? folders[0];
}

/**
 * Where results about `file` go in a multi-root workspace: the results folder of the workspace folder holding it,
 * as that folder's settings name it (minilm.resultsFolder is folder-scoped).
 */
export function resultsFolderFor(
  file: string | undefined,
  folders: readonly string[],
  settingsOf: (folder: string) => StudioSettings,
): { folder: string; results: string } | undefined {
  const folder = workspaceFolderOf(file, folders);
  if (folder === undefined) return undefined;
  return { folder, results: resultsFolderPath(settingsOf(folder), folder)! };
}

export function resultsFolderOutside(value: string, workspaceFolder: string): EngineError {
  return new EngineError(
    'INVALID_INPUT',
    `The results folder "${value}" (setting minilm.resultsFolder) is outside the workspace folder ${workspaceFolder}. Use a folder inside the workspace, such as "results".`,
  );
}
