// A run reaches its budget at the moment another program holds the database's write lock past the
// busy timeout (a real second connection on the real file): the question about the budget cannot be
// written. It is lost with the rest of that stretch, as a crash would lose it; the engine stays up,
// the run is stopped and ends failed saying why once the file takes writes again, and no question
// is left in the inbox for a run that no longer waits.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../shared/runs.js';
import { useStandInSandbox } from '../agents/stand-in-engine.js';
import { waitUntil } from '../helpers.js';
import { endWhileLocked, heldLockMessage, lockingConnection } from '../sqlite-connection.js';

describe('a budget question SQLite refuses', () => {
  const sandbox = useStandInSandbox('budget-refused', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it('fails the run with the message instead of crashing the engine, and leaves no question waiting', async () => {
    const { engine, work, dataDir } = sandbox.current;
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    const updates: RunSummary[] = [];
    engine.on('run.updated', (summary) => updates.push(summary));
    const asked: string[] = [];
    engine.on('approval.updated', (item) => asked.push(`${item.kind} ${item.status}`));
    const workflow = {
      name: 'budgeted',
      budget: { costUsd: 0.01 },
      workflow: [
        { step: 1, platform: 'claude-code', inputs: { prompt: 'Plan' }, dependencies: [] },
        { step: 2, platform: 'shell', inputs: { command: 'touch started; while [ ! -e go ]; do sleep 0.05; done' }, dependencies: [1] },
        // Its budget is reached (step 1 spent $0.0123): it is asked about as step 2 ends, while the lock is held.
        { step: 3, platform: 'claude-code', inputs: { prompt: 'Build' }, dependencies: [2] },
      ],
    };
    const { runId } = await engine.call('runs.start', { workflow: workflow as never, baseDir: work });
    await waitUntil(() => existsSync(join(work, 'started')), 'step 2 to start', 60_000);
    const other = await lockingConnection(file, () => engine.call('runs.list', {}));
    // Its end could not be written: the file still says running until the lock is gone.
    expect(await endWhileLocked(other, () => writeFileSync(join(work, 'go'), ''), () => engine.waitForRun(runId))).toBe('interrupted');
    await waitUntil(() => updates.some((u) => u.runId === runId && u.status === 'failed'), 'the run to be announced failed', 30_000);

    const message = heldLockMessage(file, 'resume the run');
    const detail = await engine.call('runs.get', { runId });
    expect({ status: detail.status, steps: detail.steps.map((s) => [s.step, s.status, s.error]) }).toEqual({
      status: 'failed',
      steps: [
        [1, 'succeeded', null],
        [2, 'failed', message],
        [3, 'pending', null],
      ],
    });
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toEqual([[`photon: ${message}`]]);
    // Never written, so never shown.
    expect(await engine.call('approvals.list', { waitingOnly: true })).toEqual([]);
    expect(asked).toEqual([]);
    // The engine is still up and writes again.
    expect((await engine.call('runs.list', {})).length).toBe(1);
  }, 120_000);
});
