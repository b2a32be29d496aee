import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync as readRealFile, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { terminateProcessGroup } from '../../../electron/engine/terminals/process-group.js';
import { spawnPty, type ExitInfo } from '../../../electron/engine/terminals/pty-process.js';
import { isDead } from '../helpers.js';

/**
 * What a step's end costs the engine's main thread: the pid allocated last is read from a
 * /proc/loadavg kept open (not opened, read and closed each time); a step whose pid window shows
 * nothing alive is known ended without signalling its group or reading any process; and asking
 * whether a group is gone captures no stack trace.
 */
const marksOf = (step: number) => ({ PHOTON_RUN_ID: `step-end-${process.pid}`, PHOTON_STEP: String(step), PHOTON_ATTEMPT: '1' });
const fsCalls = vi.hoisted(() => ({
  loadavgOpens: 0,
  loadavgFd: -1,
  loadavgReads: 0,
  environReads: 0,
  onlyMarked: false,
  /** With `onlyMarked`, these pids are alive too (another program's processes). */
  foreign: new Set<number>(),
  /** Existence checks of the `foreign` pids. */
  foreignChecks: 0,
  /** The pids whose /proc/PID/stat was read. */
  statReads: new Set<number>(),
}));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const count = (path: unknown) => {
    if (String(path) === '/proc/loadavg') fsCalls.loadavgOpens++;
    if (/^\/proc\/\d+\/environ$/.test(String(path))) fsCalls.environReads++;
    const stat = /^\/proc\/(\d+)\/stat$/.exec(String(path))?.[1];
    if (stat !== undefined) fsCalls.statReads.add(Number(stat));
  };
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    count(path);
    return (actual.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFileSync;
  const openSync = ((path: unknown, ...rest: unknown[]) => {
    count(path);
    const fd = (actual.openSync as (...args: unknown[]) => number)(path, ...rest);
    if (String(path) === '/proc/loadavg') fsCalls.loadavgFd = fd;
    return fd;
  }) as typeof actual.openSync;
  const readSync = ((fd: number, ...rest: unknown[]) => {
    if (fd === fsCalls.loadavgFd) fsCalls.loadavgReads++;
    return (actual.readSync as (...args: unknown[]) => unknown)(fd, ...rest);
  }) as typeof actual.readSync;
  // With `onlyMarked`, the machine seems to run nothing but this test's steps and what they
  // started: other programs' processes (other tests' on a shared machine) are not in /proc.
  const existsSync = ((path: unknown) => {
    const pid = /^\/proc\/(\d+)$/.exec(String(path))?.[1];
    if (pid !== undefined && fsCalls.foreign.has(Number(pid))) fsCalls.foreignChecks++;
    if (fsCalls.onlyMarked && pid !== undefined) {
      if (fsCalls.foreign.has(Number(pid))) return actual.existsSync(path as string);
      try {
        return actual.readFileSync(`/proc/${pid}/environ`).includes(`PHOTON_RUN_ID=step-end-${process.pid}\0`);
      } catch {
        return false;
      }
    }
    return actual.existsSync(path as string);
  }) as typeof actual.existsSync;
  const mocked = { readFileSync, openSync, readSync, existsSync };
  return { ...actual, ...mocked, default: { ...actual, ...mocked } };
});

const realKill = process.kill.bind(process);
afterEach(() => {
  process.kill = realKill;
  fsCalls.onlyMarked = false;
  fsCalls.foreign.clear();
});

/** Counts process.kill's calls (and the stack trace limit at each) while `work` runs. */
async function kills(work: () => Promise<void>): Promise<number[]> {
  const limits: number[] = [];
  process.kill = ((pid: number, signal?: string | number) => {
    limits.push(Error.stackTraceLimit);
    return realKill(pid, signal);
  }) as typeof process.kill;
  try {
    await work();
  } finally {
    process.kill = realKill;
  }
  return limits;
}

/** Runs `steps` marked steps of `true` one after another, as a chain does. */
async function chain(steps: number): Promise<void> {
  for (let step = 1; step <= steps; step++) {
    const child = spawnPty({
      file: '/bin/sh',
      args: ['-c', 'true'],
      cwd: '/tmp',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      marks: marksOf(step),
    });
    const exit = await new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    expect(exit).toEqual({ exitCode: 0, signal: null });
  }
}

