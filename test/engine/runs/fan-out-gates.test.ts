import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { stepOf, useSandbox, workflowOf } from '../helpers.js';

const sandbox = useSandbox('fan-out-gates');

async function waitingGates(runId: string, count: number): Promise<ApprovalItem[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const items = (await sandbox.engine.call('approvals.list', { waitingOnly: true, runId })).filter((i) => i.kind === 'gate');
    if (items.length >= count) return items;
    if (Date.now() > deadline) throw new Error(`${items.length} of ${count} gates reached the inbox`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a fan-out of approval gates', () => {
  it('asks once per item in the inbox; each answer decides its own item', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([{ step: 1, platform: 'approval', inputs: { message: 'Deploy to {{item}}?' }, dependencies: [], forEach: ['eu', 'us', 'asia'] }]),
    });
    const gates = await waitingGates(runId, 3);
    expect(gates.map((g) => g.title).sort()).toEqual(['Deploy to asia?', 'Deploy to eu?', 'Deploy to us?']);
    const byTitle = (region: string) => gates.find((g) => g.title === `Deploy to ${region}?`)!.id;
    await sandbox.engine.call('approvals.answer', { ids: [byTitle('eu'), byTitle('asia')], answer: 'once' });
    await sandbox.engine.call('approvals.answer', { ids: [byTitle('us')], answer: 'deny', message: 'not today' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
    expect(step.items).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    expect(step.error).toMatch(/^1 of 3 items failed: item 1 \(rejected by person at \S+: not today\)$/);
    const outputs = JSON.parse(step.output!) as (string | null)[];
    expect(outputs[1]).toBeNull();
    expect(outputs[0]).toMatch(/^approved by person at /);
  });
});
