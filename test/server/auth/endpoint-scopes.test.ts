/**
 * Every endpoint of the REST API, read from its own OpenAPI document, against keys of each scope:
 * a key below an endpoint's `x-photon-scope` is refused with 403 before its input is read, and a
 * key at that scope gets past the scope check. An endpoint without a scope fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accessScopes, scopeAllows, type AccessScope } from '../../../shared/access.js';
import { useApiHost } from '../api/helpers.js';

// No key bucket: this test sends many requests with each key.
const api = useApiHost({ limits: { key: null, address: null, failures: { limit: 30, windowSeconds: 60 } } });
const keys = {} as Record<AccessScope, string>;

beforeAll(async () => {
  for (const scope of accessScopes) keys[scope] = (await api.host.engine.call('keys.create', { name: `key-${scope}`, scope })).secret;
});

interface Operation {
  method: string;
  path: string;
  scope: unknown;
}

async function operations(): Promise<Operation[]> {
  const document = (await api.call<Record<string, unknown>>('GET', '/api/v1/openapi.json')).body as unknown as {
    paths: Record<string, Record<string, { 'x-photon-scope'?: unknown; security?: Record<string, unknown>[] }>>;
  };
  const found: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      // A webhook takes no key at all: its own secret is its credential (test/server/api/webhooks.test.ts).
      if (operation.security?.some((scheme) => 'webhookSecret' in scheme)) continue;
      if (['get', 'post', 'put', 'delete', 'patch'].includes(method)) found.push({ method: method.toUpperCase(), path, scope: operation['x-photon-scope'] });
    }
  }
  return found;
}

async function streamStatus(path: string, key: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${api.host.server.port}${path}`, { headers: { 'x-api-key': key }, signal: controller.signal });
  controller.abort();
  return response.status;
}

describe('the scope of every endpoint', () => {
  it('is declared, and a key below it is refused with 403 before its input is read', async () => {
    const all = await operations();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((op) => !(accessScopes as readonly unknown[]).includes(op.scope)).map((op) => `${op.method} ${op.path}`)).toEqual([]);

    const wrong: string[] = [];
    for (const op of all) {
      // A resource that does not exist, and a body that is not valid: only the scope check can pass or refuse first.
      const path = op.path.replace(/\{[^}]+\}/g, 'no-such-id');
      for (const scope of accessScopes) {
        if (op.path.endsWith('/events/stream')) {
          // A stream stays open once allowed: its status line is the answer.
          const status = await streamStatus(path, keys[scope]);
          if ((status === 403) === scopeAllows(scope, op.scope as AccessScope)) wrong.push(`${op.method} ${op.path} with a ${scope} key: ${status}`);
          continue;
        }
        const answer = await api.call(op.method, `${path}${op.method === 'POST' && path.endsWith('/execute') ? '?wait=false' : ''}`, {
          token: null,
          headers: { 'x-api-key': keys[scope] },
          ...(op.method === 'POST' || op.method === 'PUT' ? { body: { notAField: true } } : {}),
        });
        const refused = answer.status === 403 && answer.body.error?.code === 'forbidden';
        if (refused === scopeAllows(scope, op.scope as AccessScope)) wrong.push(`${op.method} ${op.path} with a ${scope} key: ${answer.status} ${answer.body.error?.message ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
