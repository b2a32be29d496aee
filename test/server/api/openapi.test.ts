/**
 * The OpenAPI document the server publishes: valid OpenAPI 3.1 by an independent validator, and
 * true to what the server does (every route in it, the refusal the schema promises is the one given).
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiHost } from './helpers.js';

const api = useApiHost();
interface Document {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { 'x-photon-scope'?: string; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }> };
}
let document: Document;

beforeAll(async () => {
  const response = await fetch(`http://127.0.0.1:${api.host.server.port}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${api.host.server.token}` } });
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
});

describe('/api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('lists every endpoint with the scope an API key needs', () => {
    const expected: [string, string, string][] = [
      ['/health', 'get', 'read'],
      ['/health/detailed', 'get', 'read'],
      ['/metrics/dashboard', 'get', 'read'],
      ['/api/v1/operations', 'get', 'read'],
      ['/api/v1/operations', 'post', 'run'],
      ['/api/v1/operations/{id}', 'get', 'read'],
      ['/api/v1/operations/{id}', 'delete', 'run'],
      ['/api/v1/operations/{id}', 'put', 'run'],
      ['/api/v1/agents/{id}/heartbeat', 'post', 'run'],
      ['/api/v1/agents', 'get', 'read'],
      ['/api/v1/agents', 'post', 'admin'],
      ['/api/v1/agents/{id}', 'put', 'admin'],
      ['/api/v1/agents/{id}', 'delete', 'admin'],
      ['/api/v1/platforms', 'get', 'read'],
      ['/api/v1/platforms/{name}/health', 'get', 'read'],
      ['/api/v1/platforms/{name}/execute', 'post', 'run'],
      ['/api/v1/events/stream', 'get', 'read'],
      ['/api/v1/schedules', 'get', 'read'],
      ['/api/v1/schedules', 'post', 'admin'],
      ['/api/v1/schedules/{id}', 'delete', 'admin'],
      ['/api/v1/schedules/{id}/enable', 'post', 'admin'],
      ['/api/v1/schedules/{id}/disable', 'post', 'admin'],
      ['/api/v1/triggers', 'get', 'read'],
      ['/api/v1/triggers', 'post', 'admin'],
      ['/api/v1/triggers/{id}', 'delete', 'admin'],
      ['/api/v1/triggers/{id}/enable', 'post', 'admin'],
      ['/api/v1/triggers/{id}/disable', 'post', 'admin'],
    ];
    for (const [path, method, scope] of expected) {
      expect(document.paths[path]?.[method]?.['x-photon-scope'], `${method} ${path}`).toBe(scope);
    }
  });

  it('describes the envelope and the refusals from the same schemas the server enforces', async () => {
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['ErrorEnvelope', 'Error', 'Issue', 'CreateOperationRequest', 'UpdateOperationRequest', 'Operation', 'AgentDefinition', 'Schedule', 'Trigger', 'CreateScheduleRequest', 'CreateTriggerRequest']));
    const create = document.components.schemas.CreateOperationRequest!;
    // Unknown fields are refused: the document says so, and so does the server.
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(['name', 'description', 'priority', 'agents', 'platforms', 'workflow', 'deadline', 'workflowId']));
    const refused = await api.call('POST', '/api/v1/operations', { body: { name: 'x', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }], unexpected: 1 } });
    expect(refused.status).toBe(400);
    expect(Object.keys(document.paths['/api/v1/operations']!.post!.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '429']));
  });
});
