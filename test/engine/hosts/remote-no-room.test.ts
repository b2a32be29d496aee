/**
 * A host where the step's temp folder cannot be made (a full disk, a read-only or missing $TMPDIR):
 * the step fails saying so on that host, and nothing of it is left there.
 */
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, remoteProcesses, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('a host without room for the step', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-noroom', { hostEnv: { TMPDIR: '/nonexistent-photon-tmp' } });

  it('fails the step naming the folder it could not make on the host', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'echo should-not-run', { host: hostName })]), baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
    expect(step.error).toMatch(/^the step could not start on host "box": photon: cannot make \/nonexistent-photon-tmp\/photon-attempt-\S+ on this host \(disk full\?\)$/);
    expect(step.output).not.toContain('should-not-run');
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });
});
