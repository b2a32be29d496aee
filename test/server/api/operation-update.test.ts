/**
 * PUT /api/v1/operations/:id and deadlines over real HTTP: priority, deadline and metadata change
 * on a real run, and a run whose deadline passes is cancelled (its process killed), saying why.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../shared/rest.js';
import { eventually, useApiHost } from './helpers.js';

const api = useApiHost();

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function start(command: string, extra: Record<string, unknown> = {}): Promise<Operation> {
  const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { name: 'updated', workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: api.host.root, ...extra } });
  expect(answer.status, JSON.stringify(answer.body.error)).toBe(201);
  return answer.body.data!;
}

async function ended(id: string): Promise<Operation> {
  return eventually(async () => {
    const state = (await api.call<Operation>('GET', `/api/v1/operations/${id}`)).body.data!;
    return state.status === 'running' ? undefined : state;
  }, `operation ${id} to end`, 60_000);
}

describe('deadlines', () => {
  it('cancels an operation whose deadline passes, killing its step and saying why', async () => {
    const deadline = inSeconds(2);
    const operation = await start('sleep 60', { deadline });
    expect(operation.deadline).toBe(deadline);
    const done = await ended(operation.id);
    expect(done.status).toBe('cancelled');
    expect(done.steps[0]!.status).toBe('cancelled');
    expect(done.errors).toEqual([{ step: 1, message: `cancelled: the operation's deadline (${deadline}) passed` }]);
    expect(Date.parse(done.finishedAt!) - Date.parse(done.startedAt!)).toBeLessThan(55_000);
  });

  it('refuses a deadline that has passed, and starts nothing', async () => {
    const before = (await api.host.engine.call('runs.list', { limit: 1000 })).length;
    const answer = await api.call('POST', '/api/v1/operations', { body: { name: 'late', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }], deadline: '2001-01-01T00:00:00Z' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.issues).toEqual([{ place: 'body.deadline', message: 'already passed' }]);
    expect((await api.host.engine.call('runs.list', { limit: 1000 })).length).toBe(before);
  });
});

describe('PUT /api/v1/operations/:id', () => {
  it('changes priority and metadata, and a new deadline applies at once', async () => {
    const operation = await start('sleep 60');
    const changed = await api.call<Operation>('PUT', `/api/v1/operations/${operation.id}`, { body: { priority: 'critical', metadata: { ticket: 'OPS-7' } } });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ priority: 'critical', metadata: { ticket: 'OPS-7' }, status: 'running' });
    expect((await api.call<Operation>('GET', `/api/v1/operations/${operation.id}`)).body.data).toMatchObject({ priority: 'critical', metadata: { ticket: 'OPS-7' } });

    const deadline = inSeconds(1.5);
    expect((await api.call<Operation>('PUT', `/api/v1/operations/${operation.id}`, { body: { deadline } })).body.data!.deadline).toBe(deadline);
    const done = await ended(operation.id);
    expect(done.status).toBe('cancelled');
    expect(done.errors[0]!.message).toContain(deadline);
  });

  it('removes a deadline with null, and the operation runs to its end', async () => {
    const operation = await start('sleep 4', { deadline: inSeconds(2) });
    const cleared = await api.call<Operation>('PUT', `/api/v1/operations/${operation.id}`, { body: { deadline: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data!.deadline).toBeNull();
    expect((await ended(operation.id)).status).toBe('succeeded');
  });

  it('refuses an empty change, a passed deadline, unknown fields and unknown operations', async () => {
    const operation = await start('true');
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ deadline: '2001-01-01T00:00:00Z' }, 'body.deadline'],
      [{ deadline: 'soon' }, 'body.deadline'],
      [{ priority: 'high', owner: 'me' }, 'body'],
    ];
    for (const [body, place] of cases) {
      const answer = await api.call('PUT', `/api/v1/operations/${operation.id}`, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.issues?.map((issue) => issue.place), JSON.stringify(body)).toContain(place);
    }
    expect((await api.call('PUT', '/api/v1/operations/nope-nope', { body: { priority: 'low' } })).status).toBe(404);
  });
});
