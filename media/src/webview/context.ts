import type { RequestParams, RequestResult, StudioMethod } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';
import type { Slot, StudioAction, StudioState } from './studioState';
import type { HostConnection } from './hostConnection';

/** What every tab gets from the app. */
export interface TabContext {
  t(key: StringKey, ...args: Array<string | number>): string;
  dispatch(action: StudioAction): void;
  state(): StudioState;
  connection: HostConnection;
  /**
   * Sends a request for a part of the UI: marks it busy, records progress, and on success passes the result to
   * `onResult` (which dispatches what it needs); errors are recorded in the slot and shown inline.
   */
  run<M extends StudioMethod>(slot: Slot, method: M, params: RequestParams<M>, onResult: (result: RequestResult<M>, id: number) => void): number;
  cancel(slot: Slot): void;
}

export interface Tab {
  element: HTMLElement;
  render(state: StudioState, previous: StudioState | undefined): void;
}
