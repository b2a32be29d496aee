/**
 * The specification's envelope around every answer: `{ success, data, error, requestId, timestamp,
 * processingTime }`. The request's id and start time are set first thing, so refusals made before
 * any route (authentication, body size, rate limits) carry them too.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Envelope } from '../../../shared/rest.js';
import type { ApiEnv } from './context.js';
import type { ApiFailure } from './errors.js';

export const requestIdHeader = 'X-Request-Id';

export const requestContext: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const requestId = randomUUID();
  c.set('requestId', requestId);
  c.set('startedAt', performance.now());
  c.header(requestIdHeader, requestId);
  c.header('Cache-Control', 'no-store');
  await next();
};

function frame(c: Context<ApiEnv>): Pick<Envelope<unknown>, 'requestId' | 'timestamp' | 'processingTime'> {
  // Set by requestContext; a request that somehow skipped it still gets a well-formed envelope.
  const requestId = c.get('requestId') ?? randomUUID();
  const startedAt = c.get('startedAt') ?? performance.now();
  return { requestId, timestamp: new Date().toISOString(), processingTime: Math.round((performance.now() - startedAt) * 1000) / 1000 };
}

/** A success: `data` in the envelope, with the status the route declares (200 unless said). */
export function ok<T, S extends ContentfulStatusCode = 200>(c: Context<ApiEnv>, data: T, status?: S) {
  return c.json({ success: true as const, data, error: null, ...frame(c) }, (status ?? 200) as S);
}

/**
 * A success whose `data` is already JSON (a page serialized once for many requests): the same
 * bytes `ok` would send, without serializing the data again.
 */
export function okSerialized(c: Context<ApiEnv>, data: string): Response {
  const { requestId, timestamp, processingTime } = frame(c);
  c.header('Content-Type', 'application/json');
  return c.body(`{"success":true,"data":${data},"error":null,"requestId":${JSON.stringify(requestId)},"timestamp":"${timestamp}","processingTime":${processingTime}}`, 200);
}

export function failed(c: Context<ApiEnv>, failure: ApiFailure): Response {
  for (const [name, value] of Object.entries(failure.headers ?? {})) c.header(name, value);
  return c.json({ success: false as const, data: null, error: failure.toBody(), ...frame(c) }, failure.status);
}
