/**
 * Schedules and triggers over real HTTP with real API keys of each scope, against a real engine and
 * SQLite: a read key lists them, only an admin key makes, turns off and removes them, and the bodies
 * are refused as the contract refuses them (the same schemas, the engine's own words).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessScopes, type AccessScope } from '../../../shared/access.js';
import type { CreatedTrigger, ScheduleInfo, TriggerInfo } from '../../../shared/schedules.js';
import { shellStep, workflowOf } from '../../engine/helpers.js';
import { expectEnvelope, useApiHost } from './helpers.js';

const api = useApiHost({ limits: { key: null, address: null, failures: { limit: 30, windowSeconds: 60 } } });
const keys = {} as Record<AccessScope, string>;
let workflowId: string;
let otherWorkflowId: string;

beforeAll(async () => {
  for (const scope of accessScopes) keys[scope] = (await api.host.engine.call('keys.create', { name: `key-${scope}`, scope })).secret;
  workflowId = (await api.host.engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo nightly')], 'nightly build') })).id;
  otherWorkflowId = (await api.host.engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'true')], 'other') })).id;
});

function as(scope: AccessScope, method: string, path: string, body?: unknown) {
  return api.call(method, path, { token: null, headers: { 'x-api-key': keys[scope] }, ...(body === undefined ? {} : { body }) });
}

describe('/api/v1/schedules', () => {
  it('an admin key adds, turns off and on, and removes a schedule; a read key lists it; run and read keys change nothing', async () => {
    const body = { workflowId, name: 'every night', cron: '0 2 * * *', timeZone: 'Europe/Paris', catchUp: true };
    for (const scope of ['read', 'run'] as const) {
      const refused = await as(scope, 'POST', '/api/v1/schedules', body);
      expect(refused.status, scope).toBe(403);
      expect(refused.body.error?.code).toBe('forbidden');
    }
    expect(await api.host.engine.call('schedules.list', { workflowId })).toEqual([]);

    const added = await as('admin', 'POST', '/api/v1/schedules', body);
    expect(added.status).toBe(201);
    expectEnvelope(added, true);
    const schedule = added.body.data as ScheduleInfo;
    expect(schedule).toMatchObject({ workflowId, workflowName: 'nightly build', name: 'every night', cron: '0 2 * * *', timeZone: 'Europe/Paris', catchUp: true, enabled: true });
    expect(Date.parse(schedule.nextFireAt!)).toBeGreaterThan(Date.now());
    expect(added.headers.get('location')).toBe(`/api/v1/schedules/${schedule.id}`);
    // The engine fires what the API made: it is the engine's own schedule.
    expect(await api.host.engine.call('schedules.list', { workflowId })).toEqual([schedule]);

    await as('admin', 'POST', '/api/v1/schedules', { workflowId: otherWorkflowId, name: 'hourly', cron: '0 * * * *' });
    const listed = await as('read', 'GET', `/api/v1/schedules?workflow=${workflowId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([schedule]);
    expect(((await as('read', 'GET', '/api/v1/schedules')).body.data as ScheduleInfo[]).map((s) => s.name).sort()).toEqual(['every night', 'hourly']);

    for (const scope of ['read', 'run'] as const) {
      expect((await as(scope, 'POST', `/api/v1/schedules/${schedule.id}/disable`)).status, scope).toBe(403);
      expect((await as(scope, 'DELETE', `/api/v1/schedules/${schedule.id}`)).status, scope).toBe(403);
    }
    const off = await as('admin', 'POST', `/api/v1/schedules/${schedule.id}/disable`);
    expect(off.status).toBe(200);
    expect(off.body.data).toMatchObject({ id: schedule.id, enabled: false, nextFireAt: null });
    const on = await as('admin', 'POST', `/api/v1/schedules/${schedule.id}/enable`);
    expect(on.body.data).toMatchObject({ enabled: true, nextFireAt: schedule.nextFireAt });

    const removed = await as('admin', 'DELETE', `/api/v1/schedules/${schedule.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.data).toEqual({ id: schedule.id, removed: true });
    expect(await api.host.engine.call('schedules.list', { workflowId })).toEqual([]);
    const again = await as('admin', 'DELETE', `/api/v1/schedules/${schedule.id}`);
    expect(again.status).toBe(404);
    expect((await as('admin', 'POST', `/api/v1/schedules/${schedule.id}/enable`)).status).toBe(404);
  });

  it('refuses a bad schedule with the field it names and the engine\'s reason, adding nothing', async () => {
    const badCron = await as('admin', 'POST', '/api/v1/schedules', { workflowId, name: 'broken', cron: '61 2 * * *' });
    expect(badCron.status).toBe(400);
    expect(badCron.body.error?.message).toMatch(/minute/i);
    const unknownField = await as('admin', 'POST', '/api/v1/schedules', { workflowId, name: 'x', cron: '0 2 * * *', every: 'night' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error?.issues?.map((issue) => issue.place)).toContain('body');
    const noName = await as('admin', 'POST', '/api/v1/schedules', { workflowId, name: ' ', cron: '0 2 * * *' });
    expect(noName.status).toBe(400);
    expect(noName.body.error?.issues).toContainEqual({ place: 'body.name', message: 'give it a name (shown on the runs it starts)' });
    const noWorkflow = await as('admin', 'POST', '/api/v1/schedules', { workflowId: 'no-such-workflow', name: 'x', cron: '0 2 * * *' });
    expect(noWorkflow.status).toBe(404);
    expect(await api.host.engine.call('schedules.list', { workflowId })).toEqual([]);
  });
});

describe('/api/v1/triggers', () => {
  it('an admin key adds a webhook whose secret is shown once and starts a run; turned off it answers 409, removed 401', async () => {
    expect((await as('run', 'POST', '/api/v1/triggers', { kind: 'webhook', workflowId, name: 'on push' })).status).toBe(403);
    const added = await as('admin', 'POST', '/api/v1/triggers', { kind: 'webhook', workflowId, name: 'on push' });
    expect(added.status).toBe(201);
    expect(added.headers.get('cache-control')).toBe('no-store');
    const { trigger, secret } = added.body.data as CreatedTrigger;
    expect(secret).toMatch(/^phwh_/);
    expect(trigger).toMatchObject({ kind: 'webhook', workflowId, enabled: true, webhookPath: `/api/v1/hooks/${trigger.id}` });

    const listed = await as('read', 'GET', `/api/v1/triggers?workflow=${workflowId}`);
    expect(listed.body.data).toEqual([trigger]);
    expect(JSON.stringify(listed.body)).not.toContain(secret!);

    const hook = () => api.call<{ runId: string }>('POST', trigger.webhookPath!, { token: null, headers: { 'x-photon-secret': secret! } });
    const fired = await hook();
    expect(fired.status).toBe(202);
    expect(await api.host.engine.waitForRun(fired.body.data!.runId)).toBe('succeeded');

    expect((await as('read', 'POST', `/api/v1/triggers/${trigger.id}/disable`)).status).toBe(403);
    const off = await as('admin', 'POST', `/api/v1/triggers/${trigger.id}/disable`);
    expect(off.body.data).toMatchObject({ id: trigger.id, enabled: false });
    expect((await hook()).status).toBe(409);
    expect((await as('admin', 'POST', `/api/v1/triggers/${trigger.id}/enable`)).body.data).toMatchObject({ enabled: true });
    expect((await hook()).status).toBe(202);

    expect((await as('run', 'DELETE', `/api/v1/triggers/${trigger.id}`)).status).toBe(403);
    expect((await as('admin', 'DELETE', `/api/v1/triggers/${trigger.id}`)).body.data).toEqual({ id: trigger.id, removed: true });
    expect((await hook()).status).toBe(401);
    expect((await as('admin', 'DELETE', `/api/v1/triggers/${trigger.id}`)).status).toBe(404);
  });

  it('adds a file trigger, and refuses a relative path or a webhook with a path, naming the place', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'photon-rest-trigger-'));
    const added = await as('admin', 'POST', '/api/v1/triggers', { kind: 'file', workflowId: otherWorkflowId, name: 'src changed', path: folder, debounceMs: 200 });
    expect(added.status).toBe(201);
    expect((added.body.data as CreatedTrigger).secret).toBeUndefined();
    expect((added.body.data as CreatedTrigger).trigger).toMatchObject({ kind: 'file', path: folder, debounceMs: 200, webhookPath: null });

    const relative = await as('admin', 'POST', '/api/v1/triggers', { kind: 'file', workflowId: otherWorkflowId, name: 'relative', path: 'src' });
    expect(relative.status).toBe(400);
    expect(relative.body.error?.message).toContain('must be absolute');
    const mixed = await as('admin', 'POST', '/api/v1/triggers', { kind: 'webhook', workflowId: otherWorkflowId, name: 'mixed', path: folder });
    expect(mixed.status).toBe(400);
    expect(((await as('read', 'GET', `/api/v1/triggers?workflow=${otherWorkflowId}`)).body.data as TriggerInfo[]).map((t) => t.name)).toEqual(['src changed']);
  });
});
