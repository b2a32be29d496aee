import type { RunDetail, StepState } from '../../../../shared/runs.js';
import { isResumableRunStatus } from '../../../../shared/runs.js';
import { formatDuration, lastLines } from '../format.js';
import { stepName } from './step-text.js';

const failedStatuses = new Set(['failed', 'timed_out']);

/**
 * How long a run took, by the engine's clock, the one its steps' durations are measured by: what a
 * watcher timed itself falls short when it saw the run late (a run on a server is posted before
 * its events reach the client), and a step would then seem to take longer than its run. A resumed
 * run keeps its first start, so there the watcher's own time (this resume's) is the one meant.
 */
export function runElapsedMs(detail: RunDetail, watchedMs: number, resumed = false): number {
  if (resumed || !detail.startedAt) return watchedMs;
  return (detail.finishedAt ? Date.parse(detail.finishedAt) : Date.now()) - Date.parse(detail.startedAt);
}

/** The lines that close a run's progress: its outcome, what failed and how to go on. */
export function summaryLines(detail: RunDetail, elapsedMs: number, options: { interrupted: boolean; extraArgs: string; detailsHint?: boolean }): string[] {
  const count = (pred: (s: StepState) => boolean) => detail.steps.filter(pred).length;
  const parts = [
    [count((s) => s.status === 'succeeded'), 'succeeded'],
    [count((s) => failedStatuses.has(s.status)), 'failed'],
    [count((s) => s.status === 'skipped'), 'skipped'],
    [count((s) => s.status === 'cancelled'), 'cancelled'],
    [count((s) => s.status === 'pending'), 'not started'],
  ] as const;
  const outcome = parts.filter(([n], i) => n > 0 || i === 0).map(([n, word]) => `${n} ${word}`).join(', ');
  const lines = [`run ${detail.runId} ${detail.status}: ${outcome} of ${detail.steps.length} steps in ${formatDuration(elapsedMs)}`];

  for (const step of detail.steps.filter((s) => failedStatuses.has(s.status))) {
    lines.push(`  ${stepName(step)}: ${step.error ?? step.status}`);
    const output = step.output?.trim();
    if (output) lines.push(...lastLines(output, 10).map((line) => `    | ${line}`));
  }
  const workspace = detail.workspace;
  if (workspace?.resultCommit) {
    const changes = workspace.changes;
    const size = changes ? ` (${changes.filesChanged} ${changes.filesChanged === 1 ? 'file' : 'files'}, +${changes.linesAdded} -${changes.linesRemoved})` : '';
    lines.push(`Result: branch ${workspace.branch}${size} in ${workspace.repo}; review it with photon diff ${detail.runId}${options.extraArgs}, land it with photon merge ${detail.runId}${options.extraArgs}`);
  } else if (workspace?.error) {
    lines.push(`  workspace: ${workspace.error}`);
  }
  if (isResumableRunStatus(detail.status)) {
    lines.push(`${options.interrupted ? 'Cancelled. ' : ''}Re-run what did not succeed: photon resume ${detail.runId}${options.extraArgs}`);
  }
  if (detail.status !== 'succeeded' && options.detailsHint !== false) lines.push(`Details: photon show ${detail.runId}${options.extraArgs}`);
  return lines;
}
