/**
 * Who may call the API, decided in one place before any route runs.
 *
 * The pipeline of every API request (see app.ts), in order:
 *   1. requestContext   — request id and start time (envelope.ts)
 *   2. body size limit  — 413 before anything is parsed
 *      webhooks        — `POST /api/v1/hooks/{id}` answers here, before the JSON check and 3 and 4:
 *                         its own secret is its credential, checked by the engine (routes/hooks.ts)
 *   3. hooks.before     — EXTENSION POINT: rate limits, audit of refusals (issue 18B)
 *   4. authenticate     — the browser's session token (checked by the web host: query, Bearer or
 *                         cookie, with its Host and Origin checks), else hooks.authenticate
 *                         (EXTENSION POINT: API keys in X-API-Key or Authorization: Bearer)
 *   5. the route's scope — each route declares `read`, `run` or `admin` (apiRoute in routes/route.ts);
 *                         hooks.authorize decides (EXTENSION POINT), by default scopes nest
 *   6. validation of params, query and body, then the handler (one engine.call)
 *
 * The WebSocket at /api/v1/events goes through 4 and 5 (scope `read`) in events/socket.ts; an
 * upgrade is no hono request, so `before` does not run for it: limits belong in `authenticate` there.
 * A hook refuses by throwing an ApiFailure (errors.ts): its code picks the status, its headers
 * (Retry-After, RateLimit) are sent, and the body is the envelope.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { accessScopes, scopeAllows, type AccessScope } from '../../../shared/access.js';
import type { ApiEnv } from './context.js';
import { ApiFailure } from './errors.js';

/** The API keys' scopes (shared/access.ts): read sees everything but secrets; run also starts and cancels; admin also manages. */
export const apiScopes = accessScopes;
export type ApiScope = AccessScope;

export interface ApiPrincipal {
  /** `session`: the browser app's own token, which may do everything the app does. */
  kind: 'session' | 'key';
  /** For logs and the audit trail: "browser session" or the key's name. */
  name: string;
  /** The key's id (its prefix), when it is one. */
  keyId?: string;
  scope: ApiScope;
}

export const sessionPrincipal: ApiPrincipal = { kind: 'session', name: 'browser session', scope: 'admin' };

export interface ApiAccessHooks {
  /** Run for every request (and events upgrade) before authentication, in order. Refuse by throwing an ApiFailure. */
  before?: MiddlewareHandler<ApiEnv>[];
  /**
   * Called when the request did not carry the browser session token: the caller's principal (an
   * API key's), or undefined for 401. Throw an ApiFailure for a precise refusal (a revoked key).
   */
  authenticate?: (request: IncomingMessage) => ApiPrincipal | undefined | Promise<ApiPrincipal | undefined>;
  /**
   * Whether `principal` may use a route that needs `scope`; by default the scopes nest
   * (admin ⊃ run ⊃ read). Throw an ApiFailure to refuse; also the place to audit key use.
   */
  authorize?: (principal: ApiPrincipal, scope: ApiScope, request: IncomingMessage) => void | Promise<void>;
}

/** Whether the web host found the browser's session token on this request (set before the API sees it). */
const sessionRequests = new WeakSet<IncomingMessage>();

export function markSession(request: IncomingMessage): void {
  sessionRequests.add(request);
}

export async function principalOf(request: IncomingMessage, hooks: ApiAccessHooks): Promise<ApiPrincipal> {
  if (sessionRequests.has(request)) return sessionPrincipal;
  const principal = await hooks.authenticate?.(request);
  if (principal) return principal;
  throw new ApiFailure('unauthorized', 'a valid token is required: the Bearer token printed by `photon serve` (or an API key)', {
    headers: { 'WWW-Authenticate': 'Bearer realm="photon"' },
  });
}

export async function checkScope(principal: ApiPrincipal, scope: ApiScope, request: IncomingMessage, hooks: ApiAccessHooks): Promise<void> {
  if (hooks.authorize) return hooks.authorize(principal, scope, request);
  if (!scopeAllows(principal.scope, scope)) {
    throw new ApiFailure('forbidden', `${principal.name} has the ${principal.scope} scope; this needs ${scope}`);
  }
}

export function authenticate(hooks: ApiAccessHooks): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('principal', await principalOf(c.env.incoming, hooks));
    await next();
  };
}

export function requireScope(scope: ApiScope, hooks: ApiAccessHooks): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await checkScope(c.get('principal'), scope, c.env.incoming, hooks);
    await next();
  };
}
