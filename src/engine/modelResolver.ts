import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPinnedCache } from './cachedModelCheck';
import { readRecordedDigests, recordAsPin, recordDigests, RECORDED_DIGESTS_FILE, type RecordedDigests } from './recordedDigests';
import { EngineError } from './errors';
import { downloadModel, defaultHub, isCommit } from './hubDownload';
import { MODEL_CATALOGUE, RELEASE_PINNED, catalogueEntryFor, verifiedDtypes, type CatalogueEntry } from './modelCatalogue';
import { DEFAULT_REPOSITORY, hasDigest, pinnedRevisionFor, type PinnedRevision, type PinnedTable } from './pinnedDigests';
import { writeStConfigFiles } from './stConfigFiles';
import { MODEL_NAME, requiredFiles, type Dtype, type DownloadProgress, type HubOptions, type ModelSource } from './types';

export interface ResolveRequest {
  dtype: Dtype;
  /** Explicit folder from the caller, else MINILM_MODEL_DIR. When given, it is the only local place looked at. */
  modelDir?: string;
  projectModelsDir?: string;
  bundledModelsDir?: string;
  cacheDir?: string;
  allowDownload?: boolean;
  hub?: Partial<HubOptions>;
  signal?: AbortSignal;
  log: (message: string) => void;
  onDownload?: (progress: DownloadProgress) => void;
  env?: NodeJS.ProcessEnv;
  /** Digests each repository and revision is held to (defaults to the catalogue's, else the table shipped in this release). */
  pinned?: PinnedTable;
  /** Catalogue entries (tests inject their own); their pins and sentence-transformers configurations apply. */
  catalogue?: readonly CatalogueEntry[];
  /** The caller named the model (a catalogue id or a hub repository): MINILM_MODEL_DIR does not replace it. */
  modelNamed?: boolean;
}

export interface ResolvedModel {
  dir: string;
  source: ModelSource;
  /**
   * For the cache and the hub: checked against the digests pinned in this release, or against the digests the
   * hub reported when the repository and revision are not pinned.
   */
  verification?: 'pinned' | 'hub-reported';
  /**
   * The folder is all-MiniLM-L6-v2 by where it was found (the pinned default repository, or a folder named so
   * inside a models folder): without sentence-transformers files it is read with that model's configuration.
   */
  knownDefault?: boolean;
  /** Where the files came from, for the cache and the hub. */
  origin?: { catalogueId?: string; repository: string; revision: string };
}

/** Per-user cache: $XDG_CACHE_HOME/minilm-studio or ~/.cache/minilm-studio. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'minilm-studio');
}

/** Files of `requiredFiles(dtype)` that are absent from `dir`. */
export function missingFiles(dir: string, dtype: Dtype): string[] {
  return requiredFiles(dtype).filter((file) => !fs.existsSync(path.join(dir, file)));
}

/** A folder that is the model itself, or holds it as `all-MiniLM-L6-v2/` (as ../shared/models does). */
function modelFolderIn(dir: string, dtype: Dtype): string | undefined {
  return modelFolderFound(dir, dtype)?.dir;
}

/**
 * The model in `dir` or in `dir/<name>`. For a model other than the default only `dir/<name>` counts: a models
 * folder holding all-MiniLM-L6-v2 must not answer for bge-small-zh-v1.5.
 */
function modelFolderFound(dir: string, dtype: Dtype, name: string = MODEL_NAME): { dir: string; nested: boolean } | undefined {
  const nested = path.join(dir, name);
  const candidates = name === MODEL_NAME ? [dir, nested] : [nested];
  for (const candidate of candidates) {
    if (missingFiles(candidate, dtype).length === 0) return { dir: candidate, nested: candidate === nested || path.basename(candidate) === MODEL_NAME };
  }
  return undefined;
}

/** The default repository (transformers.js layout of all-MiniLM-L6-v2), whatever the revision. */
function isDefaultRepository(repository: string): boolean {
  return repository.toLowerCase() === DEFAULT_REPOSITORY.toLowerCase();
}

/** Folder under the cache for files whose digests came from a server, not from the pinned table. */
export const UNPINNED_CACHE_DIR = 'unpinned';

/**
 * The cache folder of a repository and revision. A pinned revision has `<cache>/<owner>/<name>/<commit>`; every
 * other source lives under `<cache>/unpinned/`, its revision one encoded folder name, so that no spelling of a
 * repository or revision (a branch such as main, capitals, "./<commit>", "..") reaches a pinned folder.
 */
export function cacheLocation(cacheDir: string, hub: HubOptions, table: PinnedTable = RELEASE_PINNED): { dir: string; pin?: PinnedRevision } {
  const trimmed = hub.revision.trim();
  const revision = isCommit(trimmed) ? trimmed.toLowerCase() : trimmed;
  const pin = pinnedRevisionFor(table, hub.repository, revision);
  if (pin) return { dir: path.join(cacheDir, ...pin.repository.split('/'), pin.revision), pin };
  const segments = hub.repository.split('/');
  if (segments.length !== 2 || segments.some((s) => !/^[\w.-]+$/.test(s) || s === '.' || s === '..') || revision === '') {
    throw new EngineError('INVALID_INPUT', `Hub repository "${hub.repository}" (revision "${hub.revision}") is not of the form owner/name with a revision.`);
  }
  const folder = encodeURIComponent(revision).replace(/\./g, '%2E');
  return { dir: path.join(cacheDir, UNPINNED_CACHE_DIR, ...segments, folder) };
}

