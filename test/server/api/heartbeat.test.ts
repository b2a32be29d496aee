/**
 * Heartbeats over real HTTP: an agent registered with a heartbeat interval goes inactive when its
 * heartbeats stop (announced as it happens), comes back with the next one, and "agent": "auto"
 * passes it over while it is inactive — with real runs deciding.
 */
import { describe, expect, it } from 'vitest';
import type { ApiAgent, ApiEvent, Operation } from '../../../shared/rest.js';
import { eventually, useApiHost } from './helpers.js';
import { openSse } from './sse-client.js';

const api = useApiHost();

const interval = 0.3;

async function status(id: string): Promise<ApiAgent> {
  return (await api.call<ApiAgent>('GET', `/api/v1/agents/${id}`)).body.data!;
}

async function runAuto(): Promise<Operation> {
  const started = await api.call<Operation>('POST', '/api/v1/operations', {
    body: { name: 'auto pick', workflow: [{ step: 1, platform: 'shell', agent: 'auto', requires: ['beats'], inputs: { command: 'echo picked' } }], baseDir: api.host.root },
  });
  expect(started.status).toBe(201);
  return eventually(async () => {
    const state = (await api.call<Operation>('GET', `/api/v1/operations/${started.body.data!.id}`)).body.data!;
    return state.status === 'running' ? undefined : state;
  }, 'the auto-picked operation to end');
}

describe('POST /api/v1/agents/:id/heartbeat', () => {
  it('marks an agent inactive when its heartbeats stop, active when they resume; auto selection skips it meanwhile', async () => {
    const events = await openSse(`http://127.0.0.1:${api.host.server.port}/api/v1/events/stream?type=agent.updated`, { authorization: `Bearer ${api.host.server.token}` });
    const created = await api.call<ApiAgent>('POST', '/api/v1/agents', { body: { id: 'beater', name: 'Beater', tool: 'shell', capabilities: ['beats'], heartbeatIntervalSeconds: interval } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ status: 'idle', heartbeatIntervalSeconds: interval });

    // Silence: after three intervals it is inactive, and the change is announced without anyone asking.
    const announced = await events.until((message) => {
      const payload = (JSON.parse(message.data) as ApiEvent).payload as { agentId: string; status: string };
      return payload.agentId === 'beater' && payload.status === 'inactive';
    });
    events.close();
    expect(announced.length).toBeGreaterThan(0);
    const quiet = await status('beater');
    expect(quiet.status).toBe('inactive');
    expect(quiet.reason).toContain('no heartbeat');

    const skipped = await runAuto();
    expect(skipped.status).toBe('failed');
    expect(skipped.errors[0]?.message).toContain('no saved agent can run this step');

    const beat = await api.call<ApiAgent>('POST', '/api/v1/agents/beater/heartbeat');
    expect(beat.status).toBe(200);
    expect(beat.body.data!.status).toBe('idle');
    expect(Date.parse(beat.body.data!.lastHeartbeatAt!)).toBeGreaterThan(Date.now() - 60_000);

    // Kept alive while the run picks an agent.
    const keepAlive = setInterval(() => void api.call('POST', '/api/v1/agents/beater/heartbeat').catch(() => undefined), (interval * 1000) / 2);
    try {
      const picked = await runAuto();
      expect(picked.status).toBe('succeeded');
      expect(picked.steps[0]!.agentId).toBe('beater');
    } finally {
      clearInterval(keepAlive);
    }
  });

  it('refuses a heartbeat for an agent without an interval, and for one that does not exist', async () => {
    expect((await api.call('POST', '/api/v1/agents', { body: { id: 'plain', name: 'Plain', tool: 'shell' } })).status).toBe(201);
    const refused = await api.call('POST', '/api/v1/agents/plain/heartbeat');
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('heartbeatIntervalSeconds');
    expect((await status('plain')).status).toBe('idle');
    expect((await api.call('POST', '/api/v1/agents/ghost/heartbeat')).status).toBe(404);
  });
});
