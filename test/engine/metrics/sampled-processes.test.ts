/**
 * What the once-a-second sample reads: the processes of the live terminals' trees, found from
 * their parents' lists of children, and no other process on the machine (reading every one of
 * them each second cost the engine's main thread a read a process, whatever ran).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../helpers.js';
import { startHarness, type MetricsHarness } from './metrics-harness.js';

const statReads = vi.hoisted(() => new Set<number>());
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: unknown, ...rest: unknown[]) => {
    const pid = /^\/proc\/(\d+)\/stat$/.exec(String(path))?.[1];
    if (pid !== undefined) statReads.add(Number(pid));
    return (actual.openSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.openSync;
  return { ...actual, openSync, default: { ...actual, openSync } };
});

let harness: MetricsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.runIf(process.platform === 'linux')('a metrics sample', () => {
  it("reads the processes of the terminals' trees and no other", async () => {
    harness = startHarness();
    // A shell waiting on two children: a tree of three.
    const terminal = await harness.spawn('sleep 30 & sleep 30 & wait');
    const leader = terminal.info.pid!;
    await waitUntil(() => harness!.samplesOf(terminal.info.id).at(-1)?.processes === 3, 'the whole tree to be counted', 15_000);
    const tree = new Set([leader, ...childrenOf(leader)]);
    statReads.clear();
    await harness.moreTicks(2);
    expect(harness.samplesOf(terminal.info.id).at(-1)!.processes).toBe(3);
    expect([...statReads].filter((pid) => !tree.has(pid))).toEqual([]);
    expect(statReads.size).toBeGreaterThan(0);
  });
});

/** The pids whose parent is `pid`, as the kernel lists them. */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(' ').map(Number);
}