describe.runIf(process.platform === 'linux')("a step's end", () => {
  it('opens /proc/loadavg once for all steps, not once a step', async () => {
    await chain(1);
    fsCalls.loadavgOpens = 0;
    await chain(10);
    expect(fsCalls.loadavgOpens).toBe(0);
  });

  it('knows a step that started nothing ended without signalling its group or reading any process', async () => {
    fsCalls.onlyMarked = true;
    await chain(1);
    fsCalls.environReads = 0;
    // Each ending step's window holds only its own leader, reaped: nothing it started lives.
    expect(await kills(() => chain(10))).toEqual([]);
    expect(fsCalls.environReads).toBe(0);
  });

  it("asks /proc about another program's process living in its window once, and leaves that process alone", async () => {
    fsCalls.onlyMarked = true;
    await chain(1);
    const others: ReturnType<typeof spawn>[] = [];
    try {
      const ends: { loadavgReads: number; foreignChecks: number; environReads: number; kills: number }[] = [];
      for (let step = 1; step <= 5; step++) {
        const child = spawnPty({ file: '/bin/sh', args: ['-c', 'read line'], cwd: '/tmp', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, marks: marksOf(step) });
        await child.started;
        // Started after the step's leader, so its pid lies in the step's window, and alive at its end: a busy machine's usual case.
        const other = spawn('sleep', ['300'], { stdio: 'ignore' });
        others.push(other);
        await new Promise((resolve) => other.once('spawn', resolve));
        fsCalls.foreign.add(other.pid!);
        Object.assign(fsCalls, { loadavgReads: 0, foreignChecks: 0, environReads: 0 });
        const signals = await kills(async () => {
          const exit = new Promise<ExitInfo>((resolve) => child.onExit(resolve));
          child.write('\r');
          expect(await exit).toEqual({ exitCode: 0, signal: null });
        });
        ends.push({ loadavgReads: fsCalls.loadavgReads, foreignChecks: fsCalls.foreignChecks, environReads: fsCalls.environReads, kills: signals.length });
        expect(isDead(other.pid!)).toBe(false);
      }
      // The pid allocated last read once, the other process looked up and read once, and only whether the step's group is gone asked.
      expect(ends).toEqual(Array.from({ length: 5 }, () => ({ loadavgReads: 1, foreignChecks: 1, environReads: 1, kills: 1 })));
    } finally {
      for (const other of others) other.kill('SIGKILL');
    }
  });

  it('still stops what a step left running when its window shows it alive', async () => {
    fsCalls.onlyMarked = true;
    const dir = mkdtempSync(join(tmpdir(), 'step-end-'));
    try {
      const pidFile = join(dir, 'job.pid');
      // A job that outlives its shell and ignores the hang-up its terminal gets (the shell ends once it does).
      const script = `sh -c 'trap "" HUP; echo $$ > ${pidFile}; exec sleep 300' & while [ ! -s ${pidFile} ]; do sleep 0.01; done`;
      const child = spawnPty({ file: '/bin/sh', args: ['-c', script], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, marks: marksOf(1) });
      const signals = await kills(() => new Promise<void>((resolve) => child.onExit(() => resolve())));
      const job = Number(readRealFile(pidFile, 'utf8').trim());
      expect(isDead(job)).toBe(true);
      expect(signals.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops a job left in a step's process group reading only the processes of the step's window", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-end-'));
    try {
      const pidFile = join(dir, 'job.pid');
      // A background job stays in the shell's group; it ignores the hang-up, so only the group's SIGTERM ends it.
      const script = `sh -c 'trap "" HUP; echo $$ > ${pidFile}; exec sleep 300' & while [ ! -s ${pidFile} ]; do sleep 0.01; done`;
      const child = spawnPty({ file: '/bin/sh', args: ['-c', script], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, marks: marksOf(1) });
      await child.started;
      fsCalls.statReads.clear();
      await new Promise<void>((resolve) => child.onExit(() => resolve()));
      const job = Number(readRealFile(pidFile, 'utf8').trim());
      expect(isDead(job)).toBe(true);
      // Its group was asked for while it was stopped: the job was read, and no process started before the step.
      expect(fsCalls.statReads.has(job)).toBe(true);
      expect([1, process.pid, process.ppid].filter((pid) => fsCalls.statReads.has(pid))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks whether a process group is gone without capturing a stack trace', async () => {
    const gone = spawnPty({ file: '/bin/sh', args: ['-c', 'true'], cwd: '/tmp', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const leader = await gone.started;
    await new Promise<void>((resolve) => gone.onExit(() => resolve()));
    const limits = await kills(() => terminateProcessGroup(leader!, 150, { leaderReaped: true }));
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.filter((limit) => limit !== 0)).toEqual([]);
  });
});
