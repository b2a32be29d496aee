/**
 * What a tree's CPU figure reads in its first interval, on /proc tables written out tick by tick:
 * the real sampler cannot choose how young a process is when it first sees it, or whether the
 * kernel charged it a tick at exec, and both decide what that first figure would read.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessEntry, ProcessTable } from '../../../electron/engine/metrics/process-table.js';
import { ProcessTrees } from '../../../electron/engine/metrics/process-trees.js';

/** A table read at `uptimeTicks` holding one process per entry (ppid 1 unless given). */
function tableAt(uptimeTicks: number, processes: Partial<ProcessEntry>[]): ProcessTable {
  const entries = new Map<number, ProcessEntry>();
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const entry: ProcessEntry = { pid: p.pid!, ppid: p.ppid ?? 1, rssBytes: 1000, cpuTicks: p.cpuTicks ?? 0, startTicks: p.startTicks ?? 0 };
    entries.set(entry.pid, entry);
    children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  }
  return { entries, children, uptimeTicks };
}

const cpuOf = (trees: ProcessTrees, table: ProcessTable, pid: number) => trees.measure(table, [{ id: `t${pid}`, pid }]).get(`t${pid}`)!.cpuPercent;

describe('the CPU of a process tree in its first interval', () => {
  it('reads 0 % for a process younger than one sampling window, whatever tick exec was charged', () => {
    // A 1 s window is 100 ticks; the shell started 3 ticks (30 ms) ago and was charged one at exec.
    const trees = new ProcessTrees(1000);
    expect(cpuOf(trees, tableAt(10_003, [{ pid: 50, startTicks: 10_000, cpuTicks: 1 }]), 50)).toBe(0);
  });

  it('measures that young process at the next sample over its whole life, so the tick is not lost', () => {
    const trees = new ProcessTrees(1000);
    cpuOf(trees, tableAt(10_003, [{ pid: 50, startTicks: 10_000, cpuTicks: 1 }]), 50);
    // 100 ticks later it has been charged 1 more: 2 ticks over its 103 ticks of life.
    expect(cpuOf(trees, tableAt(10_103, [{ pid: 50, startTicks: 10_000, cpuTicks: 2 }]), 50)).toBeCloseTo((2 / 103) * 100, 5);
    // And from then on, over each interval alone.
    expect(cpuOf(trees, tableAt(10_203, [{ pid: 50, startTicks: 10_000, cpuTicks: 52 }]), 50)).toBeCloseTo(50, 5);
  });

  it('measures a process at least one window old from its start at once', () => {
    // Running before the sampler woke: 400 ticks old, busy for 300 of them.
    const trees = new ProcessTrees(1000);
    expect(cpuOf(trees, tableAt(10_400, [{ pid: 60, startTicks: 10_000, cpuTicks: 300 }]), 60)).toBeCloseTo(75, 5);
  });

  it('sizes the window from the sampling interval', () => {
    // At 250 ms a window is 25 ticks: 30 ticks of life are enough, 20 are not.
    const trees = new ProcessTrees(250);
    expect(cpuOf(trees, tableAt(10_030, [{ pid: 70, startTicks: 10_000, cpuTicks: 15 }]), 70)).toBeCloseTo(50, 5);
    expect(cpuOf(trees, tableAt(10_020, [{ pid: 71, startTicks: 10_000, cpuTicks: 15 }]), 71)).toBe(0);
  });

  it("counts a young tree's children with it and starts again for a terminal seen anew", () => {
    const trees = new ProcessTrees(1000);
    const young = [
      { pid: 80, startTicks: 10_000, cpuTicks: 1 },
      { pid: 81, ppid: 80, startTicks: 10_001, cpuTicks: 1 },
    ];
    expect(cpuOf(trees, tableAt(10_002, young), 80)).toBe(0);
    // Gone from one table (the terminal ended): its baseline is forgotten with it.
    trees.measure(tableAt(10_050, []), [{ id: 't80', pid: 80 }]);
    expect(cpuOf(trees, tableAt(10_200, [{ pid: 80, startTicks: 10_000, cpuTicks: 100 }]), 80)).toBeCloseTo(50, 5);
  });
});
