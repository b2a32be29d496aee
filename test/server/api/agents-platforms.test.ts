/**
 * Agents, platforms, health and the dashboard over real HTTP, each a translation onto the engine:
 * agents saved in real SQLite, the real shell detected and run as a one-step operation.
 */
import { describe, expect, it } from 'vitest';
import type { ApiAgent, ApiPlatform, DetailedHealth, Operation } from '../../../shared/rest.js';
import { eventually, expectEnvelope, useApiHost } from './helpers.js';

const api = useApiHost();

describe('/api/v1/agents', () => {
  it('registers, lists, reads, replaces and deletes an agent', async () => {
    const created = await api.call<ApiAgent>('POST', '/api/v1/agents', { body: { id: 'reviewer', name: 'Reviewer', tool: 'shell', capabilities: ['review'] } });
    expect(created.status).toBe(201);
    expectEnvelope(created, true);
    expect(created.headers.get('location')).toBe('/api/v1/agents/reviewer');
    expect(created.body.data).toMatchObject({ id: 'reviewer', name: 'Reviewer', tool: 'shell', capabilities: ['review'], status: 'idle' });
    expect((await api.host.engine.call('agents.get', { id: 'reviewer' })).name).toBe('Reviewer');

    const list = await api.call<ApiAgent[]>('GET', '/api/v1/agents');
    expect(list.body.data!.map((agent) => agent.id)).toContain('reviewer');
    expect((await api.call<ApiAgent>('GET', '/api/v1/agents/reviewer')).body.data!.name).toBe('Reviewer');

    const replaced = await api.call<ApiAgent>('PUT', '/api/v1/agents/reviewer', { body: { name: 'Senior reviewer', tool: 'shell', maxConcurrentSteps: 2 } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({ id: 'reviewer', name: 'Senior reviewer', maxConcurrentSteps: 2, capabilities: [] });

    const deleted = await api.call('DELETE', '/api/v1/agents/reviewer');
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ id: 'reviewer', deleted: true });
    expect((await api.call('GET', '/api/v1/agents/reviewer')).status).toBe(404);
    expect((await api.call('DELETE', '/api/v1/agents/reviewer')).status).toBe(404);
  });

  it('refuses a duplicate, a bad field, an unknown field and a mismatched id, naming the place', async () => {
    expect((await api.call('POST', '/api/v1/agents', { body: { id: 'dup', name: 'One', tool: 'shell' } })).status).toBe(201);
    const duplicate = await api.call('POST', '/api/v1/agents', { body: { id: 'dup', name: 'Two', tool: 'shell' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error?.issues).toEqual([{ place: 'body.id', message: 'already in use' }]);
    expect((await api.host.engine.call('agents.get', { id: 'dup' })).name).toBe('One');

    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/agents', { id: 'x', name: 'X', tool: 'not-a-tool' }, 'body.tool'],
      ['POST', '/api/v1/agents', { id: 'has space', name: 'X', tool: 'shell' }, 'body.id'],
      ['POST', '/api/v1/agents', { id: 'x', name: 'X', tool: 'shell', colour: 'red' }, 'body'],
      ['PUT', '/api/v1/agents/dup', { id: 'other', name: 'X', tool: 'shell' }, 'body.id'],
      ['PUT', '/api/v1/agents/dup', { name: 'X', tool: 'shell', maxConcurrentSteps: 0 }, 'body.maxConcurrentSteps'],
    ];
    for (const [method, path, body, place] of cases) {
      const answer = await api.call(method, path, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.issues?.map((issue) => issue.place), JSON.stringify(body)).toContain(place);
    }
    expect((await api.call('PUT', '/api/v1/agents/nobody', { body: { name: 'X', tool: 'shell' } })).status).toBe(404);
    expect((await api.host.engine.call('agents.get', { id: 'dup' })).name).toBe('One');
  });
});

describe('/api/v1/platforms', () => {
  it('lists every platform, with the shell usable here', async () => {
    const answer = await api.call<ApiPlatform[]>('GET', '/api/v1/platforms');
    expect(answer.status).toBe(200);
    const names = answer.body.data!.map((platform) => platform.name);
    expect(names).toEqual(expect.arrayContaining(['shell', 'claude-code', 'codex', 'gemini']));
    expect(answer.body.data!.find((platform) => platform.name === 'shell')).toMatchObject({ installed: true, usable: true, primaryInput: 'command' });
  });

  it('reads one platform and its detection; an unknown one is 404 naming those that exist', async () => {
    expect((await api.call<ApiPlatform>('GET', '/api/v1/platforms/shell')).body.data).toMatchObject({ name: 'shell', label: 'Shell' });
    const health = await api.call<{ status: string; installed: boolean; path: string | null }>('GET', '/api/v1/platforms/shell/health');
    expect(health.body.data).toMatchObject({ status: 'ok', installed: true });
    expect(health.body.data!.path).toMatch(/sh$/);
    const unknown = await api.call('GET', '/api/v1/platforms/teleporter');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toContain('claude-code');
    expect((await api.call('GET', '/api/v1/platforms/teleporter/health')).status).toBe(404);
  });

  it('executes one action as a one-step operation and answers with its result', async () => {
    const answer = await api.call<Operation>('POST', '/api/v1/platforms/shell/execute', { body: { action: 'greet', inputs: { command: 'echo executed-$((40+2))' }, cwd: api.host.root } });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ name: 'Shell: greet', status: 'succeeded' });
    expect(answer.body.data!.results[0]!.output).toContain('executed-42');
    expect(answer.headers.get('location')).toBe(`/api/v1/operations/${answer.body.data!.id}`);
  });

  it('with ?wait=false answers 202 with the id at once, and the operation runs on', async () => {
    const answer = await api.call<{ id: string }>('POST', '/api/v1/platforms/shell/execute?wait=false', { body: { inputs: { command: 'sleep 0.5; echo later' }, cwd: api.host.root } });
    expect(answer.status).toBe(202);
    const { id } = answer.body.data!;
    const done = await eventually(async () => {
      const state = (await api.call<Operation>('GET', `/api/v1/operations/${id}`)).body.data!;
      return state.status === 'running' ? undefined : state;
    }, 'the executed operation to end');
    expect(done.status).toBe('succeeded');
    expect(done.results[0]!.output).toContain('later');
  });

  it('refuses bad execute input before starting anything', async () => {
    const before = (await api.host.engine.call('runs.list', { limit: 1000 })).length;
    expect((await api.call('POST', '/api/v1/platforms/shell/execute', { body: { inputs: {}, extra: true } })).status).toBe(400);
    expect((await api.call('POST', '/api/v1/platforms/shell/execute?wait=maybe', { body: { inputs: { command: 'true' } } })).body.error?.issues?.[0]?.place).toBe('query.wait');
    const noCommand = await api.call('POST', '/api/v1/platforms/shell/execute', { body: { inputs: {} } });
    expect(noCommand.status).toBe(400);
    expect(noCommand.body.error?.issues?.[0]?.place).toBe('body.inputs.command');
    expect((await api.call('POST', '/api/v1/platforms/teleporter/execute', { body: { inputs: {} } })).status).toBe(404);
    expect((await api.host.engine.call('runs.list', { limit: 1000 })).length).toBe(before);
  });
});

