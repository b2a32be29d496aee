/** `/metrics/dashboard`: what the dashboard shows, as JSON (metrics.snapshot and agents.stats); `/metrics` stays Prometheus text, served by the web host. */
import { z } from 'zod';
import { ok } from '../envelope.js';
import { answer, apiRoute, errorResponses, type ApiApp, type RouteDeps } from './route.js';

const dashboardSchema = z
  .object({
    snapshot: z.record(z.string(), z.unknown()).meta({ description: 'The latest sample and today\'s counters (MetricsSnapshot in shared/metrics.ts).' }),
    agents: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Each agent\'s status and record (AgentStats in shared/agents.ts).' }),
  })
  .meta({ id: 'Dashboard' });

export function registerMetrics(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;
  app.openapi(
    apiRoute(hooks, 'read', { method: 'get', path: '/metrics/dashboard', tags: ['metrics'], summary: 'The dashboard\'s numbers as JSON', responses: { 200: answer('The dashboard', dashboardSchema), ...errorResponses } }),
    async (c) => {
      const [snapshot, agents] = await Promise.all([engine.call('metrics.snapshot', undefined), engine.call('agents.stats', undefined)]);
      return ok(c, { snapshot: { ...snapshot }, agents: agents.map((entry) => ({ ...entry })) });
    },
  );
}
