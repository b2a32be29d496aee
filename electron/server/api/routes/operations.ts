/**
 * Operations: the specification's name for a run of a workflow. Listing, starting (inline or from a
 * saved workflow), reading, cancelling and resuming are runs.list, runs.start, runs.get, runs.cancel
 * and runs.resume.
 */
import {
  createOperationSchema,
  idParamSchema,
  listOperationsQuerySchema,
  operationPageSchema,
  operationSchema,
  updateOperationSchema,
  type CreateOperationRequest,
} from '../../../../shared/rest.js';
import { resumeOperationSchema } from '../../../../shared/rest-approvals.js';
import type { Engine } from '../../../engine/index.js';
import { ok, okSerialized } from '../envelope.js';
import { ApiFailure } from '../errors.js';
import { etagMatches, serializedPage } from './operation-pages.js';
import { toOperation } from './operation-view.js';
import { createStartBatch } from './start-batch.js';
import { answer, apiRoute, conflictResponse, errorResponses, jsonBody, notFoundResponse, type ApiApp, type RouteDeps } from './route.js';

const base = '/api/v1/operations';
const tags = ['operations'];

export function registerOperations(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;
  const batch = createStartBatch();

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: base,
      tags,
      summary: 'Operations, newest first, filtered by status, workflow and creation time',
      request: { query: listOperationsQuerySchema },
      responses: {
        200: { ...answer('A page of operations', operationPageSchema), headers: { ETag: { description: 'Names this page; send it back in If-None-Match', schema: { type: 'string' } } } },
        304: { description: 'The page is as it was when its ETag (sent in If-None-Match) was given' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      // One more than asked: whether it comes back says if there is a next page.
      const runs = await engine.call('runs.list', {
        limit: query.limit + 1,
        offset: query.offset,
        workflowId: query.workflow,
        status: query.status,
        since: query.since === undefined ? undefined : Date.parse(query.since),
        until: query.until === undefined ? undefined : Date.parse(query.until),
      });
      const page = serializedPage(runs, query.limit, query.offset);
      c.header('ETag', page.etag);
      // Kept by a client, but asked about again each time: the page changes with every run.
      c.header('Cache-Control', 'no-cache');
      if (etagMatches(c.env.incoming.headers['if-none-match'], page.etag)) return c.body(null, 304);
      return okSerialized(c, page.json);
    },
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'post',
      path: base,
      tags,
      summary: 'Starts an operation: written inline (the workflow file format) or a saved workflow by id',
      request: { body: jsonBody(createOperationSchema) },
      responses: { 201: answer('Started; Location names it', operationSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { runId } = await batch(() => engine.call('runs.start', startParams(body)));
      c.header('Location', `${base}/${runId}`);
      return ok(c, toOperation(await engine.call('runs.get', { runId })), 201);
    },
  );

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: `${base}/{id}`,
      tags,
      summary: 'An operation: status, progress, steps, results and errors',
      request: { params: idParamSchema },
      responses: { 200: answer('The operation', operationSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => ok(c, toOperation(await engine.call('runs.get', { runId: c.req.valid('param').id }))),
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'put',
      path: `${base}/{id}`,
      tags,
      summary: 'Changes an operation\'s priority, deadline (null removes it) or metadata; a passed deadline cancels it, saying so',
      request: { params: idParamSchema, body: jsonBody(updateOperationSchema) },
      responses: { 200: answer('The operation as changed', operationSchema), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => ok(c, toOperation(await engine.call('runs.update', { runId: c.req.valid('param').id, ...c.req.valid('json') }))),
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      summary: 'Cancels a running operation (its steps\' processes are stopped)',
      request: { params: idParamSchema },
      responses: { 200: answer('Cancelled; the operation as it ended', operationSchema), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => ok(c, toOperation(await cancel(engine, c.req.valid('param').id))),
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'post',
      path: `${base}/{id}/resume`,
      tags,
      summary: 'Resumes an ended operation that did not succeed: its unfinished steps run again, the succeeded ones keep their outputs',
      request: { params: idParamSchema, body: { required: false, content: { 'application/json': { schema: resumeOperationSchema } } } },
      responses: { 201: answer('Resumed; Location names it', operationSchema), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => {
      const { definition } = c.req.valid('json') ?? {};
      const { runId } = await engine.call('runs.resume', { runId: c.req.valid('param').id, ...(definition ? { definition } : {}) });
      c.header('Location', `${base}/${runId}`);
      return ok(c, toOperation(await engine.call('runs.get', { runId })), 201);
    },
  );
}

function startParams(body: CreateOperationRequest) {
  const common = { baseDir: body.baseDir, concurrency: body.concurrency };
  if (body.workflowId !== undefined) return { workflowId: body.workflowId, ...common };
  const { workflowId: _id, baseDir: _baseDir, concurrency: _concurrency, ...definition } = body;
  return { workflow: definition, ...common };
}

async function cancel(engine: Engine, id: string) {
  const run = await engine.call('runs.get', { runId: id });
  const { cancelled } = await engine.call('runs.cancel', { runId: run.runId });
  if (!cancelled) throw new ApiFailure('conflict', `operation ${run.runId} is not running (it ${run.status}); only a running operation can be cancelled`);
  return engine.call('runs.get', { runId: run.runId });
}

