/**
 * Platforms: the tools Photon can run (tools.list), and one action of one of them run as a
 * one-step operation (runs.start with that step, then the run as it ended).
 */
import { z } from 'zod';
import { platforms } from '../../../../shared/platforms.js';
import {
  createdOperationSchema,
  executeSchema,
  operationSchema,
  platformHealthSchema,
  platformNameParamSchema,
  platformSchema,
  waitQuerySchema,
  type ApiPlatform,
} from '../../../../shared/rest.js';
import { isToolUsable, type ToolDetection } from '../../../../shared/tools.js';
import { ok } from '../envelope.js';
import { ApiFailure, movePlaces, toFailure } from '../errors.js';
import { toOperation } from './operation-view.js';
import { answer, apiRoute, errorResponses, jsonBody, notFoundResponse, type ApiApp, type RouteDeps } from './route.js';

const base = '/api/v1/platforms';
const tags = ['platforms'];

export function registerPlatforms(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;

  app.openapi(
    apiRoute(hooks, 'read', { method: 'get', path: base, tags, summary: 'Every platform and whether it can run here', responses: { 200: answer('The platforms', z.array(platformSchema)), ...errorResponses } }),
    async (c) => {
      const found = await engine.call('tools.list', undefined);
      return ok(c, platforms.map((platform) => toPlatform(platform.id, found)));
    },
  );

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: `${base}/{name}`,
      tags,
      summary: 'One platform',
      request: { params: platformNameParamSchema },
      responses: { 200: answer('The platform', platformSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => ok(c, toPlatform(known(c.req.valid('param').name), await engine.call('tools.list', undefined))),
  );

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: `${base}/{name}/health`,
      tags,
      summary: 'What looking for the platform\'s tool found: where, which version, what is wrong',
      request: { params: platformNameParamSchema },
      responses: { 200: answer('The tool\'s detection', platformHealthSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const name = known(c.req.valid('param').name);
      const tool = (await engine.call('tools.list', undefined)).find((entry) => entry.platform === name);
      if (!tool) throw new ApiFailure('unavailable', `the engine has no detector for ${name}`);
      return ok(c, {
        name,
        status: isToolUsable(tool) ? ('ok' as const) : ('unavailable' as const),
        installed: tool.installed,
        path: tool.path,
        version: tool.version,
        minimumVersion: tool.minimumVersion,
        tooOld: tool.tooOld,
        problem: tool.error ?? null,
        notes: tool.notes ?? [],
        checkedAt: tool.checkedAt,
      });
    },
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'post',
      path: `${base}/{name}/execute`,
      tags,
      summary: 'Runs one action as a one-step operation: its result when it ends, or its id at once with ?wait=false',
      request: { params: platformNameParamSchema, query: waitQuerySchema, body: jsonBody(executeSchema) },
      responses: {
        200: answer('The operation as it ended', operationSchema),
        202: answer('Started; follow it at Location or in the events', createdOperationSchema),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const name = known(c.req.valid('param').name);
      const body = c.req.valid('json');
      const label = platforms.find((platform) => platform.id === name)!.label;
      const step = { step: 1, platform: name, inputs: body.inputs, ...(body.action && { action: body.action }), ...(body.agent && { agent: body.agent }), ...(body.timeout && { timeout: body.timeout }), ...(body.cwd && { cwd: body.cwd }) };
      const { runId } = await engine
        .call('runs.start', { workflow: { name: `${label}: ${body.action ?? 'execute'}`, workflow: [step] } })
        .catch((error: unknown) => {
          // The engine checks the one-step workflow this body became; its places are the body's own.
          throw movePlaces(toFailure(error), 'body.workflow[0].', 'body.');
        });
      c.header('Location', `/api/v1/operations/${runId}`);
      if (c.req.valid('query').wait === 'false') return ok(c, { id: runId }, 202);
      await engine.waitForRun(runId);
      return ok(c, toOperation(await engine.call('runs.get', { runId })), 200);
    },
  );
}

function known(name: string): string {
  if (!platforms.some((platform) => platform.id === name)) {
    throw new ApiFailure('not_found', `no platform "${name}"; these exist: ${platforms.map((platform) => platform.id).join(', ')}`, { issues: [{ place: 'params.name', message: 'unknown platform' }] });
  }
  return name;
}

function toPlatform(name: string, found: ToolDetection[]): ApiPlatform {
  const info = platforms.find((platform) => platform.id === name)!;
  const tool = found.find((entry) => entry.platform === name);
  return {
    name,
    label: info.label,
    primaryInput: info.primaryInput,
    installed: tool?.installed ?? false,
    usable: tool ? isToolUsable(tool) : false,
    version: tool?.version ?? null,
    problem: tool?.error ?? null,
  };
}

