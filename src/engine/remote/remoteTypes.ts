/** Where vectors come from: this machine's engine, or a serving engine reached over HTTP. */
export type Backend = 'local' | RemoteApi;

/** The HTTP APIs a remote embedder speaks: text-embeddings-inference, OpenAI's embeddings, Ollama's /api/embed. */
export type RemoteApi = 'tei' | 'openai' | 'ollama';

export const BACKENDS: readonly Backend[] = ['local', 'tei', 'openai', 'ollama'];
export const REMOTE_APIS: readonly RemoteApi[] = ['tei', 'openai', 'ollama'];

/** Model names sent when none is given: the names the project's model has on each kind of server. */
export const DEFAULT_REMOTE_MODEL: Readonly<Record<RemoteApi, string | undefined>> = {
  // TEI serves one model and names it in GET /info.
  tei: undefined,
  openai: 'all-MiniLM-L6-v2',
  // Ollama's library calls all-MiniLM-L6-v2 "all-minilm".
  ollama: 'all-minilm',
};

/** Ollama's well-known address; the other servers have no default. */
export const DEFAULT_ENDPOINT: Readonly<Record<RemoteApi, string | undefined>> = {
  tei: undefined,
  openai: undefined,
  ollama: 'http://127.0.0.1:11434',
};

/** A server's request limits, as TEI's GET /info publishes them (other APIs publish none). */
export interface ServerLimits {
  maxClientBatchSize?: number;
  maxBatchTokens?: number;
  maxInputLength?: number;
}

/** What a remote embedder knows about the model it reaches. */
export interface RemoteDescription {
  api: RemoteApi;
  endpoint: string;
  /**
   * The model's identity, independent of where it is served: TEI's model_id, or the model name sent to an
   * OpenAI-compatible or Ollama server. Two endpoints serving the same model give the same identity.
   */
  model: string;
  limits: ServerLimits;
}

/** How the user sets what an error message points at: command-line options by default, settings in the editor. */
export interface SettingNames {
  endpoint: string;
  /** How to give the key, as a phrase: "--api-key or the MINILM_API_KEY environment variable". */
  apiKey: string;
  model: string;
  /** Undefined where the wait cannot be changed. */
  timeout?: string;
  batchSize: string;
  prompt: string;
}

export const CLI_NAMES: SettingNames = {
  endpoint: '--endpoint',
  apiKey: '--api-key or the MINILM_API_KEY environment variable',
  model: '--remote-model',
  timeout: '--remote-timeout',
  batchSize: '--batch-size',
  prompt: '--prompt',
};
