import { treeOf, type ProcessEntry, type ProcessTable } from './process-table.js';

export interface TreeMeasure {
  cpuPercent: number;
  rssBytes: number;
  processes: number;
  members: ProcessEntry[];
}

/**
 * Turns process tables into each terminal's tree numbers. With /proc the CPU is the growth of
 * the tree's tick count since the previous table, so it remembers each tree's last count; a tree
 * seen for the first time is measured from its start, when its count was zero.
 */
export class ProcessTrees {
  private readonly last = new Map<string, { ticks: number; uptimeTicks: number }>();

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
    const before = this.last.get(id) ?? { ticks: 0, uptimeTicks: root.startTicks ?? uptimeTicks };
    this.last.set(id, { ticks, uptimeTicks });
    // Both counts are in ticks, so their ratio is the share of one core.
    const elapsed = uptimeTicks - before.uptimeTicks;
    // A process of the tree that another parent adopted takes its time with it: never below zero.
    if (elapsed <= 0) return 0;
    return (Math.max(0, ticks - before.ticks) / elapsed) * 100;
  }
}
