import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangupImmuneJob, holdsPid, isDead, readPid, shellStep, useSandbox, waitUntil, workflowOf } from '../helpers.js';

/** Terminals as the user has them: opened, closed and left behind through the engine's contract. */
const sandbox = useSandbox('terminals');

/**
 * An interactive shell, as a new tab opens it, that has started `sleep 300 &` as a job of its own
 * and waits at its prompt again: bash hangs up its jobs only when the hang-up finds it reading a
 * command, as when a user closes a tab, not in the middle of running one.
 */
async function shellWithJob(pidFile: string): Promise<{ id: string; pid: number }> {
  const terminal = await sandbox.engine.call('terminals.create', { cwd: sandbox.work });
  let shown = '';
  const stop = sandbox.engine.on('terminal.data', ({ id, data }) => void (id === terminal.id && (shown += data)));
  // The prompt is set on the same line, spelt so that the echo of what is typed does not show it.
  await sandbox.engine.call('terminals.write', { id: terminal.id, data: `PS1='[id''le]> '; sleep 300 & echo $! > ${pidFile}\r` });
  await waitUntil(() => holdsPid(pidFile) && shown.includes('[idle]> '), 'the shell to start its job and wait at its prompt', 20_000);
  stop();
  return { id: terminal.id, pid: terminal.pid! };
}

/** A command tab whose background job ignores the hang-up: only a signal to the whole group stops it. */
async function commandWithImmuneJob(pidFile: string): Promise<{ id: string; pid: number }> {
  const terminal = await sandbox.engine.call('terminals.create', { cwd: sandbox.work, command: `${hangupImmuneJob(pidFile)} sleep 300` });
  await waitUntil(() => holdsPid(pidFile), 'the job to start', 20_000);
  return { id: terminal.id, pid: terminal.pid! };
}

describe('closing a terminal tab', () => {
  it("kills the command's whole process group, a job that ignores the hang-up included", async () => {
    const file = join(sandbox.work, 'job.pid');
    const tab = await commandWithImmuneJob(file);
    await sandbox.engine.call('terminals.close', { id: tab.id });
    expect(isDead(readPid(file))).toBe(true);
    expect(isDead(tab.pid)).toBe(true);
    expect((await sandbox.engine.call('terminals.list', undefined)).map((t) => t.id)).not.toContain(tab.id);
  });

  it("hangs up an interactive shell, which stops the jobs it put in groups of their own", async () => {
    const file = join(sandbox.work, 'job.pid');
    const tab = await shellWithJob(file);
    expect(isDead(readPid(file))).toBe(false);
    await sandbox.engine.call('terminals.close', { id: tab.id });
    expect(isDead(tab.pid)).toBe(true);
    await waitUntil(() => isDead(readPid(file)), 'the job to end after its shell hung up');
  });
});

describe('closing the engine (quitting the app)', () => {
  it('kills every terminal and every step, whatever each was running', async () => {
    const command = await commandWithImmuneJob(join(sandbox.work, 'command-job.pid'));
    const shell = await shellWithJob(join(sandbox.work, 'shell-job.pid'));
    await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      // Its jobs: one that ignores the hang-up, one in a session of its own.
      workflow: workflowOf([shellStep(1, `echo $$ > step.pid; ${hangupImmuneJob('step-job.pid')} setsid sh -c 'echo $$ > step-setsid.pid; exec sleep 300' & sleep 300`)]),
    });
    const stepFiles = ['step', 'step-job', 'step-setsid'].map((name) => join(sandbox.work, `${name}.pid`));
    await waitUntil(() => stepFiles.every(holdsPid), 'the step to start', 20_000);

    await sandbox.engine.close();
    const pids = [command.pid, shell.pid, readPid(join(sandbox.work, 'command-job.pid')), ...stepFiles.map(readPid)];
    expect(pids.filter((pid) => !isDead(pid))).toEqual([]);
    // The interactive shell's own job ends once the hang-up has gone round.
    await waitUntil(() => isDead(readPid(join(sandbox.work, 'shell-job.pid'))), "the shell's job to end");
  });
});
