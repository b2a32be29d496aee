import { isMethodName, maxMessageBytes, maxRequestIdChars, quotedMethodName, type ReplyEnvelope, type RequestEnvelope } from '../../shared/api.js';

export type InvokeCheck = { ok: true; request: RequestEnvelope } | { ok: false; reply: ReplyEnvelope };

/**
 * The main process's own check of a request off IPC before the engine sees it: an envelope with an
 * id, a method the contract names, and params of a sane size. The engine validates params next.
 */
export function checkInvokeRequest(request: unknown): InvokeCheck {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return refuse(null, 'invalid', 'a request must be an object { id, method, params }');
  }
  const { id, method, params } = request as Record<string, unknown>;
  if (typeof id !== 'number' && typeof id !== 'string') return refuse(null, 'invalid', 'a request needs an "id" (number or string)');
  if (typeof id === 'string' && id.length > maxRequestIdChars) {
    return refuse(null, 'invalid', `a request's "id" may have at most ${maxRequestIdChars} characters; this one has ${id.length}`);
  }
  if (!isMethodName(method)) return refuse(id, 'not_found', `unknown method ${quotedMethodName(method)}`);
  const size = byteSize(params);
  if (size === undefined) return refuse(id, 'invalid', `${method}: params must be plain JSON data`);
  if (size > maxMessageBytes) return refuse(id, 'invalid', `message too large: ${size} bytes; the limit is ${maxMessageBytes}`);
  return { ok: true, request: params === undefined ? { id, method } : { id, method, params } };
}

function refuse(id: number | string | null, code: 'invalid' | 'not_found', message: string): InvokeCheck {
  return { ok: false, reply: { id, ok: false, error: { code, message } } };
}

function byteSize(value: unknown): number | undefined {
  if (value === undefined) return 0;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : Buffer.byteLength(text);
  } catch {
    return undefined;
  }
}
