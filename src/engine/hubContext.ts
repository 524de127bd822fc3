import { EngineError, cancelled } from './errors';
import { MIRROR_HINT, hostOf } from './hubEndpoint';
import type { HubOptions } from './types';

// What every request of one download shares (fetch, cancellation, log, trust), what it expects of a file, and the
// errors a request ends in.

/** What the hub reports for one file of a repository at a revision. */
export interface HubFile {
  path: string;
  sha256?: string;
  size?: number;
}

export interface ExpectedFile extends HubFile {
  /** Git blob id, reported for files kept in git rather than LFS. */
  gitBlobSha1?: string;
}

export interface HubContext {
  fetch: typeof fetch;
  signal: AbortSignal | undefined;
  log: (message: string) => void;
  idleTimeoutMs: number;
  /** The revision is in the pinned table: server-reported digests are ignored. */
  pinned: boolean;
}

export function httpError(hub: HubOptions, file: string, url: string, status: number): EngineError {
  const where = `${hub.repository} at revision ${hub.revision} on ${hostOf(url)}`;
  if (status === 401 || status === 403) {
    return new EngineError(
      'DOWNLOAD_FAILED',
      `The hub refused ${file} from ${where} (HTTP ${status}): the repository does not exist, is private or is gated. Check the repository setting, or place the model files in a local folder.`,
    );
  }
  if (status === 404) {
    return new EngineError('DOWNLOAD_FAILED', `${file} was not found in ${where} (HTTP 404): check the repository and revision settings.`);
  }
  return new EngineError('DOWNLOAD_FAILED', `Downloading ${file} from ${where} failed with HTTP ${status}. ${MIRROR_HINT}`);
}

export function networkError(ctx: HubContext, error: unknown, what: string, url: string, kept?: number): EngineError {
  if (ctx.signal?.aborted) return cancelled();
  const resume = kept ? ` The partial file is kept and the next attempt resumes from byte ${kept}.` : '';
  return new EngineError('DOWNLOAD_FAILED', `Could not download ${what} from ${hostOf(url)} (${errorText(error)}). ${MIRROR_HINT}${resume}`);
}

export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail && detail !== error.message ? `${error.message}: ${detail}` : error.message;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** `"abc…"`, `W/"abc…"` or `abc…` → the lowercase hex digest, if it has the expected length. */
export function normalizeDigest(value: string | null | undefined, hexLength: 40 | 64): string | undefined {
  if (!value) return undefined;
  const digest = value.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  return digest.length === hexLength && /^[0-9a-f]+$/.test(digest) ? digest : undefined;
}