describe('health and the dashboard', () => {
  it('/health/detailed reports the engine, database, keychain, tools and disk', async () => {
    const answer = await api.call<DetailedHealth>('GET', '/health/detailed');
    expect(answer.status).toBe(200);
    const { checks } = answer.body.data!;
    expect(Object.keys(checks).sort()).toEqual(['database', 'disk', 'engine', 'keychain', 'tools']);
    expect(checks.engine.status).toBe('ok');
    expect(checks.database).toEqual({ status: 'ok', detail: 'SQLite answers' });
    expect(checks.tools.detail).toContain('shell');
    expect(checks.disk.detail).toContain('GiB free');
    expect(['ok', 'degraded']).toContain(answer.body.data!.status);
  });

  it('/metrics/dashboard carries the snapshot and each agent\'s record; /metrics stays Prometheus', async () => {
    const answer = await api.call<{ snapshot: Record<string, unknown>; agents: unknown[] }>('GET', '/metrics/dashboard');
    expect(answer.status).toBe(200);
    expect(answer.body.data!.snapshot).toHaveProperty('machine');
    expect(Array.isArray(answer.body.data!.agents)).toBe(true);
    const prometheus = await fetch(`http://127.0.0.1:${api.host.server.port}/metrics`, { headers: { authorization: `Bearer ${api.host.server.token}` } });
    expect(prometheus.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});
