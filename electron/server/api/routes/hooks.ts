/**
 * Webhook triggers: `POST /api/v1/hooks/{id}` starts the trigger's workflow when the call carries
 * the trigger's own secret in `X-Photon-Secret`. The secret is the whole credential: a webhook sender
 * (a CI job, a git host) holds it and nothing else, so this route is registered before the token and
 * API-key check (app.ts) and the engine decides. A wrong or missing secret is a 401 in the envelope,
 * audited, and starts nothing.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { webhookSecretHeader } from '../../../../shared/schedules.js';
import { ok } from '../envelope.js';
import { answer, conflictResponse, errorResponses, type ApiApp, type RouteDeps } from './route.js';

export const webhookSecurityScheme = 'webhookSecret';

const hookParams = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' }, example: '3f9a1c2b7d4e' }) });
const startedSchema = z.object({ runId: z.string() }).openapi('WebhookStarted');

export function registerHooks(app: ApiApp, deps: RouteDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', webhookSecurityScheme, {
    type: 'apiKey',
    in: 'header',
    name: 'X-Photon-Secret',
    description: 'The webhook\'s own secret, shown once when it was made.',
  });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/hooks/{id}',
      tags: ['triggers'],
      summary: 'Starts the webhook trigger\'s workflow; the body, if any, is not read',
      security: [{ [webhookSecurityScheme]: [] }],
      request: { params: hookParams },
      responses: { 202: answer('Started: the run\'s id', startedSchema), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const incoming = c.env.incoming;
      const remote = incoming.socket.remoteAddress;
      const address = remote === undefined ? 'unknown' : remote.startsWith('::ffff:') ? remote.slice(7) : remote;
      const given = incoming.headers[webhookSecretHeader];
      const secret = Array.isArray(given) ? given[0] : given;
      return ok(c, await deps.engine.webhook(id, secret || undefined, address), 202);
    },
  );
}
