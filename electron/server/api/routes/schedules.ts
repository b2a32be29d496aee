/**
 * Schedules and triggers of saved workflows: listed with a read key, made, removed and turned on or
 * off with an admin key (they start runs with no one there, so they are managed like agents). Each
 * route is one contract call with the contract's own schema, so the engine's refusals (a bad cron
 * naming its field, a name already used, an unknown id) come back as they are.
 */
import { z } from 'zod';
import { idParamSchema } from '../../../../shared/rest.js';
import {
  createScheduleSchema,
  createTriggerSchema,
  createdTriggerSchema,
  listAutomationQuerySchema,
  removedSchema,
  scheduleSchema,
  triggerSchema,
} from '../../../../shared/rest-schedules.js';
import { ok } from '../envelope.js';
import { ApiFailure } from '../errors.js';
import { answer, apiRoute, conflictResponse, errorResponses, jsonBody, notFoundResponse, type ApiApp, type RouteDeps } from './route.js';

export function registerSchedules(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;

  // ---- schedules ----
  const schedules = '/api/v1/schedules';
  const scheduleTags = ['schedules'];

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: schedules,
      tags: scheduleTags,
      summary: 'Cron schedules of saved workflows (one workflow\'s with ?workflow=ID), with when each fires next',
      request: { query: listAutomationQuerySchema },
      responses: { 200: answer('The schedules', z.array(scheduleSchema)), ...errorResponses },
    }),
    async (c) => {
      const { workflow } = c.req.valid('query');
      return ok(c, await engine.call('schedules.list', workflow ? { workflowId: workflow } : undefined));
    },
  );

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'post',
      path: schedules,
      tags: scheduleTags,
      summary: 'Adds a cron schedule to a saved workflow; the engine running it fires it from now on',
      request: { body: jsonBody(createScheduleSchema) },
      responses: { 201: answer('Added; Location names it', scheduleSchema), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => {
      const schedule = await engine.call('schedules.add', c.req.valid('json'));
      c.header('Location', `${schedules}/${schedule.id}`);
      return ok(c, schedule, 201);
    },
  );

  for (const enabled of [true, false]) {
    app.openapi(
      apiRoute(hooks, 'admin', {
        method: 'post',
        path: `${schedules}/{id}/${enabled ? 'enable' : 'disable'}`,
        tags: scheduleTags,
        summary: enabled ? 'Turns a schedule on: it fires at its next time' : 'Turns a schedule off: it fires no more until turned on',
        request: { params: idParamSchema },
        responses: { 200: answer('The schedule', scheduleSchema), ...errorResponses, ...notFoundResponse },
      }),
      async (c) => ok(c, await engine.call('schedules.setEnabled', { id: c.req.valid('param').id, enabled })),
    );
  }

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'delete',
      path: `${schedules}/{id}`,
      tags: scheduleTags,
      summary: 'Removes a schedule (the runs it started stay)',
      request: { params: idParamSchema },
      responses: { 200: answer('Removed', removedSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { removed } = await engine.call('schedules.remove', { id });
      if (!removed) throw new ApiFailure('not_found', `no schedule ${id}; GET ${schedules} lists them`);
      return ok(c, { id, removed: true as const });
    },
  );

  // ---- triggers ----
  const triggers = '/api/v1/triggers';
  const triggerTags = ['triggers'];

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: triggers,
      tags: triggerTags,
      summary: 'File and webhook triggers of saved workflows (one workflow\'s with ?workflow=ID); never their secrets',
      request: { query: listAutomationQuerySchema },
      responses: { 200: answer('The triggers', z.array(triggerSchema)), ...errorResponses },
    }),
    async (c) => {
      const { workflow } = c.req.valid('query');
      return ok(c, await engine.call('triggers.list', workflow ? { workflowId: workflow } : undefined));
    },
  );

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'post',
      path: triggers,
      tags: triggerTags,
      summary: 'Adds a file trigger (a file or folder changing) or a webhook to a saved workflow; a webhook\'s secret is in this answer only',
      request: { body: jsonBody(createTriggerSchema) },
      responses: { 201: answer('Added; Location names it', createdTriggerSchema), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => {
      const created = await engine.call('triggers.add', c.req.valid('json'));
      c.header('Location', `${triggers}/${created.trigger.id}`);
      // The secret is shown once: nothing between here and the client may keep it.
      c.header('Cache-Control', 'no-store');
      return ok(c, created, 201);
    },
  );

  for (const enabled of [true, false]) {
    app.openapi(
      apiRoute(hooks, 'admin', {
        method: 'post',
        path: `${triggers}/{id}/${enabled ? 'enable' : 'disable'}`,
        tags: triggerTags,
        summary: enabled ? 'Turns a trigger on' : 'Turns a trigger off: its file changes are ignored, its webhook answers 409',
        request: { params: idParamSchema },
        responses: { 200: answer('The trigger', triggerSchema), ...errorResponses, ...notFoundResponse },
      }),
      async (c) => ok(c, await engine.call('triggers.setEnabled', { id: c.req.valid('param').id, enabled })),
    );
  }

  app.openapi(
    apiRoute(hooks, 'admin', {
      method: 'delete',
      path: `${triggers}/{id}`,
      tags: triggerTags,
      summary: 'Removes a trigger (a webhook\'s URL then answers 401)',
      request: { params: idParamSchema },
      responses: { 200: answer('Removed', removedSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { removed } = await engine.call('triggers.remove', { id });
      if (!removed) throw new ApiFailure('not_found', `no trigger ${id}; GET ${triggers} lists them`);
      return ok(c, { id, removed: true as const });
    },
  );
}
