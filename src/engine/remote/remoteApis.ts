import type { RemoteApi } from './remoteTypes';

/** One API's embedding request and where its answer keeps the vectors. */
export interface ApiShape {
  /** Path of the embedding route, relative to the endpoint. */
  embedPath: string;
  body(texts: readonly string[], model: string | undefined, normalize: boolean): unknown;
  /** The vectors of an answer, in input order, still unchecked; a string says what was wrong with the answer. */
  vectors(answer: unknown): unknown[] | string;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export const API_SHAPES: Readonly<Record<RemoteApi, ApiShape>> = {
  // text-embeddings-inference: truncate as the local engine does (at the model's max length) rather than refuse.
  tei: {
    embedPath: 'embed',
    body: (texts, _model, normalize) => ({ inputs: texts, normalize, truncate: true }),
    vectors: (answer) => (Array.isArray(answer) ? answer : 'expected an array of vectors'),
  },
  openai: {
    embedPath: 'embeddings',
    body: (texts, model) => ({ model, input: texts, encoding_format: 'float' }),
    vectors: (answer) => {
      const data = record(answer)?.data;
      if (!Array.isArray(data)) return 'expected {"data": [{"embedding", "index"}, ...]}';
      // OpenAI documents `index` as the input's position; order by it rather than trust the array's order.
      const placed = new Array<unknown>(data.length);
      for (const item of data) {
        const index = record(item)?.index;
        if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= data.length || placed[index] !== undefined)
          return 'an item of "data" has a missing or repeated "index"';
        placed[index] = record(item)!.embedding;
      }
      return placed;
    },
  },
  // Ollama >= 0.3.4: POST /api/embed takes a list and truncates to the model's context by default.
  ollama: {
    embedPath: 'api/embed',
    body: (texts, model) => ({ model, input: texts, truncate: true }),
    vectors: (answer) => {
      const embeddings = record(answer)?.embeddings;
      return Array.isArray(embeddings) ? embeddings : 'expected {"embeddings": [[...], ...]}';
    },
  },
};
