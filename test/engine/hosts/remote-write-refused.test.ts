// A remote step ends while another program holds the database's write lock past the busy timeout (a
// real second connection on the real file, a real sshd): the host's record of what the step may have
// left running cannot be taken off, nor the step's end written. The engine stays up, the run ends
// failed saying why once the lock is gone, and the host's record is taken off at its next cleanup.
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../shared/runs.js';
import { shellStep, waitUntil, workflowOf } from '../helpers.js';
import { endWhileLocked, heldLockMessage, lockingConnection } from '../sqlite-connection.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('a remote step whose records SQLite refuses', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('remote-refused');

  it('fails the run with the message once the lock is gone, nothing thrown from the terminal exit', async () => {
    const { engine, work, dataDir } = sandbox;
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    const updates: RunSummary[] = [];
    engine.on('run.updated', (summary) => updates.push(summary));
    const workflow = workflowOf([shellStep(1, `touch ${work}/started; while [ ! -e ${work}/go ]; do sleep 0.05; done`, { host: hostName }), shellStep(2, 'touch s2-ran', { dependencies: [1] })]);
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work });
    await waitUntil(() => existsSync(join(work, 'started')), 'the remote step to start', 60_000);
    // Its record on the host is kept for crash recovery while it runs.
    const reader = new Database(file, { readonly: true });
    const marks = () => reader.prepare('SELECT COUNT(*) FROM host_attempts').pluck().get() as number;
    await waitUntil(() => marks() === 1, 'the remote attempt to be recorded', 30_000);

    const other = await lockingConnection(file, () => engine.call('runs.list', {}));
    expect(await endWhileLocked(other, () => writeFileSync(join(work, 'go'), ''), () => engine.waitForRun(runId))).toBe('interrupted');
    await waitUntil(() => updates.some((u) => u.runId === runId && u.status === 'failed'), 'the run to be announced failed', 30_000);
    const message = heldLockMessage(file, 'resume the run');
    const detail = await engine.call('runs.get', { runId });
    expect({ status: detail.status, steps: detail.steps.map((s) => [s.status, s.error]) }).toEqual({ status: 'failed', steps: [['failed', message], ['pending', null]] });
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toEqual([[`photon: ${message}`]]);
    // The mark whose removal was refused is still there; resumed, the step's host is cleaned first and the run ends with none.
    expect(marks()).toBe(1);
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(marks()).toBe(0);
    reader.close();
  });
});
