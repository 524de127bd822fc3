import type {
  HostMessage,
  HostNotification,
  RequestError,
  RequestParams,
  RequestResult,
  StudioMethod,
  WebviewMessage,
} from '../../../src/shared/studioProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type Reply<M extends StudioMethod> = { ok: true; result: RequestResult<M> } | { ok: false; error: RequestError };

export interface PendingRequest<M extends StudioMethod> {
  id: number;
  reply: Promise<Reply<M>>;
}

/** The webview's end of the protocol: numbered requests, their progress and replies, and host notifications. */
export class HostConnection {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(reply: Reply<StudioMethod>): void; onProgress?(done: number, total: number): void }>();

  constructor(onNotification: (notification: HostNotification) => void, onProgress: (id: number, done: number, total: number) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const message = event.data as HostMessage;
      if (!message || typeof message !== 'object') return;
      if (message.type === 'response') {
        const entry = this.pending.get(message.id);
        this.pending.delete(message.id);
        entry?.resolve(message.ok ? { ok: true, result: message.result as never } : { ok: false, error: message.error });
      } else if (message.type === 'progress') {
        onProgress(message.id, message.done, message.total);
      } else if (message.type === 'notification') {
        onNotification(message);
      }
    });
  }

  request<M extends StudioMethod>(method: M, params: RequestParams<M>): PendingRequest<M> {
    const id = this.nextId++;
    const reply = new Promise<Reply<M>>((resolve) => this.pending.set(id, { resolve: resolve as (reply: Reply<StudioMethod>) => void }));
    this.send({ type: 'request', id, method, params } as WebviewMessage);
    return { id, reply };
  }

  cancel(id: number): void {
    this.send({ type: 'notification', method: 'request/cancel', params: { id } });
  }

  ready(): void {
    this.send({ type: 'notification', method: 'webview/ready', params: {} });
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private send(message: WebviewMessage): void {
    this.api.postMessage(message);
  }
}
