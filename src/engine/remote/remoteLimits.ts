import type { TokenCount } from '../types';
import type { ServerLimits } from './remoteTypes';

/** Word pieces a text is fitted to for a server that publishes no max_input_length (all-MiniLM-L6-v2's limit). */
export const DEFAULT_REMOTE_INPUT_TOKENS = 256;

/**
 * Splits texts into consecutive request batches a server accepts: at most `maxTexts` texts (the caller's batch size
 * and the server's max_client_batch_size), and, when the server publishes max_batch_tokens, at most that many word
 * pieces. Without the tokenizer, a text counts as its UTF-16 length plus [CLS] and [SEP] (every piece covers at least
 * one unit), capped at the server's max_input_length since it truncates there: an upper bound, so no batch is
 * refused for its size.
 */
export function requestBatches(texts: readonly string[], maxTexts: number, limits: ServerLimits): Array<{ start: number; end: number }> {
  const most = Math.max(1, Math.min(maxTexts, limits.maxClientBatchSize ?? maxTexts));
  const tokenBudget = limits.maxBatchTokens;
  const cap = limits.maxInputLength ?? Number.POSITIVE_INFINITY;
  const batches: Array<{ start: number; end: number }> = [];
  let start = 0;
  let tokens = 0;
  texts.forEach((text, i) => {
    const estimate = Math.min(cap, text.length + 2);
    const full = i - start >= most || (tokenBudget !== undefined && i > start && tokens + estimate > tokenBudget);
    if (full) {
      batches.push({ start, end: i });
      start = i;
      tokens = 0;
    }
    tokens += estimate;
  });
  if (start < texts.length) batches.push({ start, end: texts.length });
  return batches;
}

/** TEI's GET /info fields this client uses, read defensively: a field that is not a positive integer is absent. */
export function limitsFromTeiInfo(info: unknown): ServerLimits {
  const record = (typeof info === 'object' && info !== null ? info : {}) as Record<string, unknown>;
  const positive = (key: string) => {
    const value = record[key];
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  return { maxClientBatchSize: positive('max_client_batch_size'), maxBatchTokens: positive('max_batch_tokens'), maxInputLength: positive('max_input_length') };
}

/**
 * Word pieces per text without the model's tokenizer: the text's UTF-16 length plus [CLS] and [SEP], an upper bound
 * (a word piece covers at least one unit). `truncated` says the server might cut the text at `limit`, so a caller
 * that must lose nothing (the workspace index) splits it first.
 */
export function estimatedTokenCounts(texts: readonly string[], limit: number): TokenCount[] {
  return texts.map((text) => ({ count: Math.min(limit, text.length + 2), truncated: text.length + 2 > limit }));
}
