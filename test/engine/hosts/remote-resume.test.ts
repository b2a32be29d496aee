/**
 * The engine SIGKILLed while a remote step runs: the step's ssh dies with it, and a job the step
 * left on the host (out of its session, deaf to HUP and TERM, without the local marks) runs on.
 * The next engine finds it by the attempt's host mark and stops it before the resumed step starts
 * there; the resumed step checks that it is gone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdsPid, isDead, readPid, shellStep, waitUntil, workflowOf } from '../helpers.js';
import { startEngineProcess } from '../engine-process.js';
import { hostName, remoteTestTimeoutMs, remoteProcesses, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('remote steps across an engine crash', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-resume');
  // The engine process reads the test's ssh config from its environment, as a user's would.
  beforeEach(() => void (process.env.PHOTON_SSH_CONFIG = sandbox.sshd.clientConfig));
  afterEach(() => void delete process.env.PHOTON_SSH_CONFIG);

  it('stops what an interrupted remote attempt left on the host before the step runs there again', async () => {
    await sandbox.engine.close();
    const pidFile = join(sandbox.work, 'leftover.pid');
    const first = join(sandbox.work, 'first-attempt');
    const command =
      // A killed leftover may stay a zombie (this machine's PID 1 reaps none): alive means a state other than Z.
      `if [ -e ${first} ]; then p=$(cat ${pidFile}); if [ -r /proc/$p/stat ] && ! grep -q ') Z ' /proc/$p/stat; then echo leftover-still-running; exit 1; fi; echo resumed-ok; ` +
      `else touch ${first}; env -u PHOTON_RUN_ID setsid sh -c 'trap "" HUP TERM; echo $$ > ${pidFile}; while :; do sleep 1; done' >/dev/null 2>&1 & sleep 300; fi`;
    const file = join(sandbox.work, 'remote.json');
    writeFileSync(file, JSON.stringify(workflowOf([shellStep(1, command, { host: hostName })])));
    const crashing = startEngineProcess(sandbox.dataDir, file);
    const runId = await crashing.runId;
    await waitUntil(() => holdsPid(pidFile), 'the remote step to leave its job', 30_000);
    const leftover = readPid(pidFile);
    crashing.process.kill('SIGKILL');
    await crashing.exited;
    // The crash took the step's ssh, not the job on the host.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(isDead(leftover)).toBe(false);

    const engine = await sandbox.restartEngine();
    expect(engine.recoveredRuns).toEqual([runId]);
    const { runId: resumed } = await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(resumed)).toBe('succeeded');
    expect((await engine.call('steps.get', { runId: resumed, step: 1 })).output).toBe('resumed-ok');
    expect(isDead(leftover)).toBe(true);
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
  });
});