/** Where {@link resolveModel} looks, in order, for a request: worked out once so that a lookup without side effects agrees with it. */
function lookupPlan(request: Omit<ResolveRequest, 'log'>) {
  const env = request.env ?? process.env;
  const { dtype } = request;
  const explicit = request.modelDir || (request.modelNamed ? undefined : env.MINILM_MODEL_DIR);
  const hub = { ...defaultHub(env), ...definedValues(request.hub ?? {}) };
  const catalogue = request.catalogue ?? MODEL_CATALOGUE;
  const table = request.pinned ?? (request.catalogue ? request.catalogue : RELEASE_PINNED);
  const knownDefault = isDefaultRepository(hub.repository);
  const entry = catalogueEntryFor(hub.repository, hub.revision.trim(), catalogue);
  // Only a model named by the caller (--model) is looked for under its own name in the local models folders; without
  // one they answer with all-MiniLM-L6-v2, as they always have.
  const named = Boolean(request.modelNamed) && !knownDefault;
  const localName = named ? (entry?.id ?? hub.repository.split('/').at(-1)!) : MODEL_NAME;
  const localFolders: Array<[string | undefined, 'project' | 'bundled', string]> = [
    [request.projectModelsDir, 'project', 'project models folder'],
    [request.bundledModelsDir, 'bundled', 'bundled models folder'],
  ];
  return { env, dtype, explicit, hub, table, knownDefault, entry, named, localName, localFolders, cacheDir: request.cacheDir ?? defaultCacheDir(env) };
}

/**
 * Where {@link resolveModel} would find the model right now, without downloading, hashing or writing anything: the
 * folder it would load, or undefined when it would have to download (or fail). For showing "downloaded" before a
 * choice; resolveModel still checks the files' digests when it loads them.
 */
export function findLocalModel(request: Omit<ResolveRequest, 'log'>): { dir: string; source: ModelSource } | undefined {
  const plan = lookupPlan(request);
  if (plan.explicit) {
    const found = modelFolderFound(path.resolve(plan.explicit), plan.dtype);
    return found && { dir: found.dir, source: 'folder' };
  }
  for (const [folder, source] of plan.localFolders) {
    const found = folder ? modelFolderFound(path.resolve(folder), plan.dtype, plan.localName) : undefined;
    if (found) return { dir: found.dir, source };
  }
  const found = modelFolderIn(cacheLocation(plan.cacheDir, plan.hub, plan.table).dir, plan.dtype);
  return found ? { dir: found, source: 'cache' } : undefined;
}

/**
 * Finds the model: the explicit folder, the project's models/ folder, the per-user cache, then the hub.
 * Each step is logged so that "where did my model come from" always has an answer.
 */
