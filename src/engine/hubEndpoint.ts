import { EngineError } from './errors';
import { DEFAULT_REPOSITORY, PINNED_REVISION } from './pinnedDigests';
import type { HubOptions } from './types';

// Where a download goes: the hub or mirror, repository and revision, checked before any request is made.

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export const MIRROR_HINT = 'Check the network connection, or set HF_ENDPOINT (or the "minilm.hubEndpoint" setting) to a mirror such as https://hf-mirror.com.';

export function defaultHub(env: NodeJS.ProcessEnv = process.env): HubOptions {
  const endpoint = env.HF_ENDPOINT?.trim();
  return {
    endpoint: normalizeEndpoint(endpoint ? endpoint : DEFAULT_ENDPOINT),
    repository: DEFAULT_REPOSITORY,
    revision: PINNED_REVISION,
  };
}

export function fileUrl(hub: HubOptions, file: string): string {
  return `${trimSlashes(hub.endpoint)}/${encodeSegments(hub.repository)}/resolve/${encodeURIComponent(hub.revision)}/${encodeSegments(file)}`;
}

/** The hub's file listing with LFS sha256 and sizes (`HfApi.model_info(files_metadata=True)`). */
export function metadataUrl(hub: HubOptions): string {
  return `${trimSlashes(hub.endpoint)}/api/models/${encodeSegments(hub.repository)}/revision/${encodeURIComponent(hub.revision)}?blobs=true`;
}

export function validateHub(hub: HubOptions): HubOptions {
  if (
    !hub ||
    typeof hub.repository !== 'string' ||
    !/^[\w.-]+\/[\w.-]+$/.test(hub.repository) ||
    hub.repository.split('/').some((s) => s === '.' || s === '..')
  ) {
    throw new EngineError('INVALID_INPUT', `Hub repository "${hub?.repository}" is not of the form owner/name.`);
  }
  if (typeof hub.revision !== 'string' || hub.revision.trim() === '') {
    throw new EngineError('INVALID_INPUT', 'Hub revision is empty: give a commit hash (or a branch such as main).');
  }
  const revision = hub.revision.trim();
  // Commits are hex: one spelled in capitals is the same commit (and, on most file systems, the same folder).
  return { endpoint: normalizeEndpoint(hub.endpoint), repository: hub.repository, revision: isCommit(revision) ? revision.toLowerCase() : revision };
}

/** A full commit hash (any case), as opposed to a branch, tag or abbreviated commit. */
export function isCommit(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}

export function validateFiles(files: string[]): string[] {
  if (!Array.isArray(files) || files.length === 0) throw new EngineError('INVALID_INPUT', 'No files to download.');
  for (const file of files) {
    const segments = typeof file === 'string' ? file.split('/') : [];
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
      throw new EngineError('INVALID_INPUT', `"${String(file)}" is not a repository-relative file path.`);
    }
  }
  return [...new Set(files)];
}

export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EngineError('INVALID_INPUT', `Hub endpoint "${endpoint}" is not a URL; use e.g. https://huggingface.co or https://hf-mirror.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EngineError('INVALID_INPUT', `Hub endpoint "${endpoint}" must be an http(s) URL, e.g. https://hf-mirror.com.`);
  }
  return trimSlashes(endpoint.trim());
}

export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

export function encodeSegments(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
