/**
 * The contract as any client sees it, whatever the transport: the same cases run over the
 * in-process dispatcher and over a real WebSocket, so both hosts answer alike.
 */
import { describe, expect, it } from 'vitest';
import { maxMessageBytes, type EventEnvelope } from '../../shared/api.js';
import type { RunDetail, RunSummary, StepState } from '../../shared/runs.js';
import type { ConnectionFactory } from './connection.js';
import { contractSession, type Failure } from './session.js';

function shell(step: number, command: string, dependencies: number[] = []) {
  return { step, platform: 'shell', inputs: { command }, dependencies };
}

const diamond = {
  name: 'Contract diamond',
  description: 'one, then two and three, then four',
  workflow: [shell(1, 'echo one'), shell(2, 'echo two', [1]), shell(3, 'echo three', [1]), shell(4, 'echo four', [2, 3])],
};

const long = { name: 'Contract long run', workflow: [shell(1, 'echo long-run-ready; sleep 30')] };

export function contractSuite(transport: string, connect: ConnectionFactory): void {
  describe(`the contract over ${transport}`, () => {
    const { client, events, value, failure } = contractSession(connect);

    const waitForEvent = async (what: string, matches: (envelope: EventEnvelope) => boolean, timeoutMs = 20_000): Promise<EventEnvelope> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(matches);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    const runUpdated = (runId: string, status: RunSummary['status']) => (e: EventEnvelope) =>
      e.event === 'run.updated' && (e.payload as RunSummary).runId === runId && (e.payload as RunSummary).status === status;

    const stepUpdated = (runId: string, step: number, status: StepState['status']) => (e: EventEnvelope) => {
      if (e.event !== 'step.updated') return false;
      const payload = e.payload as { runId: string; step: StepState };
      return payload.runId === runId && payload.step.step === step && payload.step.status === status;
    };

    const startLongRun = async (): Promise<string> => {
      const { id } = await value<{ id: string }>('workflows.save', { workflow: long });
      const { runId } = await value<{ runId: string }>('runs.start', { workflowId: id, baseDir: client.workDir });
      // Its output, not just its status, says the command really runs: the contract is under test
      // here, not how the engine handles a cancel in the instant a process is being born.
      await waitForEvent('the long step to print', (e) => {
        const payload = e.payload as { runId?: string; data?: string };
        return e.event === 'step.output' && payload.runId === runId && Boolean(payload.data?.includes('long-run-ready'));
      });
      expect(events.some(stepUpdated(runId, 1, 'running'))).toBe(true);
      return runId;
    };

    it('saves, lists, gets, updates and deletes a workflow', async () => {
      const { id } = await value<{ id: string }>('workflows.save', { workflow: diamond });
      expect(id).toEqual(expect.any(String));

      const listed = await value<{ id: string; name: string; stepCount: number; description: string | null }[]>('workflows.list');
      expect(listed.find((w) => w.id === id)).toMatchObject({ name: 'Contract diamond', stepCount: 4, description: diamond.description });

      const saved = await value<{ id: string; workflow: typeof diamond }>('workflows.get', { id });
      expect(saved.id).toBe(id);
      expect(saved.workflow.name).toBe(diamond.name);
      expect(saved.workflow.workflow.map((s) => s.step)).toEqual([1, 2, 3, 4]);
      expect(saved.workflow.workflow[3]!.dependencies).toEqual([2, 3]);

      expect(await value('workflows.save', { id, workflow: { ...diamond, name: 'Renamed diamond' } })).toEqual({ id });
      expect((await value<{ name: string }>('workflows.get', { id })).name).toBe('Renamed diamond');

      expect(await value('workflows.delete', { id })).toEqual({ deleted: true });
      expect((await failure('workflows.get', { id })).error.code).toBe('not_found');
      expect((await value<{ id: string }[]>('workflows.list')).some((w) => w.id === id)).toBe(false);
      expect(await value('workflows.delete', { id })).toEqual({ deleted: false });
    });

    it('refuses an invalid workflow with `invalid` and the place of each problem', async () => {
      const bad = { name: 'Broken', workflow: [shell(1, 'echo a'), shell(2, 'echo b', [9])] };
      const { error } = await failure('workflows.save', { workflow: bad });
      expect(error.code).toBe('invalid');
      expect(error.message).toContain('workflow[1].dependencies[0]');
      expect(error.message).toContain('step 9 does not exist');

      const nameless = await failure('workflows.save', { workflow: { workflow: [shell(1, 'echo a')] } });
      expect(nameless.error.code).toBe('invalid');
      expect(nameless.error.message).toMatch(/name/);

      // Nothing invalid was stored.
      expect((await value<{ name: string }[]>('workflows.list')).some((w) => w.name === 'Broken')).toBe(false);
    });

    it('runs a saved workflow: run.updated and step.updated arrive, and every step ends succeeded', async () => {
      const { id } = await value<{ id: string }>('workflows.save', { workflow: diamond });
      const { runId } = await value<{ runId: string }>('runs.start', { workflowId: id, baseDir: client.workDir });
      expect(runId).toEqual(expect.any(String));

      await waitForEvent('the run to succeed', runUpdated(runId, 'succeeded'));
      for (const step of [1, 2, 3, 4]) {
        await waitForEvent(`step ${step} running`, stepUpdated(runId, step, 'running'));
        await waitForEvent(`step ${step} succeeded`, stepUpdated(runId, step, 'succeeded'));
      }

      const detail = await value<RunDetail>('runs.get', { runId });
      expect(detail.status).toBe('succeeded');
      expect(detail.workflowId).toBe(id);
      expect(detail.counts).toMatchObject({ total: 4, succeeded: 4, failed: 0 });
      expect(detail.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
        [1, 'succeeded', 1],
        [2, 'succeeded', 1],
        [3, 'succeeded', 1],
        [4, 'succeeded', 1],
      ]);
      expect(detail.steps.map((s) => s.output)).toEqual(['one', 'two', 'three', 'four']);

      const recent = await value<RunSummary[]>('runs.list', { limit: 10 });
      expect(recent.find((r) => r.runId === runId)).toMatchObject({ status: 'succeeded', workflowName: diamond.name });
    });

    it('cancels a long run', async () => {
      const runId = await startLongRun();
      expect(await value('runs.cancel', { runId })).toEqual({ cancelled: true });
      await waitForEvent('the run to be cancelled', runUpdated(runId, 'cancelled'));

      const detail = await value<RunDetail>('runs.get', { runId });
      expect(detail.status).toBe('cancelled');
      expect(detail.steps[0]!.status).toBe('cancelled');
      // Cancelling what has ended is not an error; it just cancels nothing.
      expect(await value('runs.cancel', { runId })).toEqual({ cancelled: false });
    });

    it('refuses to resume a run that is still running with `conflict`', async () => {
      const runId = await startLongRun();
      try {
        const { error } = await failure('runs.resume', { runId });
        expect(error.code).toBe('conflict');
        expect(error.message).toContain(runId);
      } finally {
        await value('runs.cancel', { runId });
        await waitForEvent('the run to be cancelled', runUpdated(runId, 'cancelled'));
      }
    });

    it('answers `not_found` for ids it does not know', async () => {
      const unknown = 'no-such-id-0000';
      for (const [method, params] of [
        ['workflows.get', { id: unknown }],
        ['workflows.save', { id: unknown, workflow: diamond }],
        ['runs.start', { workflowId: unknown }],
        ['runs.get', { runId: unknown }],
        ['runs.cancel', { runId: unknown }],
        ['runs.resume', { runId: unknown }],
        ['steps.get', { runId: unknown, step: 1 }],
      ] as const) {
        const { error } = await failure(method, params);
        expect(error.code, method).toBe('not_found');
        expect(error.message, method).toContain(unknown);
      }
    });

    it('answers `invalid` for bad params, naming the param', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['workflows.get', {}, /params\.id/],
        ['workflows.get', { id: 42 }, /params\.id/],
        ['workflows.get', undefined, /params/],
        ['workflows.get', { id: 'x'.repeat(201) }, /params\.id/],
        ['workflows.get', { id: 'a', extra: true }, /extra/],
        ['runs.list', { limit: 0 }, /params\.limit/],
        ['runs.list', 'all', /params/],
        ['runs.start', {}, /workflowId or workflow/],
        ['runs.start', { workflowId: 'a', concurrency: 1000 }, /params\.concurrency/],
        ['steps.get', { runId: 'a', step: 1.5 }, /params\.step/],
      ];
      for (const [method, params, mentions] of cases) {
        const { error } = await failure(method, params);
        expect(error.code, `${method} ${JSON.stringify(params)}`).toBe('invalid');
        expect(error.message, `${method} ${JSON.stringify(params)}`).toMatch(mentions);
      }
    });

    it('answers `not_found` for a method that does not exist, and `invalid` for a request that is not one', async () => {
      for (const method of ['workflows.explode', 'toString', '__proto__', 'constructor', '']) {
        const reply = await client.request(method, {});
        expect(reply.ok, method).toBe(false);
        expect((reply as Failure).error.code, method).toBe('not_found');
      }
      for (const text of ['[1,2]', '"hello"', 'null', '{"method":"workflows.list"}', '{"id":{},"method":"workflows.list"}']) {
        const reply = await client.sendText(text);
        expect(reply, text).toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
      }
    });

    it('answers a message that is not JSON with `invalid` and keeps serving', async () => {
      for (const text of ['{"id": 1, "method": "workflows.list"', 'not json at all', '']) {
        const reply = await client.sendText(text);
        expect(reply, text).toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
        expect((reply as Failure).error.message).toMatch(/JSON/);
      }
      expect((await client.request('workflows.list')).ok).toBe(true);
    });

    it(`answers a message over ${maxMessageBytes} bytes with \`invalid\` and keeps serving`, async () => {
      const oversized = JSON.stringify({ id: 'big', method: 'workflows.save', params: { workflow: { name: 'x'.repeat(maxMessageBytes) } } });
      expect(Buffer.byteLength(oversized)).toBeGreaterThan(maxMessageBytes);
      const reply = await client.sendText(oversized);
      expect(reply).toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
      expect((reply as Failure).error.message).toMatch(/too large/);

      // Just under the limit is read and judged on its content, not refused for its size.
      const nearLimit = JSON.stringify({ id: 'near', method: 'workflows.get', params: { id: 'y'.repeat(maxMessageBytes - 200) } });
      expect(Buffer.byteLength(nearLimit)).toBeLessThanOrEqual(maxMessageBytes);
      const near = await client.request('workflows.get', { id: 'y'.repeat(maxMessageBytes - 200) });
      expect(near).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect((near as Failure).error.message).toMatch(/params\.id/);

      expect((await client.request('system.info')).ok).toBe(true);
    });
  });
}
