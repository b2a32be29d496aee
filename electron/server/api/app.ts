/**
 * The API's request pipeline and its routes (the order is documented in access.ts). Every route
 * is one translation onto the engine's contract; none holds behaviour of its own.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { maxApiBodyBytes } from '../../../shared/rest.js';
import { authenticate } from './access.js';
import type { ApiEnv } from './context.js';
import { failed, requestContext } from './envelope.js';
import { ApiFailure, toFailure, validationFailure } from './errors.js';
import { registerEventStream } from './events/stream.js';
import { registerOpenApi } from './openapi.js';
import { registerAgents } from './routes/agents.js';
import { registerApprovals } from './routes/approvals.js';
import { registerHealth } from './routes/health.js';
import { registerHooks } from './routes/hooks.js';
import { registerMetrics } from './routes/metrics.js';
import { registerOperations } from './routes/operations.js';
import { registerPlatforms } from './routes/platforms.js';
import { registerSchedules } from './routes/schedules.js';
import type { RouteDeps } from './routes/route.js';

export function createApiApp(deps: RouteDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    // Validation failures are thrown, so they reach onError and come out in the envelope like every refusal.
    defaultHook: (result) => {
      if (!result.success) throw validationFailure(targetName(result.target), result.error);
    },
  });
  app.use('*', requestContext);
  app.use('*', limitBody);
  // Before authentication, since a webhook's own secret is its credential, and before the JSON
  // check, since it never reads the body its sender sends in whatever type (routes/hooks.ts).
  registerHooks(app, deps);
  app.use('*', requireJsonBody);
  for (const middleware of deps.hooks.before ?? []) app.use('*', middleware);
  app.use('*', authenticate(deps.hooks));
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, allowed) => {
        throw new ApiFailure('invalid', `${c.req.path} does not take ${c.req.method}; it takes ${allowed.join(', ')}`, { status: 405, headers: { Allow: allowed.join(', ') } });
      },
    }),
  );

  registerHealth(app, deps);
  registerMetrics(app, deps);
  registerOperations(app, deps);
  registerAgents(app, deps);
  registerApprovals(app, deps);
  registerPlatforms(app, deps);
  registerSchedules(app, deps);
  registerEventStream(app, deps);
  registerOpenApi(app, deps);

  app.notFound((c) => failed(c, new ApiFailure('not_found', `no endpoint ${c.req.method} ${c.req.path}; /api/v1/openapi.json lists them`)));
  app.onError((error, c) => failed(c, asFailure(error)));
  return app;
}

/**
 * The rest of an oversized body is never read, so the connection cannot carry another request:
 * `Connection: close` tells the client so, instead of its next request failing on a closed socket.
 */
function tooLarge(): never {
  throw new ApiFailure('too_large', `the request body is larger than ${maxApiBodyBytes} bytes, the limit`, { headers: { Connection: 'close' } });
}

const chunkedLimit = bodyLimit({ maxSize: maxApiBodyBytes, onError: tooLarge });

/**
 * The size limit, decided on the Node request's own headers. Hono's bodyLimit asks for the body
 * stream first, which makes @hono/node-server build a whole WHATWG Request (an AbortController, a
 * Headers copy) for every request, bodiless GETs included: a fifth of a health check's CPU. Its
 * read-and-count is kept for the one case that needs it, a chunked body that states no length.
 */
const limitBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const headers = c.env.incoming.headers;
  if (headers['transfer-encoding'] !== undefined) return chunkedLimit(c, next);
  const length = headers['content-length'];
  if (length !== undefined && Number(length) > maxApiBodyBytes) tooLarge();
  await next();
};

/** Where zod's target is read from, as a client names it. */
function targetName(target: string): string {
  return target === 'json' ? 'body' : target === 'param' ? 'params' : target;
}

/**
 * A body must be JSON and say so: otherwise the validator would quietly read it as empty and
 * answer about missing fields instead of the real mistake.
 */
const requireJsonBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  // The Node request's headers: c.req.header() would copy them all into a Headers first.
  const headers = c.env.incoming.headers;
  const length = headers['content-length'];
  const hasBody = length !== undefined ? length !== '0' : headers['transfer-encoding'] !== undefined;
  if (!hasBody) return next();
  const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiFailure('invalid', `send the body as JSON with Content-Type: application/json (got ${type ? `"${type}"` : 'no Content-Type'})`, {
      issues: [{ place: 'body', message: 'must be JSON' }],
    });
  }
  await next();
};

function asFailure(error: unknown): ApiFailure {
  if (error instanceof HTTPException) {
    // Hono's own refusals: the one that reaches here is a body that is not valid JSON.
    const code = error.status === 413 ? 'too_large' : error.status >= 500 ? 'internal' : 'invalid';
    return new ApiFailure(code, error.message === 'Malformed JSON in request body' ? 'the body is not valid JSON' : error.message, code === 'invalid' ? { issues: [{ place: 'body', message: error.message }] } : {});
  }
  return toFailure(error);
}
