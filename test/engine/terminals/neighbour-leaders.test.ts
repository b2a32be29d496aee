import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markedProcesses, pidWindowFrom } from '../../../electron/engine/terminals/marked-processes.js';
import { spawnPty, type ExitInfo, type PtyProcess } from '../../../electron/engine/terminals/pty-process.js';
import { isDead, waitUntil } from '../helpers.js';

/**
 * At a step's end Photon looks for what it left behind among the processes started since it
 * started. In a graph of short steps those are mostly the leaders of the steps started beside
 * it: Photon's own terminals, never the step's. They are not read; what the step really left
 * (a `setsid` job, out of its group) is found and stopped as before.
 */
const environReads = vi.hoisted(() => [] as number[]);
const seen = vi.hoisted(() => (pid: number) => void environReads.push(pid));
vi.mock('node:fs', async (importOriginal) => (await import('./environ-reads.js')).fsSeeingEnviron(await importOriginal(), seen));
vi.mock('node:fs/promises', async (importOriginal) => (await import('./environ-reads.js')).fsPromisesSeeingEnviron(await importOriginal(), seen));

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const marksOf = (step: number) => ({ PHOTON_RUN_ID: `neighbours-${process.pid}`, PHOTON_STEP: String(step), PHOTON_ATTEMPT: '1' });
const started: PtyProcess[] = [];

function start(step: number, command: string): { child: PtyProcess; exited: Promise<ExitInfo> } {
  const child = spawnPty({ file: '/bin/sh', args: ['-c', command], cwd: '/tmp', env, marks: marksOf(step) });
  started.push(child);
  return { child, exited: new Promise((resolve) => child.onExit(resolve)) };
}

/** The pid a `setsid` job wrote to the terminal, once it is out of the step's session. */
async function jobPid(output: () => string): Promise<number> {
  await waitUntil(() => /job (\d+)\r?\n/.test(output()), 'the job to report its pid');
  return Number(/job (\d+)\r?\n/.exec(output())![1]);
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.kill(100)));
});

describe.runIf(process.platform === 'linux')('the end of a step beside others', () => {
  it('reads nothing of the leaders started after it, live or gone, and still stops the job it left', async () => {
    // Step 1 leaves a job in a session of its own and waits for its input to end.
    const first = start(1, 'setsid sh -c \'echo job $$; exec sleep 100\' & read line');
    let output = '';
    first.child.onData((data) => (output += data));
    // Its neighbours: one that has ended (as most of a DAG's have by then) and one still running.
    const gone = start(2, 'true');
    const running = start(3, 'sleep 100');
    const neighbours = [await gone.child.started, await running.child.started];
    const job = await jobPid(() => output);
    await gone.exited;

    environReads.length = 0;
    first.child.write('\n');
    expect((await first.exited).exitCode).toBe(0);

    expect(isDead(job)).toBe(true);
    expect(environReads.filter((pid) => neighbours.includes(pid))).toEqual([]);

    // The running neighbour was neither read nor touched.
    expect(isDead(neighbours[1]!)).toBe(false);
    expect(readFileSync(`/proc/${neighbours[1]}/environ`).includes('PHOTON_STEP=3\0')).toBe(true);
  });

  it('still reads a process of its own window that is no leader of Photon, and stops it', async () => {
    // The job starts after a neighbour did: its pid comes later than the neighbour's in the window.
    const first = start(1, 'read go; setsid sh -c \'echo job $$; exec sleep 100\' & read line');
    let output = '';
    first.child.onData((data) => (output += data));
    await first.child.started;
    const neighbour = start(2, 'sleep 100');
    const neighbourPid = await neighbour.child.started;
    first.child.write('\n');
    const job = await jobPid(() => output);

    environReads.length = 0;
    first.child.write('\n');
    expect((await first.exited).exitCode).toBe(0);
    expect(environReads).toContain(job);
    expect(environReads).not.toContain(neighbourPid);
    expect(isDead(job)).toBe(true);
  });

  it('does not read the threads of the pty host in its window', async () => {
    // node-pty waits for each process on a thread of its own, started just after the process: a
    // host of its own that starts terminals through node-pty (photon-pty-spawner starts no thread).
    vi.stubEnv('PHOTON_PTY_SPAWNER', 'node-pty');
    vi.resetModules();
    const terminals = { ...(await import('../../../electron/engine/terminals/pty-process.js')), ...(await import('../../../electron/engine/terminals/marked-processes.js')), ...(await import('../../../electron/engine/terminals/pty-host.js')) };
    const child = terminals.spawnPty({ file: '/bin/sh', args: ['-c', 'sleep 100'], cwd: '/tmp', env, marks: marksOf(4) });
    vi.unstubAllEnvs(); // Read as the host started.
    started.push(child);
    const leader = (await child.started)!;
    // Until its exec a process shows its parent's environment.
    await waitUntil(() => readFileSync(`/proc/${leader}/environ`).includes('PHOTON_STEP=4\0'), 'the process to start');
    const window = { firstPid: leader, openedAt: Date.now() };
    const hostThreads = readdirSync(`/proc/${terminals.ptyHostPid()}/task`).map(Number);
    expect(hostThreads.some((tid) => tid > leader)).toBe(true);
    environReads.length = 0;
    expect(await terminals.markedProcesses(marksOf(4), window)).toContain(leader);
    expect(environReads).toContain(leader);
    expect(environReads.filter((pid) => hostThreads.includes(pid))).toEqual([]);
  });

  it('does not read the pids of its window whose processes are gone', async () => {
    const gone: number[] = [];
    for (let i = 0; i < 3; i++) {
      const child = spawn('true');
      await new Promise((resolve) => child.on('exit', resolve));
      gone.push(child.pid!);
    }
    // Node has reaped them: /proc has them no more.
    await waitUntil(() => gone.every((pid) => isDead(pid)), 'the processes to be gone');
    environReads.length = 0;
    expect(await markedProcesses(marksOf(1), pidWindowFrom(gone[0]!))).toEqual([]);
    expect(environReads.filter((pid) => gone.includes(pid))).toEqual([]);
  });
});
