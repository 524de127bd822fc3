import { parseWebviewMessage } from '../shared/studioMessageValidation';
import type { HostMessage, HostResponse, StudioMethod } from '../shared/studioProtocol';
import { toRequestError, type createStudioRequestHandlers } from './studioRequests';

export interface DispatcherLog {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Validates each message from the webview, runs requests with a cancellation signal per request id, and posts their
 * progress and one response each. Invalid messages are logged and ignored (a webview is untrusted input).
 */
export class StudioDispatcher {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly handlers: ReturnType<typeof createStudioRequestHandlers>,
    private readonly post: (message: HostMessage) => void,
    private readonly log: DispatcherLog,
    private readonly onReady: () => void,
  ) {}

  /** Handles one incoming message; resolves with the response it posted (undefined for notifications and rejects). */
  async handle(data: unknown): Promise<HostResponse | undefined> {
    const parsed = parseWebviewMessage(data);
    if (!parsed.ok) {
      this.log.warn(`Studio: ignored a message from the webview (${parsed.reason})`);
      return undefined;
    }
    const message = parsed.message;
    if (message.type === 'notification') {
      if (message.method === 'webview/ready') this.onReady();
      else this.running.get(message.params.id)?.abort();
      return undefined;
    }
    if (this.running.has(message.id)) {
      this.log.warn(`Studio: ignored request ${message.id} (${message.method}): that id is already running`);
      return undefined;
    }
    const controller = new AbortController();
    this.running.set(message.id, controller);
    let response: HostResponse;
    try {
      const handler = this.handlers[message.method as StudioMethod] as (params: unknown, context: unknown) => Promise<unknown>;
      const result = await handler(message.params, {
        signal: controller.signal,
        progress: (done: number, total: number) => this.post({ type: 'progress', id: message.id, done, total }),
      });
      controller.signal.throwIfAborted();
      response = { type: 'response', id: message.id, ok: true, result };
    } catch (error) {
      const requestError = controller.signal.aborted ? { code: 'CANCELLED', message: 'Cancelled.' } : toRequestError(error);
      if (requestError.code !== 'CANCELLED') this.log.error(`Studio: ${message.method} failed: ${requestError.message}`);
      response = { type: 'response', id: message.id, ok: false, error: requestError };
    } finally {
      this.running.delete(message.id);
    }
    this.post(response);
    return response;
  }

  /** Stops every running request (the panel is closing). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}
