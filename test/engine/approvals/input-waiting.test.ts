/** A pty step waiting for typed input joins the approvals inbox, and leaves it once it gets its input. */
import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { shellStep, useSandbox, waitUntil, workflowOf } from '../helpers.js';

describe.runIf(process.platform === 'linux')('a step waiting for input in the inbox', () => {
  const sandbox = useSandbox('approvals-input', { metrics: { sampleIntervalMs: 250, waitingThresholdMs: 500 } });

  it('is listed while a real `read` waits, cannot be answered from the inbox, and closes when typed into', async () => {
    const items: ApprovalItem[] = [];
    sandbox.engine.on('approval.updated', (item) => items.push(item));
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'printf "Deploy? "; read answer; echo "answer: $answer"')]), baseDir: sandbox.work });

    await waitUntil(() => items.length > 0, 'the input item', 15_000);
    const terminal = (await sandbox.engine.call('terminals.forStep', { runId, step: 1 }))!;
    const [waiting] = await sandbox.engine.call('approvals.list', { waitingOnly: true });
    expect(waiting).toMatchObject({ kind: 'input', status: 'waiting', runId, step: 1, tool: 'shell', sessionId: terminal.id, title: expect.stringMatching(/^Step 1 .*waits for input in its terminal$/) });
    const [refused] = await sandbox.engine.call('approvals.answer', { ids: [waiting!.id], answer: 'once' });
    expect(refused).toMatchObject({ ok: false, reason: `approval ${waiting!.id} is a step waiting for typed input: answer it in the step's terminal` });

    await sandbox.engine.call('terminals.write', { id: terminal.id, data: 'yes\r' });
    await waitUntil(() => items.some((i) => i.status === 'cancelled'), 'the item to close', 15_000);
    expect(items.at(-1)).toMatchObject({ id: waiting!.id, status: 'cancelled', answeredBy: 'terminal' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect(await sandbox.engine.call('approvals.list', { waitingOnly: true })).toEqual([]);
  });
});
