/**
 * Runs waiting for a slot when the engine already runs as many as it may at once
 * (`maxActiveRuns`). The next to start is the one with the highest priority (the workflow's
 * `priority`, ranked as it is queued and again when `runs.update` changes it while it waits), then
 * the oldest. The rank is held here rather than read from each waiting run's stored definition
 * when a slot frees: with thousands waiting, that read made every start cost a pass over the database.
 */
import type { RunStatus } from '../../../shared/runs.js';

/** The specification's priority words, highest first in rank; anything else counts as normal. */
export const priorityRanks: Readonly<Record<string, number>> = { critical: 3, urgent: 3, high: 2, normal: 1, medium: 1, low: 0 };

export function priorityRank(priority: string | undefined): number {
  return priority === undefined ? 1 : (priorityRanks[priority.trim().toLowerCase()] ?? 1);
}

export interface WaitingRun {
  runId: string;
  createdAt: string;
  /** priorityRank of its workflow's priority. */
  rank: number;
  /** Resolves as the run ends: after it ran, or at once when it is cancelled or interrupted while waiting. */
  done: Promise<RunStatus>;
  settle(outcome: RunStatus | Promise<RunStatus>): void;
}

export class RunQueue {
  private readonly waiting = new Map<string, WaitingRun>();

  add(runId: string, createdAt: string, rank: number): WaitingRun {
    let settle!: (outcome: RunStatus | Promise<RunStatus>) => void;
    const done = new Promise<RunStatus>((resolve) => {
      settle = resolve;
    });
    const entry = { runId, createdAt, rank, done, settle };
    this.waiting.set(runId, entry);
    return entry;
  }

  get(runId: string): WaitingRun | undefined {
    return this.waiting.get(runId);
  }

  remove(runId: string): WaitingRun | undefined {
    const entry = this.waiting.get(runId);
    this.waiting.delete(runId);
    return entry;
  }

  /** A waiting run's priority changed: it competes with its new rank from now on. */
  rerank(runId: string, rank: number): void {
    const entry = this.waiting.get(runId);
    if (entry) entry.rank = rank;
  }

  /** Takes the run to start next: highest rank, then the oldest. */
  take(): WaitingRun | undefined {
    let best: WaitingRun | undefined;
    for (const entry of this.waiting.values()) {
      if (!best || entry.rank > best.rank || (entry.rank === best.rank && entry.createdAt < best.createdAt)) best = entry;
    }
    if (best) this.waiting.delete(best.runId);
    return best;
  }

  ids(): string[] {
    return [...this.waiting.keys()];
  }

  get size(): number {
    return this.waiting.size;
  }
}
