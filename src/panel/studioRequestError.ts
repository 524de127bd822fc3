/** Refusals and failures of a Studio request, each one line the webview shows inline. */
import type { StudioDtype } from '../shared/studioProtocol';

/** A request failure the webview shows inline. */
export class StudioRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why a catalogue entry cannot be downloaded in this dtype, with the dtype that can. */
export function unverifiableReason(id: string, dtype: StudioDtype, verified: readonly StudioDtype[]): string {
  const other = verified.length > 0 ? ` Switch Weights to ${verified.join(' or ')}, whose files are all pinned.` : '';
  return `${id} (${dtype}) has no published digest for its files, so this release does not download it.${other}`;
}

export const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
