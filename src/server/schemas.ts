/**
 * JSON schemas of the server's requests and answers: fastify validates requests with them, serialises answers with
 * them, and @fastify/swagger writes the OpenAPI document from them. Field names follow OpenAI's embeddings API and
 * Hugging Face text-embeddings-inference (TEI).
 */

const tokenIds = { type: 'array', items: { type: 'integer' }, minItems: 1 } as const;

export const openAiErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type'],
      properties: {
        message: { type: 'string' },
        type: { type: 'string' },
        param: { type: ['string', 'null'] },
        code: { type: ['string', 'null'] },
      },
    },
  },
} as const;

export const teiErrorSchema = {
  type: 'object',
  required: ['error', 'error_type'],
  properties: { error: { type: 'string' }, error_type: { type: 'string' } },
} as const;

export interface OpenAiEmbeddingsBody {
  input: string | string[] | number[] | number[][];
  model?: string;
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}

/**
 * A request body schema that accepts only the served model's dimension and (where the body has one) prompt names, so
 * that the OpenAPI document says what the server takes.
 */
export function forModel<T extends { properties: { dimensions: object; prompt_name?: object } }>(
  schema: T,
  model: { dimension: number; promptNames: string[] },
): T {
  const properties: Record<string, object> = { ...schema.properties, dimensions: { ...schema.properties.dimensions, enum: [model.dimension, null] } };
  if (schema.properties.prompt_name) properties.prompt_name = { ...schema.properties.prompt_name, enum: [...model.promptNames, null] };
  return { ...schema, properties } as T;
}

export const openAiEmbeddingsBody = {
  type: 'object',
  required: ['input'],
  properties: {
    input: {
      description: 'A text, or an array of texts. Token-id arrays (accepted by OpenAI) are refused: send text.',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        tokenIds,
        { type: 'array', items: tokenIds, minItems: 1 },
      ],
    },
    model: { type: 'string', description: 'Any name: the served model answers, and its id is echoed.' },
    encoding_format: { type: 'string', enum: ['float', 'base64'], default: 'float' },
    dimensions: { type: 'integer', minimum: 1, description: "Only the model's own dimension is accepted." },
    user: { type: 'string' },
  },
} as const;

export const openAiEmbeddingsResponse = {
  type: 'object',
  required: ['object', 'data', 'model', 'usage'],
  properties: {
    object: { type: 'string', enum: ['list'] },
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['object', 'embedding', 'index'],
        properties: {
          object: { type: 'string', enum: ['embedding'] },
          embedding: {
            description: 'Numbers, or with encoding_format base64 the little-endian float32 bytes in base64.',
            anyOf: [{ type: 'array', items: { type: 'number' } }, { type: 'string' }],
          },
          index: { type: 'integer' },
        },
      },
    },
    model: { type: 'string' },
    usage: {
      type: 'object',
      required: ['prompt_tokens', 'total_tokens'],
      properties: { prompt_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } },
    },
  },
} as const;

export interface TeiEmbedBody {
  inputs: string | string[];
  normalize?: boolean;
  truncate?: boolean;
  truncation_direction?: 'Left' | 'Right' | 'left' | 'right';
  prompt_name?: string | null;
  dimensions?: number | null;
}

export const teiEmbedBody = {
  type: 'object',
  required: ['inputs'],
  properties: {
    inputs: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
    },
    normalize: {
      type: 'boolean',
      default: true,
      description: "false: the pooled vectors as they are (the model's Normalize module skipped); true: unit vectors.",
    },
    truncate: { type: 'boolean', description: "Cut texts longer than the model's max input length (default: the server's --auto-truncate)." },
    truncation_direction: {
      type: 'string',
      enum: ['Right', 'right'],
      default: 'Right',
      description: 'Only Right: long texts keep their beginning (TEI also takes Left, which this server refuses).',
    },
    prompt_name: {
      type: ['string', 'null'],
      description: "One of the model's prompts (GET /info lists them), put before every input; absent or null: the model's default prompt, if it has one.",
    },
    dimensions: { type: ['integer', 'null'], minimum: 1, description: "Only the model's own dimension is accepted." },
  },
} as const;

export const teiEmbedResponse = { type: 'array', items: { type: 'array', items: { type: 'number' } } } as const;

export const teiInfoResponse = {
  type: 'object',
  properties: {
    model_id: { type: 'string' },
    model_sha: { type: ['string', 'null'] },
    model_dtype: { type: 'string' },
    model_type: {
      type: 'object',
      properties: { embedding: { type: 'object', properties: { pooling: { type: 'string' } } } },
    },
    max_concurrent_requests: { type: 'integer' },
    max_input_length: { type: 'integer' },
    max_batch_tokens: { type: 'integer' },
    max_batch_requests: { type: ['integer', 'null'] },
    max_client_batch_size: { type: 'integer' },
    auto_truncate: { type: 'boolean' },
    tokenization_workers: { type: 'integer' },
    version: { type: 'string' },
    prompt_names: { type: 'array', items: { type: 'string' }, description: "The model's prompts, for /embed's prompt_name (not in TEI's /info)." },
    default_prompt_name: { type: ['string', 'null'], description: "The prompt applied when a request names none (not in TEI's /info)." },
  },
} as const;
