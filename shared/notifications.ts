import type { ApprovalItem } from './approvals.js';
import type { RunDetail, RunStatus, RunSummary, StepState } from './runs.js';

/**
 * When Photon tells the user something happened while they looked elsewhere, and in which words.
 * Both hosts use this: the desktop app shows Electron notifications, the browser host the Web
 * Notifications API, so the two say the same thing at the same moments.
 */

export interface PhotonNotification {
  title: string;
  body: string;
  /** The renderer's hash route shown when the notification is clicked. */
  route: string;
  /** A later notification with the same tag replaces this one where the platform supports it. */
  tag: string;
}

/** What a notification about a waiting step needs to name it. */
export interface WaitingStep {
  runId: string;
  workflowName: string;
  step: number;
  title: string;
}

type FailedStep = Pick<StepState, 'step' | 'title' | 'status' | 'exitCode'>;

/**
 * The notification for a run that just ended; none for a run still going or interrupted by a quit.
 * `steps` (from runs.get) lets a failure name the step that failed; without them it gives counts.
 */
export function runEndedNotification(run: RunSummary, steps: readonly FailedStep[] = []): PhotonNotification | null {
  const name = workflowName(run.workflowName);
  const { total, succeeded, failed, skipped, cancelled } = run.counts;
  const took = duration(run.startedAt, run.finishedAt);
  let title: string;
  let body: string;
  switch (run.status) {
    case 'succeeded':
      title = `${name} succeeded`;
      body = `${total === succeeded ? `All ${countOf(total)}` : `${succeeded} of ${countOf(total)}`} succeeded${took ? ` in ${took}` : ''}.`;
      break;
    case 'failed': {
      title = `${name} failed`;
      const culprits = steps.filter((step) => step.status === 'failed' || step.status === 'timed_out');
      const what = culprits.length ? failedStepsPhrase(culprits) : `${failed} of ${countOf(total)} failed`;
      body = `${what}${took ? ` after ${took}` : ''}.${skipped ? ` ${countOf(skipped)} skipped.` : ''}`;
      break;
    }
    case 'cancelled':
      title = `${name} was cancelled`;
      body = `${succeeded} of ${countOf(total)} succeeded${cancelled ? `, ${cancelled} cancelled` : ''}.`;
      break;
    default:
      return null;
  }
  return { title, body, route: runRoute(run.runId), tag: `photon-run-${run.runId}` };
}

/** The notification for a step whose terminal waits for the user to type an answer. */
export function stepWaitingNotification(waiting: WaitingStep): PhotonNotification {
  return {
    title: `${workflowName(waiting.workflowName)} is waiting for input`,
    body: `Step ${waiting.step} “${oneLine(waiting.title, 60)}” is waiting for your answer in its terminal.`,
    route: runRoute(waiting.runId),
    tag: `photon-waiting-${waiting.runId}-${waiting.step}`,
  };
}

/** The renderer's route of the Approvals page. */
export const approvalsRoute = '#/approvals';

/**
 * The notification for a permission request (or a workflow's approval gate) that waits in the inbox: who asks, from which step,
 * and what it wants to do. A pty step waiting for input has its own (stepWaitingNotification).
 */
export function approvalNotification(item: Pick<ApprovalItem, 'id' | 'kind' | 'agentName' | 'tool' | 'runId' | 'step' | 'title' | 'command'>): PhotonNotification | null {
  if (item.kind === 'gate') {
    const where = item.step !== null ? `Step ${item.step}` : 'A workflow';
    return { title: 'A workflow waits for your approval', body: `${where}: ${oneLine(item.title, 160)}`, route: approvalsRoute, tag: `photon-approval-${item.id}` };
  }
  if (item.kind === 'budget') {
    const where = item.step !== null ? `Step ${item.step}` : 'An AI step';
    return { title: 'A budget is reached', body: `${where} waits: ${oneLine(item.title, 160)}`, route: approvalsRoute, tag: `photon-approval-${item.id}` };
  }
  if (item.kind !== 'permission') return null;
  const who = oneLine(item.agentName ?? item.tool, 60);
  const where = item.runId !== null && item.step !== null ? `Step ${item.step}` : 'A session';
  const what = item.command ? `run ${oneLine(item.command, 120)}` : oneLine(item.title, 120) || 'use a tool';
  return { title: `${who} asks for permission`, body: `${where} wants to ${what}.`, route: approvalsRoute, tag: `photon-approval-${item.id}` };
}

