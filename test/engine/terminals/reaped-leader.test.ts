import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { markedProcesses } from '../../../electron/engine/terminals/marked-processes.js';
import { terminateProcessGroup } from '../../../electron/engine/terminals/process-group.js';
import { isDead, waitUntil } from '../helpers.js';

/**
 * A step's end, once the terminal host has collected its leader's exit: only what the leader left
 * is looked for. Its pid is free again, so a process that holds it now is never signalled, and it
 * is not read from /proc (the end of a step that started nothing reads nothing of it).
 */
const marks = { PHOTON_RUN_ID: 'reaped-leader-test', PHOTON_STEP: '1', PHOTON_ATTEMPT: '1' };
const children: ChildProcess[] = [];

/** A process in this test's own process group: its pid leads no group, as a reused pid would not. */
function unrelated(env: Record<string, string> = {}): ChildProcess {
  const child = spawn('sleep', ['300'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

function carriesMarks(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(`PHOTON_RUN_ID=${marks.PHOTON_RUN_ID}\0`);
  } catch {
    return false;
  }
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.runIf(process.platform === 'linux')('the end of a step whose leader was reaped', () => {
  it('leaves alone a process that holds the leader pid now, where a leader not known to be reaped is stopped', async () => {
    const holder = unrelated();
    await waitUntil(() => readFileSync(`/proc/${holder.pid}/stat`, 'utf8').includes('(sleep)'), 'sleep to start');
    await terminateProcessGroup(holder.pid!, 150, { leaderReaped: true });
    expect(isDead(holder.pid!)).toBe(false);
    // The same call for a leader that may still run (a kill, not an exit) stops it, group or not.
    await terminateProcessGroup(holder.pid!, 150);
    await waitUntil(() => isDead(holder.pid!), 'the process to be stopped');
  });

  it('does not read the leader pid when it looks for marked processes left behind', async () => {
    const leader = unrelated(marks);
    const left = unrelated(marks);
    await waitUntil(() => carriesMarks(leader.pid!) && carriesMarks(left.pid!), 'both processes to start');
    const window = { firstPid: leader.pid!, openedAt: Date.now() };
    expect(await markedProcesses(marks, window)).toEqual(expect.arrayContaining([leader.pid, left.pid]));
    // Reported reaped: what holds that pid is not the step's (it could only be a later process, after a wrap).
    const found = await markedProcesses(marks, { ...window, firstPidReaped: true });
    expect(found).toContain(left.pid);
    expect(found).not.toContain(leader.pid);
  });
});
