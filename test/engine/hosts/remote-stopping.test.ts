/**
 * Stopping a remote step leaves nothing running on its host: cancel and timeout end every process
 * of the attempt there, including one that left its session with setsid and ignores SIGTERM and
 * SIGHUP; a connection dropped mid-step fails the attempt with that reason, what it left is
 * stopped, and the retry succeeds over a new connection.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdsPid, shellStep, stepOf, waitUntil, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, remoteProcesses, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

/**
 * A job in the step's group, one that ignores the hang-up, and one that left the session and ignores
 * TERM too. The last two drop PHOTON_RUN_ID, as a program that rebuilds its environment does: the
 * "host" is this machine, and the engine's own search for its local marks must not be what finds
 * them; only the host's mark (PHOTON_HOST_MARK) and the stopper on the host can.
 */
function stubbornJobs(folder: string): string {
  return (
    `sleep 300 & env -u PHOTON_RUN_ID nohup sh -c 'echo $$ > ${folder}/nohup.pid; exec sleep 301' >/dev/null 2>&1 & ` +
    `env -u PHOTON_RUN_ID setsid sh -c 'trap "" HUP TERM; echo $$ > ${folder}/setsid.pid; while :; do sleep 1; done' >/dev/null 2>&1 & echo started; wait`
  );
}

/** Both jobs that only the host's mark can find are running (their pid files written once their traps are set). */
function stubbornJobsStarted(folder: string): boolean {
  return holdsPid(join(folder, 'nohup.pid')) && holdsPid(join(folder, 'setsid.pid'));
}

describe.skipIf(!sshdAvailable)('stopping remote steps', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-stop');

  it('cancel ends every process of the step on the host, the ones that left its session included', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, stubbornJobs(sandbox.work), { host: hostName })]), baseDir: sandbox.work });
    // The step's shell, its three jobs and the preamble's shell.
    await waitUntil(() => stubbornJobsStarted(sandbox.work), 'the remote jobs to start', 30_000);
    await sandbox.engine.call('runs.cancel', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });

  it('a step that ends by itself leaves nothing running on the host, a job that left its session included', async () => {
    const command = `env -u PHOTON_RUN_ID setsid sh -c 'trap "" HUP TERM; while :; do sleep 1; done' >/dev/null 2>&1 & sleep 1; echo finished`;
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, command, { host: hostName })]), baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect((await sandbox.engine.call('steps.get', { runId, step: 1 })).output).toBe('finished');
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });

  it('a timeout ends every process of the step on the host and says it timed out', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, stubbornJobs(sandbox.work), { host: hostName, timeout: 8000 })]), baseDir: sandbox.work });
    await waitUntil(() => stubbornJobsStarted(sandbox.work), 'the remote jobs to start', 30_000);
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
    expect(step.status).toBe('timed_out');
    expect(step.error).toMatch(/timed out after 8000 ms/);
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });

  it('a connection dropped mid-step fails the attempt with that reason, stops what it left, and the retry succeeds', async () => {
    const marker = join(sandbox.work, 'first-attempt-ran');
    const command = `if [ -e ${marker} ]; then echo second-attempt-ok; else touch ${marker}; env -u PHOTON_RUN_ID nohup sleep 303 >/dev/null 2>&1 & echo waiting; sleep 300; fi`;
    const step = shellStep(1, command, { host: hostName, retryPolicy: { maxAttempts: 2, initialIntervalMs: 200 } });
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([step]), baseDir: sandbox.work });
    await waitUntil(() => existsSync(marker) && remoteProcesses(sandbox.sshd, `${runId}-1-1`).length >= 3, 'the first attempt to run', 30_000);
    sandbox.sshd.dropConnections();
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(detail.output).toBe('second-attempt-ok');
    expect(detail.attemptHistory.map((attempt) => attempt.status)).toEqual(['failed', 'succeeded']);
    expect(detail.attemptHistory[0]!.error).toMatch(/^connection to host "box" lost before the command ended.*what it left running there was stopped$/);
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });

  it('an engine closing mid-step stops the step on the host and leaves the run interrupted', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, stubbornJobs(sandbox.work), { host: hostName })]), baseDir: sandbox.work });
    await waitUntil(() => stubbornJobsStarted(sandbox.work), 'the remote jobs to start', 30_000);
    await sandbox.engine.close();
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
    const engine = await sandbox.restartEngine();
    expect((await engine.call('runs.get', { runId })).status).toBe('interrupted');
  });
});