/** The renderer's route to a run. */
export function runRoute(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}

const endStatuses: ReadonlySet<RunStatus> = new Set<RunStatus>(['succeeded', 'failed', 'cancelled']);

/**
 * Follows the engine's events and says which deserve a notification: a run's end once per
 * transition (however often its final state is announced), a step's wait once each time it starts
 * waiting. It also counts what the tray shows: runs running and steps waiting for input.
 */
export class NotificationTriggers {
  private readonly statuses = new Map<string, RunStatus>();
  /** `runId:step` → the attempt that waits. */
  private readonly waiting = new Map<string, number>();
  /** Permission requests waiting in the approvals inbox. */
  private readonly approvals = new Set<string>();

  /** @param since epoch ms; a run first heard of as already ended before then is not announced (it ended before this page or app started). */
  constructor(private readonly since = 0) {}

  /** Runs that exist before any event arrives (their ends are then known, not news). */
  seed(runs: readonly Pick<RunSummary, 'runId' | 'status'>[]): void {
    for (const run of runs) this.statuses.set(run.runId, run.status);
  }

  /** Records a run.updated; `ended` says this update is the run's end and deserves a notification. */
  runUpdated(run: Pick<RunSummary, 'runId' | 'status' | 'finishedAt'>): { ended: boolean; changed: boolean } {
    const previous = this.statuses.get(run.runId);
    this.statuses.set(run.runId, run.status);
    const changed = previous !== run.status;
    if (run.status !== 'running') this.forgetWaits(run.runId);
    if (!changed || !endStatuses.has(run.status)) return { ended: false, changed };
    const endedBefore = previous === undefined && run.finishedAt !== null && Date.parse(run.finishedAt) < this.since;
    return { ended: !endedBefore, changed };
  }

  /** Records a step.waiting; `started` says the step has just begun waiting (worth a notification). */
  stepWaiting(event: { runId: string; step: number; attempt: number; waiting: boolean }): { started: boolean; changed: boolean } {
    const key = `${event.runId}:${event.step}`;
    const current = this.waiting.get(key);
    if (!event.waiting) {
      // A late "stopped waiting" from an older attempt must not clear the newer one's wait.
      if (current === undefined || current > event.attempt) return { started: false, changed: false };
      this.waiting.delete(key);
      return { started: false, changed: true };
    }
    if (current === event.attempt) return { started: false, changed: false };
    this.waiting.set(key, event.attempt);
    return { started: true, changed: true };
  }

  /** Records a step.updated: a step that is no longer running waits for nothing. */
  stepUpdated(runId: string, step: Pick<StepState, 'step' | 'status'>): { changed: boolean } {
    if (step.status === 'running') return { changed: false };
    return { changed: this.waiting.delete(`${runId}:${step.step}`) };
  }

  /**
   * Records an approval.updated; `started` says the request has just come into the inbox. A pty
   * step's wait for input is counted by stepWaiting already, so only permission requests count here.
   */
  approvalUpdated(item: Pick<ApprovalItem, 'id' | 'kind' | 'status'>): { started: boolean; changed: boolean } {
    if (item.kind !== 'permission' && item.kind !== 'gate' && item.kind !== 'budget') return { started: false, changed: false };
    if (item.status !== 'waiting') return { started: false, changed: this.approvals.delete(item.id) };
    if (this.approvals.has(item.id)) return { started: false, changed: false };
    this.approvals.add(item.id);
    return { started: true, changed: true };
  }

  isWaiting(step: { runId: string; step: number; attempt: number }): boolean {
    return this.waiting.get(`${step.runId}:${step.step}`) === step.attempt;
  }

