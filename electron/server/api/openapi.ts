/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, generated from the same zod schemas the
 * routes validate with, so it says what the server enforces. It is the one answer not in the
 * envelope: OpenAPI tools read the document itself.
 */
import { apiBasePath } from '../../../shared/rest.js';
import { apiScopes } from './access.js';
import { eventsSocketPath } from './events/socket.js';
import type { ApiApp, RouteDeps } from './routes/route.js';

export const openApiPath = `${apiBasePath}/openapi.json`;

export function registerOpenApi(app: ApiApp, deps: RouteDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token `photon serve` prints, or an API key (`photon keys create`).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key.' });
  app.get(openApiPath, async (c) => {
    const { version } = await deps.engine.call('system.info', undefined);
    const document = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Photon API',
        version,
        description: `Drives a Photon engine: operations (runs of workflows), agents, platforms and events. Every answer is the envelope { success, data, error, requestId, timestamp, processingTime }. Each operation's \`x-photon-scope\` (${apiScopes.join(' < ')}) is what an API key needs for it. The events are also a WebSocket at ${eventsSocketPath} (same filters, \`?lastEventId=\` to resume, one Event as JSON per message, the same \`gap\` messages as the SSE stream; a client that falls more than its send buffer behind is sent a \`gap\` with reason \`slow\` and closed with 1013), which OpenAPI cannot describe.`,
      },
      tags: [
        { name: 'health', description: 'Whether the engine and its parts work' },
        { name: 'operations', description: 'Runs of workflows' },
        { name: 'agents', description: 'Saved tool configurations' },
        { name: 'platforms', description: 'The tools Photon runs' },
        { name: 'events', description: 'What happens, live and resumable' },
        { name: 'metrics', description: 'The dashboard\'s numbers' },
        { name: 'triggers', description: 'Webhooks that start saved workflows, each with its own secret' },
      ],
    });
    return c.json(document);
  });
}
