/**
 * Webhook triggers over real HTTP against the browser host, a real engine and real SQLite: the
 * right secret starts the trigger's workflow (the run says which webhook started it); a wrong or
 * missing secret, or an unknown id, is a 401 in the envelope that starts nothing and is audited.
 */
import { describe, expect, it } from 'vitest';
import { shellStep, workflowOf } from '../../engine/helpers.js';
import { eventually, expectEnvelope, useApiHost } from './helpers.js';

const api = useApiHost();

async function webhook(): Promise<{ workflowId: string; path: string; secret: string; id: string }> {
  const engine = api.host.engine;
  const { id: workflowId } = await engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo deployed')], 'deploy') });
  const created = await engine.call('triggers.add', { kind: 'webhook', workflowId, name: 'on push' });
  expect(created.secret).toMatch(/^phwh_[A-Za-z0-9_-]{43}$/);
  expect(created.trigger.webhookPath).toBe(`/api/v1/hooks/${created.trigger.id}`);
  // Listed without its secret, ever.
  expect(JSON.stringify(await engine.call('triggers.list', { workflowId }))).not.toContain(created.secret!);
  return { workflowId, path: created.trigger.webhookPath!, secret: created.secret!, id: created.trigger.id };
}

describe('POST /api/v1/hooks/{id}', () => {
  it('with the webhook\'s secret (and no token) starts its workflow, saying which webhook started it', async () => {
    const hook = await webhook();
    const answer = await api.call<{ runId: string }>('POST', hook.path, { token: null, headers: { 'x-photon-secret': hook.secret }, body: { ref: 'refs/heads/main' } });
    expect(answer.status).toBe(202);
    expectEnvelope(answer, true);
    const { runId } = answer.body.data!;
    const run = await api.host.engine.call('runs.get', { runId });
    expect(run).toMatchObject({ workflowId: hook.workflowId, trigger: { kind: 'webhook', name: 'on push' } });
    expect(await api.host.engine.waitForRun(runId)).toBe('succeeded');
    // REST clients see what started it too.
    const operation = await api.call<{ trigger?: unknown }>('GET', `/api/v1/operations/${runId}`);
    expect(operation.body.data!.trigger).toEqual({ kind: 'webhook', name: 'on push' });
    const [listed] = await api.host.engine.call('triggers.list', { workflowId: hook.workflowId });
    expect(listed).toMatchObject({ lastRunId: runId, lastError: null });

    // Whatever its sender puts in the body (a form, as some CI tools send), it is not read.
    const form = await api.call<{ runId: string }>('POST', hook.path, {
      token: null,
      headers: { 'x-photon-secret': hook.secret, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'payload=%7B%22ref%22%3A%22main%22%7D',
    });
    expect(form.status).toBe(202);
    expect(form.body.data!.runId).not.toBe(runId);
  });

  it('refuses a wrong or missing secret and an unknown webhook with 401, starts nothing, and audits each', async () => {
    const hook = await webhook();
    const cases: [string, Record<string, string>, string][] = [
      [hook.path, { 'x-photon-secret': `${hook.secret.slice(0, -1)}x` }, 'webhook called with a wrong secret'],
      [hook.path, {}, 'webhook called without its secret'],
      // The session token is not a webhook's secret.
      [hook.path, { authorization: `Bearer ${api.host.server.token}` }, 'webhook called without its secret'],
      ['/api/v1/hooks/000000000000', { 'x-photon-secret': hook.secret }, 'no webhook with this id'],
    ];
    for (const [path, headers, detail] of cases) {
      const answer = await api.call('POST', path, { token: null, headers });
      expect(answer.status, detail).toBe(401);
      expectEnvelope(answer, false);
      expect(answer.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('X-Photon-Secret') });
      const audited = await eventually(async () => {
        const entries = await api.host.engine.call('audit.list', { kinds: ['auth.failed'] });
        return entries.find((entry) => entry.detail === detail && entry.target === `POST ${path}`);
      }, `the audit entry "${detail}"`);
      expect(audited.address).toBe('127.0.0.1');
    }
    expect(await api.host.engine.call('runs.list', { workflowId: hook.workflowId })).toEqual([]);
  });

  it('a turned-off webhook refuses even the right secret, saying how to turn it on', async () => {
    const hook = await webhook();
    await api.host.engine.call('triggers.setEnabled', { id: hook.id, enabled: false });
    const answer = await api.call('POST', hook.path, { token: null, headers: { 'x-photon-secret': hook.secret } });
    expect(answer.status).toBe(409);
    expect(answer.body.error?.message).toContain('turned off');
    expect(await api.host.engine.call('runs.list', { workflowId: hook.workflowId })).toEqual([]);
  });
});
