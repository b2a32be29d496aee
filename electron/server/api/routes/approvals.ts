/**
 * The approvals inbox: approvals.list and approvals.answer, one request at a time. A request that
 * cannot be answered (unknown, answered already, expired, typed input) is refused with the
 * engine's reason and code, as `photon approve` prints it.
 */
import { answerApprovalSchema, approvalSchema, listApprovalsQuerySchema } from '../../../../shared/rest-approvals.js';
import { z } from 'zod';
import { ok } from '../envelope.js';
import { ApiFailure } from '../errors.js';
import { answer, apiRoute, conflictResponse, errorResponses, jsonBody, notFoundResponse, type ApiApp, type RouteDeps } from './route.js';
import { idParamSchema } from '../../../../shared/rest.js';

const base = '/api/v1/approvals';
const tags = ['approvals'];

export function registerApprovals(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;

  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: base,
      tags,
      summary: 'What agents and steps wait for a person to answer (with ?all=true, also what was answered), newest first',
      request: { query: listApprovalsQuerySchema },
      responses: { 200: answer('The requests', z.array(approvalSchema)), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return ok(c, await engine.call('approvals.list', { waitingOnly: !query.all, runId: query.operation }));
    },
  );

  app.openapi(
    apiRoute(hooks, 'run', {
      method: 'post',
      path: `${base}/{id}/answer`,
      tags,
      summary: 'Answers a waiting request: allow it once, for the rest of its run, always (a rule), or deny it with a message to the agent',
      request: { params: idParamSchema, body: jsonBody(answerApprovalSchema) },
      responses: { 200: answer('The request as answered', approvalSchema), ...errorResponses, ...notFoundResponse, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const [result] = await engine.call('approvals.answer', { ids: [id], answer: body.answer, ...(body.message ? { message: body.message } : {}) });
      if (!result!.ok) throw new ApiFailure(result!.code === 'not_found' || result!.code === 'invalid' ? result!.code : 'conflict', result!.reason);
      return ok(c, result!.item);
    },
  );
}
