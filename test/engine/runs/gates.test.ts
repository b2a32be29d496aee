import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { shellStep, stepOf, useSandbox, workflowOf, type StepSpec } from '../helpers.js';

const sandbox = useSandbox('gates');

const gate = (step: number, message: string, extra: Partial<StepSpec> = {}): StepSpec => ({ step, platform: 'approval', inputs: { message }, dependencies: [], ...extra });

/** Starts a build, a gate asking about it, and a deploy below the gate; returns the gate's waiting inbox item. */
async function startGated(extra: Partial<StepSpec> = {}): Promise<{ runId: string; item: ApprovalItem }> {
  const { runId } = await sandbox.engine.call('runs.start', {
    baseDir: sandbox.work,
    workflow: workflowOf([
      shellStep(1, 'echo v1.2'),
      gate(2, 'Deploy {{steps.1.output}} to production?', { dependencies: [1], ...extra }),
      shellStep(3, 'touch deployed', { dependencies: [2] }),
    ]),
  });
  let item: ApprovalItem | undefined;
  const deadline = Date.now() + 30_000;
  while (!item && Date.now() < deadline) {
    item = (await sandbox.engine.call('approvals.list', { waitingOnly: true, runId })).find((i) => i.kind === 'gate');
    if (!item) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!item) throw new Error('the gate never reached the inbox');
  return { runId, item };
}

describe('an approval gate', () => {
  it('waits in the inbox with its templated message, and approved, its descendants run; who and when are on the step', async () => {
    const { runId, item } = await startGated();
    expect(item).toMatchObject({ kind: 'gate', status: 'waiting', step: 2, title: 'Deploy v1.2 to production?' });
    const waitingDetail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(waitingDetail, 2).status).toBe('running');
    expect(existsSync(join(sandbox.work, 'deployed'))).toBe(false);

    // "Allow for the run" makes no sense for a gate: refused, and it still waits.
    const [refused] = await sandbox.engine.call('approvals.answer', { ids: [item.id], answer: 'always' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('photon approve') });

    const [answered] = await sandbox.engine.call('approvals.answer', { ids: [item.id], answer: 'once' });
    expect(answered).toMatchObject({ ok: true });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2).output).toMatch(/^approved by person at \d{4}-\d\d-\d\dT/);
    expect(existsSync(join(sandbox.work, 'deployed'))).toBe(true);
  });

  it('rejected, fails with who rejected it and why, and its descendants are skipped', async () => {
    const { runId, item } = await startGated();
    await sandbox.engine.call('approvals.answer', { ids: [item.id], answer: 'deny', message: 'not on a Friday' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stepOf(detail, 2).error).toMatch(/^rejected by person at \S+: not on a Friday$/);
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
    expect(existsSync(join(sandbox.work, 'deployed'))).toBe(false);
  });

  it('unanswered past its timeout, times out and its inbox item expires', async () => {
    const { runId, item } = await startGated({ timeout: 1500 });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'timed_out', error: 'timed out after 1500 ms' });
    const [expired] = (await sandbox.engine.call('approvals.list', { runId })).filter((i) => i.id === item.id);
    expect(expired).toMatchObject({ status: 'expired', answeredBy: 'timeout' });
    const [late] = await sandbox.engine.call('approvals.answer', { ids: [item.id], answer: 'once' });
    expect(late).toMatchObject({ ok: false });
    expect(existsSync(join(sandbox.work, 'deployed'))).toBe(false);
  });

  it('is refused before the run without a message', async () => {
    await expect(sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([gate(1, '  ')]) })).rejects.toThrow(/workflow\[0\]\.inputs\.message: an approval gate needs a non-empty "message"/);
  });
});