export async function resolveModel(request: ResolveRequest): Promise<ResolvedModel> {
  const { log } = request;
  const { dtype, explicit, hub, table, knownDefault, entry, named, localName, localFolders, cacheDir } = lookupPlan(request);
  if (explicit) {
    const dir = path.resolve(explicit);
    const found = modelFolderFound(dir, dtype);
    log(`model folder ${dir}: ${found ? `found (${found.dir})` : 'not usable'}`);
    if (found) return { dir: found.dir, source: 'folder', ...known(found.nested) };
    const missing = fs.existsSync(dir) ? missingFiles(dir, dtype).join(', ') : 'the folder itself';
    throw new EngineError(
      'MODEL_NOT_FOUND',
      `No ${dtype} model in ${dir} (missing ${missing}). Point the model folder at a folder with config.json, tokenizer.json and ${requiredFiles(dtype).at(-1)}, or clear it to use the cache or a download.`,
    );
  }
  const tried: string[] = [];
  for (const [folder, source, label] of localFolders) {
    if (!folder) continue;
    const dir = path.resolve(folder);
    const found = modelFolderFound(dir, dtype, localName);
    log(`${label} ${dir}: ${found ? `found (${found.dir})` : `no ${dtype} model`}`);
    if (found) {
      if (named && entry) applyCatalogueConfig(found.dir, entry, log);
      return { dir: found.dir, source, ...known(!named && found.nested) };
    }
    tried.push(path.join(dir, localName));
  }
  const { dir: cached, pin } = cacheLocation(cacheDir, hub, table);
  const verification = pin ? 'pinned' : 'hub-reported';
  const origin = { ...(entry ? { catalogueId: entry.id } : {}), repository: pin?.repository ?? hub.repository, revision: pin?.revision ?? hub.revision };
  const wanted = knownDefault ? MODEL_NAME : hub.repository;
  const label = pin ? `pinned ${pin.repository}@${pin.revision}` : `unpinned ${hub.repository}@${hub.revision}, digests as the hub reports them`;
  const found = modelFolderIn(cached, dtype);
  log(`cache ${cached} (${label}): ${found ? 'found' : 'no model'}`);
  if (found) {
    if (pin) await checkPinnedCache(found, requiredFiles(dtype), pin, log);
    else await checkRecordedCache(found, requiredFiles(dtype), log);
    if (entry && !knownDefault) applyCatalogueConfig(found, entry, log);
    return { dir: found, source: 'cache', verification, ...known(knownDefault), origin };
  }
  tried.push(cached);
  if (!request.allowDownload) {
    throw new EngineError(
      'MODEL_NOT_FOUND',
      `${wanted} (${dtype}) was not found. Looked in: ${tried.join('; ')}. Set the model folder (MINILM_MODEL_DIR, --model-dir or the minilm.modelFolder setting), or allow downloading from ${hub.endpoint}.`,
    );
  }
  // Only what is missing is fetched (the other dtype's folder already holds config and tokenizer); what is
  // there is checked first, as on a load.
  const missing = missingFiles(cached, dtype);
  if (pin) refuseUnverifiable(pin, dtype, missing);
  const present = requiredFiles(dtype).filter((file) => !missing.includes(file));
  if (pin) await checkPinnedCache(cached, present, pin, log);
  else await checkRecordedCache(cached, present, log);
  log(`downloading ${missing.join(', ')} of ${hub.repository}@${hub.revision} from ${hub.endpoint} into ${cached}`);
  await downloadModel({ hub, files: missing, destDir: cached, signal: request.signal, onProgress: request.onDownload, log, pinned: table });
  if (!pin) {
    await recordDigests(cached, { repository: hub.repository, revision: hub.revision, endpoint: hub.endpoint }, missing);
    log(`recorded the SHA-256 of ${missing.join(', ')} in ${path.join(cached, RECORDED_DIGESTS_FILE)}: later loads are checked against it`);
  }
  const downloaded = modelFolderIn(cached, dtype);
  if (!downloaded) throw new EngineError('DOWNLOAD_FAILED', `The download finished but ${cached} is still missing ${missingFiles(cached, dtype).join(', ')}.`);
  if (entry && !knownDefault) applyCatalogueConfig(downloaded, entry, log);
  return { dir: downloaded, source: 'hub', verification, ...known(knownDefault), origin };
}

/**
 * An unpinned cache is held to the digests recorded when it was downloaded. A folder filled by an earlier release
 * has no record: it loads as before, and says so.
 */
async function checkRecordedCache(dir: string, files: string[], log: (message: string) => void): Promise<void> {
  let record: RecordedDigests | undefined;
  try {
    record = readRecordedDigests(dir);
  } catch (error) {
    throw new EngineError('CHECKSUM_MISMATCH', (error as Error).message);
  }
  if (!record) {
    if (files.length > 0) log(`cache ${dir}: no digests were recorded when it was downloaded (an earlier release); not verified`);
    return;
  }
  const recorded = files.filter((file) => Object.hasOwn(record.files, file));
  for (const file of files.filter((f) => !recorded.includes(f))) log(`cache ${file}: no digest recorded for it; not verified`);
  await checkPinnedCache(dir, recorded, recordAsPin(record), log, {
    published: `what was recorded when it was downloaded from ${record.endpoint} (${record.repository}@${record.revision}) is`,
    digest: 'the digest recorded at download',
  });
}

/** The engine reads a transformers.js download with the configuration its original repository publishes. */
function applyCatalogueConfig(dir: string, entry: CatalogueEntry, log: (message: string) => void): void {
  let hiddenSize = entry.dimension;
  try {
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { hidden_size?: unknown };
    if (typeof config.hidden_size === 'number') hiddenSize = config.hidden_size;
  } catch {
    // readModelConfig reports an unreadable config.json, naming it.
  }
  writeStConfigFiles(dir, entry.st, hiddenSize, log);
}

/**
 * One clear line before any request when this release pins no digest for a file the dtype needs, naming the
 * dtype that can be verified.
 */
function refuseUnverifiable(pin: PinnedRevision, dtype: Dtype, missing: string[]): void {
  const unverifiable = missing.filter((file) => !hasDigest(pin.files[file]));
  if (unverifiable.length === 0) return;
  const other = verifiedDtypes(pin);
  const hint = other.length > 0 ? ` Use --dtype ${other.join(' or ')} (the "minilm.dtype" setting), whose files are all pinned.` : '';
  throw new EngineError(
    'DOWNLOAD_FAILED',
    `${unverifiable.join(', ')} of ${pin.repository}@${pin.revision} (${dtype}) cannot be verified: no digest published by the Hugging Face hub was found for it, and this release does not install a file on a server's word.${hint}`,
  );
}

/** `knownDefault: true`, or nothing. */
function known(isDefault: boolean): Pick<ResolvedModel, 'knownDefault'> {
  return isDefault ? { knownDefault: true } : {};
}

function definedValues<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
