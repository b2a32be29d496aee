/**
 * How every endpoint is declared: its scope (checked before its input is even read), its schemas
 * (which validate the request and write the OpenAPI document), and the error answers it may give.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { envelopeSchema, errorEnvelopeSchema } from '../../../../shared/rest.js';
import type { Engine } from '../../../engine/index.js';
import { requireScope, type ApiAccessHooks, type ApiScope } from '../access.js';
import type { ApiEnv } from '../context.js';
import type { Broadcaster } from '../events/broadcast.js';
import type { EventLog } from '../events/event-log.js';

export type ApiApp = OpenAPIHono<ApiEnv>;

export interface RouteDeps {
  engine: Engine;
  hooks: ApiAccessHooks;
  events: EventLog;
  /** The open event streams, fed from `events`. */
  streams: Broadcaster;
  /** When the server started, for uptime. */
  startedAt: number;
}

const errorContent = { 'application/json': { schema: errorEnvelopeSchema } };

/** The refusals any endpoint may give, written once into the document. */
export const errorResponses = {
  400: { description: 'Invalid input: `error.issues` names each bad field', content: errorContent },
  401: { description: 'No valid token or API key', content: errorContent },
  403: { description: 'The key\'s scope is too small', content: errorContent },
  413: { description: 'Body larger than the limit', content: errorContent },
  429: { description: 'Too many requests', content: errorContent },
  500: { description: 'Internal error', content: errorContent },
} as const;

export const notFoundResponse = { 404: { description: 'No such resource', content: errorContent } } as const;
export const conflictResponse = { 409: { description: 'Not possible in the resource\'s current state', content: errorContent } } as const;

/** A 200 (or other) answer whose `data` has this schema. */
export function answer<T extends z.ZodType>(description: string, data: T) {
  return { description, content: { 'application/json': { schema: envelopeSchema(data) } } };
}

/** A JSON request body that must be there and must be JSON. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** The session token and API keys both go in `Authorization: Bearer`; keys may use `X-API-Key` instead. */
const security: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];

/** createRoute with the scope middleware and the scope written into the document (`x-photon-scope`). */
export function apiRoute<P extends string, R extends Omit<RouteConfig, 'path' | 'middleware'> & { path: P }>(hooks: ApiAccessHooks, scope: ApiScope, config: R) {
  return createRoute({ ...config, middleware: [requireScope(scope, hooks)] as const, 'x-photon-scope': scope, security });
}
