import { setTimeout as delay } from 'node:timers/promises';
import { EngineError, cancelled } from '../errors';
import { CLI_NAMES, type RemoteApi, type SettingNames } from './remoteTypes';

/** How one backend is asked: its key, and how long and how often to wait for it. */
export interface RequestPolicy {
  /** Sent as `Authorization: Bearer <key>`; never written into a message. */
  apiKey?: string;
  /** Longest wait for one answer (connection, server work and body). */
  timeoutMs: number;
  /** Retries after 429 or 503 before the status is reported as an error. */
  maxRetries: number;
  /** Longest wait before one retry, whatever Retry-After asks for. */
  maxRetryWaitMs: number;
  /** Waits before a retry; tests replace it to see the waits asked for without spending them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told of each retry, for a verbose log. */
  onRetry?: (retry: { status: number; waitMs: number; attempt: number }) => void;
}

/** Which backend a request went to, as every error message names it. */
export interface BackendPlace {
  api: RemoteApi;
  endpoint: string;
  /** What error messages call the settings (default: the CLI's options). */
  names?: SettingNames;
}

export const DEFAULT_POLICY: RequestPolicy = { timeoutMs: 60_000, maxRetries: 5, maxRetryWaitMs: 30_000 };

/** First wait when the server gives no Retry-After; doubles with each retry. */
const FIRST_BACKOFF_MS = 500;

/**
 * Sends one JSON request and returns the parsed answer. 429 and 503 are retried (after Retry-After when the server
 * sends one, else with doubling backoff, both bounded); every failure becomes one EngineError saying what to do.
 * `signal` cancels at once, a retry wait included.
 */
export async function requestJson(url: URL, body: unknown, place: BackendPlace, policy: RequestPolicy, signal?: AbortSignal): Promise<unknown> {
  const sleep = policy.sleep ?? sleepUnlessAborted;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (policy.apiKey) headers.authorization = `Bearer ${policy.apiKey}`;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const names = place.names ?? CLI_NAMES;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelled();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, { method: payload === undefined ? 'GET' : 'POST', headers, body: payload, signal: stop });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      if (timeout.aborted) {
        throw new EngineError(
          'REMOTE_UNREACHABLE',
          `${describe(place)} did not answer within ${policy.timeoutMs / 1000} s: check that it is up${names.timeout ? `, or allow longer with ${names.timeout}` : ''}.`,
        );
      }
      throw unreachable(error, place);
    }
    if ((status === 429 || status === 503) && attempt <= policy.maxRetries) {
      const waitMs = Math.min(policy.maxRetryWaitMs, retryAfterMs(retryAfter) ?? FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      policy.onRetry?.({ status, waitMs, attempt });
      await sleep(waitMs, signal);
      continue;
    }
    if (status < 200 || status >= 300) throw statusError(status, text, place, url, policy.apiKey !== undefined && policy.apiKey !== '');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new EngineError(
        'REMOTE_BAD_RESPONSE',
        `${describe(place)} answered ${url.pathname} with something that is not JSON (${excerpt(text)}): is ${names.endpoint} a ${place.api} server?`,
      );
    }
  }
}

/** "the tei backend at http://host:8080". */
export function describe(place: BackendPlace): string {
  return `the ${place.api} backend at ${place.endpoint}`;
}

/**
 * Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw cancelled();
  }
}

/** Network failures, named by their system error code (undici puts it on `cause`). */
function unreachable(error: unknown, place: BackendPlace): EngineError {
  const endpoint = (place.names ?? CLI_NAMES).endpoint;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is the server running on that port?',
    ENOTFOUND: `host not found: check the host name in ${endpoint}`,
    EAI_AGAIN: `host name could not be resolved now: check the network and ${endpoint}`,
    ECONNRESET: `the server closed the connection: check that ${endpoint} is the server, and its logs`,
    EHOSTUNREACH: `host unreachable: check the network and ${endpoint}`,
    ETIMEDOUT: `connection timed out: check the network and ${endpoint}`,
  };
  const reason = (code && why[code]) ?? `${cause?.message ?? (error as Error).message}: check ${endpoint}`;
  return new EngineError('REMOTE_UNREACHABLE', `cannot reach ${describe(place)} (${reason})`);
}

/** An error status as one line: what the server said, and what to change. */
function statusError(status: number, text: string, place: BackendPlace, url: URL, keyGiven: boolean): EngineError {
  const names = place.names ?? CLI_NAMES;
  const said = serverMessage(text);
  const saying = said ? `: ${said.replace(/[.\s]+$/, '')}` : '';
  if (status === 401 || status === 403) {
    const advice = keyGiven ? `check the key given with ${names.apiKey}` : `give its API key with ${names.apiKey}`;
    return new EngineError('REMOTE_UNAUTHORIZED', `${describe(place)} refused the request (${status}${saying}): ${advice}.`);
  }
  if (status === 404) {
    const advice =
      place.api === 'tei'
        ? `check ${names.endpoint} (no ${url.pathname} there)`
        : place.api === 'openai'
          ? `check ${names.model} and ${names.endpoint} (an OpenAI-compatible endpoint usually ends in /v1; ${url.pathname} was not found)`
          : `check ${names.model} (for Ollama, \`ollama pull <model>\` first) and ${names.endpoint}`;
    return new EngineError('REMOTE_NOT_FOUND', `${describe(place)} answered 404${saying}: ${advice}.`);
  }
  if (status === 413) return new EngineError('REMOTE_FAILED', `${describe(place)} refused a request as too large (413${saying}): lower ${names.batchSize}.`);
  if (status === 429 || status === 503)
    return new EngineError(
      'REMOTE_FAILED',
      `${describe(place)} is still busy (${status}${saying}) after retrying: try again later, or lower ${names.batchSize}.`,
    );
  return new EngineError('REMOTE_FAILED', `${describe(place)} answered ${status}${saying}.`);
}

/** The message in an error body of any of the three APIs ({"error": "…"} or {"error": {"message": "…"}}), or its text. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body?.error;
    if (typeof error === 'string') return excerpt(error);
    if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
      return excerpt((error as { message: string }).message);
    if (typeof body?.message === 'string') return excerpt(body.message);
  } catch {
    // not JSON: show the text itself
  }
  return excerpt(text);
}

function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
