/**
 * Validation of everything the Studio webview sends (see studioProtocol.ts). Host-side only in practice: the webview
 * never calls it, so its bundle carries no zod.
 */
import { z } from 'zod';
import {
  LIMITS,
  MODEL_SPEC_MAX,
  POOL_KEY_MAX,
  WEBVIEW_COMMANDS,
  type RequestParams,
  type StudioMethod,
  type StudioNotificationMap,
  type StudioNotificationMethod,
  type WebviewMessage,
} from './studioProtocol';

/**
 * The schemas are built on first use: the webview bundles this module for its types and constants, and a
 * function that is never called lets the bundler drop zod from the webview.
 */
function buildSchemas() {
  const text = z.string().max(LIMITS.textLength);
  const none = z.strictObject({});
  const modelSpec = z.string().trim().min(1).max(MODEL_SPEC_MAX);
  const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
  const params: { [M in StudioMethod]: z.ZodType<RequestParams<M>> } = {
    'model/status': none,
    'model/load': none,
    'model/unload': none,
    'model/setDtype': z.strictObject({ dtype: z.enum(['fp32', 'q8']) }),
    'model/catalogue': none,
    'model/pick': z.strictObject({ id: z.string().min(1).max(200) }),
    'model/useOther': z.strictObject({ model: modelSpec }),
    'model/loaded': none,
    'model/unloadPooled': z.strictObject({ key: z.string().min(1).max(POOL_KEY_MAX) }),
    'similarity/compute': z.strictObject({ a: text, b: text }),
    'similarity/explain': z.strictObject({ a: text, b: text }),
    'encode/compute': z.strictObject({ text }),
    'encode/copy': z.strictObject({ text }),
    'encode/export': z.strictObject({ text, format: z.enum(['json', 'csv', 'npy']) }),
    'search/run': z.strictObject({
      query: text,
      candidates: z.array(text).min(1).max(LIMITS.candidates),
      topK: z.number().int().min(1).max(LIMITS.topK),
    }),
    'search/openCandidates': none,
    'matrix/compute': z.strictObject({ texts: z.array(text).min(2).max(LIMITS.matrixTexts) }),
    'compare/similarity': z.strictObject({ a: text, b: text, model: modelSpec }),
    'compare/matrix': z.strictObject({ texts: z.array(text).min(2).max(LIMITS.matrixTexts), model: modelSpec }),
    'examples/run': none,
    'examples/list': none,
    'examples/load': z.strictObject({ path: z.string().min(1).max(4096) }),
    'examples/open': z.strictObject({ path: z.string().min(1).max(4096) }),
    'command/run': z.strictObject({ command: z.enum(WEBVIEW_COMMANDS) }),
  };
  const notifications: { [M in StudioNotificationMethod]: z.ZodType<StudioNotificationMap[M]> } = {
    'webview/ready': none,
    'request/cancel': z.strictObject({ id: requestId }),
  };
  const envelope = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('request'), id: requestId, method: z.string(), params: z.unknown() }),
    z.strictObject({ type: z.literal('notification'), method: z.string(), params: z.unknown() }),
  ]);
  return { params, notifications, envelope };
}
let schemas: ReturnType<typeof buildSchemas> | undefined;

export const STUDIO_METHODS: readonly StudioMethod[] = [
  'model/status',
  'model/load',
  'model/unload',
  'model/setDtype',
  'model/catalogue',
  'model/pick',
  'model/useOther',
  'model/loaded',
  'model/unloadPooled',
  'similarity/compute',
  'similarity/explain',
  'encode/compute',
  'encode/copy',
  'encode/export',
  'search/run',
  'search/openCandidates',
  'matrix/compute',
  'compare/similarity',
  'compare/matrix',
  'examples/run',
  'examples/list',
  'examples/load',
  'examples/open',
  'command/run',
];
export const STUDIO_NOTIFICATION_METHODS: readonly StudioNotificationMethod[] = ['webview/ready', 'request/cancel'];

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/** Validates a message from the webview. Unknown methods, extra keys and wrongly typed params are rejected. */
export function parseWebviewMessage(data: unknown): ParseResult {
  schemas ??= buildSchemas();
  const { params: paramSchemas, notifications: notificationSchemas, envelope } = schemas;
  const outer = envelope.safeParse(data);
  if (!outer.success) return { ok: false, reason: `malformed message: ${z.prettifyError(outer.error)}` };
  const { method } = outer.data;
  const schema =
    outer.data.type === 'request'
      ? Object.hasOwn(paramSchemas, method)
        ? paramSchemas[method as StudioMethod]
        : undefined
      : Object.hasOwn(notificationSchemas, method)
        ? notificationSchemas[method as StudioNotificationMethod]
        : undefined;
  if (!schema) return { ok: false, reason: `unknown ${outer.data.type} method ${JSON.stringify(method).slice(0, 80)}` };
  const params = (schema as z.ZodType).safeParse(outer.data.params ?? {});
  if (!params.success) return { ok: false, reason: `invalid params for ${method}: ${z.prettifyError(params.error)}` };
  return { ok: true, message: { ...outer.data, params: params.data } as WebviewMessage };
}
