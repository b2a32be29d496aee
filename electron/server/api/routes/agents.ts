/**
 * Agents: saved configurations of a tool (agents.list, get, save, delete), each with its live
 * status from agents.stats.
 */
import { z } from 'zod';
import type { AgentStats, SavedAgent } from '../../../../shared/agents.js';
import { agentBodySchema, agentUpdateSchema, apiAgentSchema, idParamSchema, type ApiAgent } from '../../../../shared/rest.js';
import type { Engine } from '../../../engine/index.js';
import { ok } from '../envelope.js';
import { ApiFailure } from '../errors.js';
import { answer, apiRoute, conflictResponse, errorResponses, jsonBody, notFoundResponse, type ApiApp, type RouteDeps } from './route.js';

const base = '/api/v1/agents';
const tags = ['agents'];

export function registerAgents(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;

  app.openapi(
    apiRoute(hooks, 'read', { method: 'get', path: base, tags, summary: 'Saved agents with their status', responses: { 200: answer('Every agent', z.array(apiAgentSchema)), ...errorResponses } }),
    async (c) => {
      const [agents, stats] = await Promise.all([engine.call('agents.list', undefined), engine.call('agents.stats', undefined)]);
      const byId = new Map(stats.map((entry) => [entry.agentId, entry]));
      return ok(c, agents.map((agent) => toApiAgent(agent, byId.get(agent.id))));
    },
  );

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'post',
      path: base,
      tags,
      summary: 'Registers an agent; an id already in use is refused (PUT replaces)',
      request: { body: jsonBody(agentBodySchema) },
      responses: { 201: answer('Registered; Location names it', apiAgentSchema), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const agent = c.req.valid('json');
      if (await exists(engine, agent.id)) throw new ApiFailure('conflict', `agent "${agent.id}" already exists; PUT ${base}/${agent.id} replaces it`, { issues: [{ place: 'body.id', message: 'already in use' }] });
      await save(engine, agent);
      c.header('Location', `${base}/${agent.id}`);
      return ok(c, await read(engine, agent.id), 201);
    },
  );

  app.openapi(
    apiRoute(hooks, 'read', { method: 'get', path: `${base}/{id}`, tags, summary: 'One agent with its status', request: { params: idParamSchema }, responses: { 200: answer('The agent', apiAgentSchema), ...errorResponses, ...notFoundResponse } }),
    async (c) => ok(c, await read(engine, c.req.valid('param').id)),
  );

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'put',
      path: `${base}/{id}`,
      tags,
      summary: 'Replaces an agent\'s definition (the path names it; an `id` in the body must match)',
      request: { params: idParamSchema, body: jsonBody(agentUpdateSchema) },
      responses: { 200: answer('The agent as saved', apiAgentSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.id !== undefined && body.id !== id) throw new ApiFailure('invalid', `body.id "${body.id}" is not the agent in the path ("${id}"); leave it out or make them match`, { issues: [{ place: 'body.id', message: `must be "${id}"` }] });
      await engine.call('agents.get', { id });
      await save(engine, { ...body, id });
      return ok(c, await read(engine, id));
    },
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'post',
      path: `${base}/{id}/heartbeat`,
      tags,
      summary: 'The agent\'s process is alive: an agent with heartbeatIntervalSeconds that went inactive is active again',
      request: { params: idParamSchema },
      responses: { 200: answer('The agent with its status', apiAgentSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await engine.call('agents.heartbeat', { id });
      return ok(c, await read(engine, id));
    },
  );

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      summary: 'Deletes an agent (refused while it runs a step)',
      request: { params: idParamSchema },
      responses: { 200: answer('Deleted', z.object({ id: z.string(), deleted: z.literal(true) })), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { deleted } = await engine.call('agents.delete', { id });
      if (!deleted) throw new ApiFailure('not_found', `no agent "${id}"`);
      return ok(c, { id, deleted: true as const });
    },
  );
}

async function exists(engine: Engine, id: string): Promise<boolean> {
  return (await engine.call('agents.list', undefined)).some((agent) => agent.id === id);
}

/** The body was checked against the same schema agents.save uses, so its fields are already placed. */
async function save(engine: Engine, agent: unknown): Promise<void> {
  await engine.call('agents.save', { agent });
}

export async function read(engine: Engine, id: string): Promise<ApiAgent> {
  const agent = await engine.call('agents.get', { id });
  const stats = (await engine.call('agents.stats', undefined)).find((entry) => entry.agentId === agent.id);
  return toApiAgent(agent, stats);
}

function toApiAgent(agent: SavedAgent, stats: AgentStats | undefined): ApiAgent {
  return {
    id: agent.id,
    name: agent.name,
    tool: agent.tool,
    model: agent.model,
    capabilities: agent.capabilities,
    maxConcurrentSteps: agent.maxConcurrentSteps,
    status: stats?.status ?? 'unavailable',
    reason: stats?.reason ?? null,
    heartbeatIntervalSeconds: agent.heartbeatIntervalSeconds ?? null,
    lastHeartbeatAt: stats?.lastHeartbeatAt ?? null,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}