  get runningCount(): number {
    let count = 0;
    for (const status of this.statuses.values()) if (status === 'running') count++;
    return count;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  get approvalsCount(): number {
    return this.approvals.size;
  }

  private forgetWaits(runId: string): void {
    for (const key of [...this.waiting.keys()]) if (key.startsWith(`${runId}:`)) this.waiting.delete(key);
  }
}

export interface NotificationFeedOptions {
  /** Epoch ms when the host started listening; runs that ended before it are not announced. */
  since: number;
  /** runs.get: what an event lacks (the failing step, the waiting step's title). */
  getRun(runId: string): Promise<RunDetail>;
  show(notification: PhotonNotification): void;
  /** Whether anything is to be shown now (the user may have turned notifications off); when not, nothing is read. */
  wanted?(): boolean;
  /** The counts changed (the tray rebuilds its menu). */
  onCountsChanged?(): void;
}

/** What a host feeds engine events into; it shows each notification once, worded the same everywhere. */
export interface NotificationFeed {
  seed(runs: readonly RunSummary[]): void;
  runUpdated(run: RunSummary): void;
  stepUpdated(runId: string, step: Pick<StepState, 'step' | 'status'>): void;
  stepWaiting(event: { runId: string; step: number; attempt: number; waiting: boolean }): void;
  /** A request came into the approvals inbox or left it. */
  approvalUpdated(item: ApprovalItem): void;
  /** Requests already waiting when the host starts: counted, not announced. */
  seedApprovals(items: readonly Pick<ApprovalItem, 'id' | 'kind' | 'status'>[]): void;
  readonly runningCount: number;
  readonly waitingCount: number;
  /** Requests waiting in the approvals inbox. */
  readonly approvalsCount: number;
}

export function createNotificationFeed(options: NotificationFeedOptions): NotificationFeed {
  const triggers = new NotificationTriggers(options.since);
  const counted = (changed: boolean) => {
    if (changed) options.onCountsChanged?.();
  };
  const readRun = (runId: string) => options.getRun(runId).catch(() => null);
  const wanted = () => options.wanted?.() ?? true;

  return {
    seed: (runs) => {
      triggers.seed(runs);
      options.onCountsChanged?.();
    },
    runUpdated(run) {
      const { ended, changed } = triggers.runUpdated(run);
      counted(changed);
      if (!ended || !wanted()) return;
      // Only a failure needs the run's steps, to name the one that failed.
      const steps = run.status === 'failed' ? readRun(run.runId).then((detail) => detail?.steps ?? []) : Promise.resolve([]);
      void steps.then((list) => {
        const notification = runEndedNotification(run, list);
        if (notification) options.show(notification);
      });
    },
    stepUpdated(runId, step) {
      counted(triggers.stepUpdated(runId, step).changed);
    },
    stepWaiting(event) {
      const { started, changed } = triggers.stepWaiting(event);
      counted(changed);
      if (!started || !wanted()) return;
      void readRun(event.runId).then((detail) => {
        // Answered while the run was read: the question is gone, and so is the reason to interrupt.
        if (!triggers.isWaiting(event)) return;
        const title = detail?.steps.find((s) => s.step === event.step)?.title ?? `Step ${event.step}`;
        options.show(stepWaitingNotification({ runId: event.runId, workflowName: detail?.workflowName ?? 'Workflow', step: event.step, title }));
      });
    },
    seedApprovals(items) {
      for (const item of items) triggers.approvalUpdated(item);
      options.onCountsChanged?.();
    },
    approvalUpdated(item) {
      const { started, changed } = triggers.approvalUpdated(item);
      counted(changed);
      if (!started || !wanted()) return;
      const notification = approvalNotification(item);
      if (notification) options.show(notification);
    },
    get runningCount() {
      return triggers.runningCount;
    },
    get waitingCount() {
      return triggers.waitingCount;
    },
    get approvalsCount() {
      return triggers.approvalsCount;
    },
  };
}

function failedStepsPhrase(steps: readonly FailedStep[]): string {
  const [first, second] = steps;
  if (steps.length === 1) {
    const how = first!.status === 'timed_out' ? 'timed out' : `failed${first!.exitCode !== null ? ` (exit code ${first!.exitCode})` : ''}`;
    return `${stepName(first!)} ${how}`;
  }
  if (steps.length === 2) return `Steps ${first!.step} “${oneLine(first!.title, 40)}” and ${second!.step} “${oneLine(second!.title, 40)}” failed`;
  return `${stepName(first!)} and ${steps.length - 1} more steps failed`;
}

function stepName(step: Pick<StepState, 'step' | 'title'>): string {
  return `Step ${step.step} “${oneLine(step.title, 60)}”`;
}

function workflowName(name: string): string {
  return oneLine(name, 80) || 'Workflow';
}

function countOf(n: number): string {
  return `${n} ${n === 1 ? 'step' : 'steps'}`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function duration(startedAt: string | null, finishedAt: string | null): string | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
