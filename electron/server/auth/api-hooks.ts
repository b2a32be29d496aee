/**
 * API keys, scopes, rate limits and the audit log plugged into the REST API's pipeline (see
 * ../api/access.ts for where each hook runs). A request with the app's own token never reaches
 * `authenticate`; one with a key is admitted by the key gate, then held to the route's scope.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { isPhotonError } from '../../../shared/errors.js';
import { ApiFailure, type ApiAccessHooks } from '../api/index.js';
import { clientAddress, type KeyGate } from './key-gate.js';

type Admitted = Extract<Awaited<ReturnType<KeyGate['admit']>>, { ok: true }>;

export function apiKeyHooks(gate: KeyGate): ApiAccessHooks {
  /** The key each request was admitted with, for its scope check and its RateLimit headers. */
  const admitted = new WeakMap<IncomingMessage, Admitted>();
  const targetOf = (request: IncomingMessage) => `${request.method ?? 'GET'} ${(request.url ?? '/').split('?')[0]}`;

  const rateHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    const admission = admitted.get((c.env as { incoming: IncomingMessage }).incoming);
    if (!admission) return;
    for (const [name, value] of Object.entries(admission.headers)) c.res.headers.set(name, value);
  };

  return {
    before: [rateHeaders],
    async authenticate(request) {
      const admission = await gate.admit(request.headers, clientAddress(request.socket.remoteAddress), targetOf(request));
      if (!admission.ok) {
        const headers = admission.code === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer realm="photon"', ...admission.headers } : admission.headers;
        throw new ApiFailure(admission.code, admission.message, { headers });
      }
      admitted.set(request, admission);
      return { kind: 'key', name: `key "${admission.key.name}"`, keyId: admission.key.prefix, scope: admission.key.scope };
    },
    authorize(principal, scope, request) {
      // The app's own token may do everything the app does.
      if (principal.kind === 'session') return;
      const admission = admitted.get(request);
      if (!admission) throw new ApiFailure('unauthorized', 'this request was not admitted with an API key');
      try {
        gate.authorize(admission.key, scope, targetOf(request), admission.address);
      } catch (error) {
        if (isPhotonError(error) && error.code === 'forbidden') throw new ApiFailure('forbidden', error.message);
        throw error;
      }
    },
  };
}
