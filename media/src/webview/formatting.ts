/** Numbers and templates as the Studio panel prints them. */

/** A score with a fixed number of decimals; `-0.0000` prints as `0.0000`, non-finite values as an em dash. */
export function formatScore(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Bytes as B / KB / MB / GB with one decimal (1 KB = 1024 B, as the OS shows memory). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Download progress as a percentage (0–100, one decimal) or undefined when the size is unknown. */
export function downloadPercent(received: number, total: number | undefined): number | undefined {
  if (total === undefined || !(total > 0)) return undefined;
  return Math.min(100, Math.round((received / total) * 1000) / 10);
}

/** The webview's name for the one placeholder fill (src/shared/translate). */
export { fillPlaceholders as formatTemplate } from '../../../src/shared/translate';
