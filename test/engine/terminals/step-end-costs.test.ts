import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnPty, type ExitInfo } from '../../../electron/engine/terminals/pty-process.js';

/**
 * What a step's end costs the engine's main thread besides its search: the pid allocated last is
 * read from a /proc/loadavg kept open (not opened, read and closed each time), and asking whether
 * the step's process group is gone, which it nearly always is, captures no stack trace.
 */
const loadavg = vi.hoisted(() => ({ opens: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const count = (path: unknown) => {
    if (String(path) === '/proc/loadavg') loadavg.opens++;
  };
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    count(path);
    return (actual.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFileSync;
  const openSync = ((path: unknown, ...rest: unknown[]) => {
    count(path);
    return (actual.openSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.openSync;
  return { ...actual, readFileSync, openSync, default: { ...actual, readFileSync, openSync } };
});

const realKill = process.kill.bind(process);
afterEach(() => {
  process.kill = realKill;
});

/** Runs `steps` marked steps of `true` one after another, as a chain does. */
async function chain(steps: number): Promise<void> {
  for (let step = 1; step <= steps; step++) {
    const child = spawnPty({
      file: '/bin/sh',
      args: ['-c', 'true'],
      cwd: '/tmp',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      marks: { PHOTON_RUN_ID: `step-end-${process.pid}`, PHOTON_STEP: String(step), PHOTON_ATTEMPT: '1' },
    });
    const exit = await new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    expect(exit).toEqual({ exitCode: 0, signal: null });
  }
}

describe.runIf(process.platform === 'linux')("a step's end", () => {
  it('opens /proc/loadavg once for all steps, not once a step', async () => {
    await chain(1);
    loadavg.opens = 0;
    await chain(10);
    expect(loadavg.opens).toBe(0);
  });

  it('asks whether the process group is gone without capturing a stack trace', async () => {
    const limits: number[] = [];
    process.kill = ((pid: number, signal?: string | number) => {
      limits.push(Error.stackTraceLimit);
      return realKill(pid, signal);
    }) as typeof process.kill;
    await chain(5);
    expect(limits.length).toBeGreaterThanOrEqual(5);
    expect(limits.filter((limit) => limit !== 0)).toEqual([]);
  });
});
