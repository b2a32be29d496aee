// Another program holds the database's write lock past the busy timeout while a run runs (a real
// second connection on the real file). The run's writes are refused, and so are the write that would
// fail it and the one that would close its waiting gate: the engine stays up, says why once, keeps
// trying, and the run ends failed in the file, its gate's question closed, as soon as the lock is
// gone; a restart finds the same.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { RunSummary } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, waitUntil, workflowOf } from '../helpers.js';
import { heldLockMessage, lockingConnection, type LockingConnection } from '../sqlite-connection.js';

describe('a run while another program holds the database', () => {
  let root = '';
  let engine: Engine | undefined;
  let other: LockingConnection | undefined;
  afterEach(async () => {
    other?.close();
    await engine?.close();
    engine = undefined;
    vi.restoreAllMocks();
    removeDir(root);
  });

  it('ends failed in the file once the lock is gone, saying why, and a restart finds the same', async () => {
    root = makeTempDir('history-locked');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    engine = await startEngine(dataDir);
    const updates: RunSummary[] = [];
    engine.on('run.updated', (summary) => updates.push(summary));
    const closed: [string, string, string | null][] = [];
    engine.on('approval.updated', (item) => closed.push([item.kind, item.status, item.message]));
    const gate = { step: 3, platform: 'approval', inputs: { message: 'Ship it?' }, dependencies: [] };
    const workflow = workflowOf([shellStep(1, 'touch started; while [ ! -e go ]; do sleep 0.05; done'), shellStep(2, 'touch s2-ran', { dependencies: [1] }), gate]);
    const { runId } = await engine.call('runs.start', { workflow, baseDir: root });
    await waitUntil(() => existsSync(join(root, 'started')), 'step 1 to start', 30_000);
    let waiting = 0;
    while (waiting === 0) {
      waiting = (await engine.call('approvals.list', { waitingOnly: true, runId })).length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    other = await lockingConnection(file, () => engine!.call('runs.list', {}));
    other.hold();
    writeFileSync(join(root, 'go'), '');

    // Its end could not be written either: until it is, the file says running, as a restart's recovery would find it.
    expect(await engine.waitForRun(runId)).toBe('interrupted');
    expect((await engine.call('runs.get', { runId })).status).toBe('running');
    const message = heldLockMessage(file, 'resume the run');
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toEqual([[`photon: ${message}`]]);
    // Resumed meanwhile, it is refused with why, not as a run still running.
    await expect(engine.call('runs.resume', { runId })).rejects.toThrow(message);

    other.release();
    await waitUntil(() => updates.some((u) => u.runId === runId && u.status === 'failed'), 'the run to be announced failed', 30_000);
    const detail = await engine.call('runs.get', { runId });
    const state = { status: detail.status, steps: detail.steps.map((s) => [s.status, s.error]) };
    expect(state).toEqual({ status: 'failed', steps: [['failed', message], ['pending', null], ['failed', message]] });
    expect(existsSync(join(root, 's2-ran'))).toBe(false);
    // The gate's question could not be closed while the lock was held: the run's settlement closes it, saying why.
    expect((await engine.call('approvals.list', { runId })).map((item) => [item.kind, item.status, item.message])).toEqual([['gate', 'cancelled', message]]);
    expect(closed).toContainEqual(['gate', 'cancelled', message]);

    await engine.close();
    engine = await startEngine(dataDir);
    const restarted = await engine.call('runs.get', { runId });
    expect({ status: restarted.status, steps: restarted.steps.map((s) => [s.status, s.error]) }).toEqual(state);
  }, 90_000);
});
