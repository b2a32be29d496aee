import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '../../../electron/engine/terminals/process-group.js';
import { hangupImmuneJob, holdsPid, isDead, readPid, runToEnd, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';

/**
 * Every process a step starts is gone when the step ends, whatever session or process group it
 * moved to. Each way out writes its pid once it is where it is going (out of the group, immune to
 * SIGHUP or SIGTERM), and the step goes on only once all have, so each ending finds them in place.
 */
const sandbox = useSandbox('escape');

const escapes: Record<string, { file: string; command: string; leavesSession: boolean }> = {
  'a background job (&) ignoring SIGHUP': { file: 'job.pid', command: hangupImmuneJob('job.pid'), leavesSession: false },
  nohup: { file: 'nohup.pid', command: `nohup sh -c 'echo $$ > nohup.pid; exec sleep 300' > /dev/null 2>&1 &`, leavesSession: false },
  setsid: { file: 'setsid.pid', command: `setsid sh -c 'echo $$ > setsid.pid; exec sleep 300' &`, leavesSession: true },
  'setsid -f': { file: 'setsid-f.pid', command: `setsid -f sh -c 'echo $$ > setsid-f.pid; exec sleep 300';`, leavesSession: true },
  // A daemon's way out: fork, a new session, fork again; the parents exit, the grandchild is an orphan.
  'a double fork': {
    file: 'daemon.pid',
    command: `perl -e 'use POSIX; exit if fork; POSIX::setsid(); exit if fork; open(my $f, ">", "daemon.pid"); print $f "$$\\n"; close $f; sleep 300' &`,
    leavesSession: true,
  },
  'a process out of the session that ignores SIGTERM': {
    file: 'stubborn.pid',
    command: `setsid sh -c 'trap "" TERM HUP; echo $$ > stubborn.pid; exec sleep 300' &`,
    leavesSession: true,
  },
};

const files = Object.values(escapes).map((e) => e.file);

/** The step's shell records itself, starts every escape, and waits until each has written its pid. */
function escapingStep(then: string): string {
  const waits = files.map((file) => `while [ ! -s ${file} ]; do sleep 0.01; done`).join('; ');
  return `echo $$ > step.pid; ${Object.values(escapes)
    .map((e) => e.command)
    .join(' ')} ${waits}; ${then}`;
}

function survivors(): string[] {
  return Object.entries(escapes)
    .filter(([, { file }]) => !isDead(readPid(join(sandbox.work, file))))
    .map(([way]) => way);
}

afterEach(() => {
  // A failed test must not leave its sleepers running for five minutes.
  for (const file of [...files, 'step.pid']) {
    const path = join(sandbox.work, file);
    if (!existsSync(path) || !holdsPid(path)) continue;
    try {
      process.kill(readPid(path), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe.runIf(process.platform === 'linux')('processes that leave the step', () => {
  it('are stopped when the step exits on its own', async () => {
    const { status } = await runToEnd(sandbox, [shellStep(1, escapingStep('echo started'))]);
    expect(status).toBe('succeeded');
    expect(survivors()).toEqual([]);
  });

  it('are stopped when the run is cancelled', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { baseDir: sandbox.work, workflow: workflowOf([shellStep(1, escapingStep('sleep 300'))]) });
    await waitUntil(() => files.every((file) => holdsPid(join(sandbox.work, file))), 'every process to be in place', 20_000);
    // The ways out really left: out of the step's session, or at least immune to the hang-up.
    const session = readStat(readPid(join(sandbox.work, 'step.pid')))!.session;
    for (const [way, { file, leavesSession }] of Object.entries(escapes)) {
      expect([way, readStat(readPid(join(sandbox.work, file)))!.session !== session]).toEqual([way, leavesSession]);
    }

    await sandbox.engine.call('runs.cancel', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    expect(survivors()).toEqual([]);
  });

  it('are stopped when the step times out', async () => {
    // Long enough for a loaded machine to start them all before the limit strikes.
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, escapingStep('sleep 300'), { timeout: 5000 })]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1).status).toBe('timed_out');
    expect(files.filter((file) => !holdsPid(join(sandbox.work, file)))).toEqual([]);
    expect(survivors()).toEqual([]);
  });
});
