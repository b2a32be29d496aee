/**
 * Runs waiting for a slot when the engine already runs as many as it may at once
 * (`maxActiveRuns`). The next to start is the one with the highest priority (the workflow's
 * `priority`, read when a slot frees, so a change made while it waits counts), then the oldest.
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
  /** Resolves as the run ends: after it ran, or at once when it is cancelled or interrupted while waiting. */
  done: Promise<RunStatus>;
  settle(outcome: RunStatus | Promise<RunStatus>): void;
}

export class RunQueue {
  private readonly waiting = new Map<string, WaitingRun>();

  add(runId: string, createdAt: string): WaitingRun {
    let settle!: (outcome: RunStatus | Promise<RunStatus>) => void;
    const done = new Promise<RunStatus>((resolve) => {
      settle = resolve;
    });
    const entry = { runId, createdAt, done, settle };
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

  /** Takes the run to start next: highest `rankOf`, then the oldest. */
  take(rankOf: (runId: string) => number): WaitingRun | undefined {
    let best: { entry: WaitingRun; rank: number } | undefined;
    for (const entry of this.waiting.values()) {
      const rank = rankOf(entry.runId);
      if (!best || rank > best.rank || (rank === best.rank && entry.createdAt < best.entry.createdAt)) best = { entry, rank };
    }
    if (best) this.waiting.delete(best.entry.runId);
    return best?.entry;
  }

  ids(): string[] {
    return [...this.waiting.keys()];
  }

  get size(): number {
    return this.waiting.size;
  }
}
