import { ticksPerSecond, treeOf, type ProcessEntry, type ProcessTable } from './process-table.js';

export interface TreeMeasure {
  cpuPercent: number;
  rssBytes: number;
  processes: number;
  members: ProcessEntry[];
}

/**
 * Turns process tables into each terminal's tree numbers. With /proc the CPU is the growth of
 * the tree's tick count since the previous table, so it remembers each tree's last count.
 *
 * A tree seen for the first time is measured from its start, when its count was zero, but only
 * once that start lies a whole sampling window back. The kernel charges CPU in 10 ms ticks, often
 * one at exec: over the 20 ms a just-started `sleep` has lived that single tick reads 50 %. So a
 * younger tree reports 0 % and keeps its start as the baseline, and the next table measures its
 * whole life: every figure spans at least one window, and no charged tick goes unreported.
 */
export class ProcessTrees {
  private readonly last = new Map<string, { ticks: number; uptimeTicks: number }>();

  private readonly windowTicks: number;

  /** @param windowMs the sampling interval: the shortest span a CPU figure covers. */
  constructor(windowMs: number) {
    this.windowTicks = (windowMs / 1000) * ticksPerSecond;
  }

  measure(table: ProcessTable, trees: readonly { id: string; pid: number }[]): Map<string, TreeMeasure> {
    const measured = new Map<string, TreeMeasure>();
    for (const { id, pid } of trees) {
      const members = treeOf(table, pid);
      if (members.length === 0) continue;
      let rssBytes = 0;
      let ticks = 0;
      let percent = 0;
      for (const member of members) {
        rssBytes += member.rssBytes;
        ticks += member.cpuTicks ?? 0;
        percent += member.cpuPercent ?? 0;
      }
      const cpuPercent = table.uptimeTicks === undefined ? percent : this.cpuFromTicks(id, members[0]!, ticks, table.uptimeTicks);
      measured.set(id, { cpuPercent, rssBytes, processes: members.length, members });
    }
    for (const id of this.last.keys()) if (!measured.has(id)) this.last.delete(id);
    return measured;
  }

  private cpuFromTicks(id: string, root: ProcessEntry, ticks: number, uptimeTicks: number): number {
    let before = this.last.get(id);
    if (!before) {
      before = { ticks: 0, uptimeTicks: root.startTicks ?? uptimeTicks };
      if (uptimeTicks - before.uptimeTicks < this.windowTicks) {
        this.last.set(id, before);
        return 0;
      }
    }
    this.last.set(id, { ticks, uptimeTicks });
    // Both counts are in ticks, so their ratio is the share of one core.
    const elapsed = uptimeTicks - before.uptimeTicks;
    // A process of the tree that another parent adopted takes its time with it: never below zero.
    if (elapsed <= 0) return 0;
    return (Math.max(0, ticks - before.ticks) / elapsed) * 100;
  }
}
