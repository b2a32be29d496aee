import { PhotonError } from '../../../shared/errors.js';
import { isActiveRunStatus, isResumableRunStatus, type RunStatus } from '../../../shared/runs.js';
import { stepTitle, type Workflow } from '../../../shared/workflow.js';
import type { RunParent, RunsRepository } from '../storage/index.js';
import type { ResolvedWorkspace, WorkspaceRequest } from '../workspaces/index.js';
import type { KillReason } from './attempt-ending.js';
import { maxSubWorkflowDepth, type ChainLink, type SavedWorkflowLookup } from './sub-workflow-plan.js';

/** What starting and following child runs needs of the run service. */
export interface ChildRunHost {
  repo: RunsRepository;
  saved: SavedWorkflowLookup | undefined;
  resolveWorkspace(request: WorkspaceRequest): Promise<ResolvedWorkspace | null>;
  start(request: { workflow: Workflow; workflowId: string; baseDir: string; workspace: ResolvedWorkspace | null; parent: RunParent; inputs: Record<string, unknown> }): { runId: string; done: Promise<RunStatus> };
  resume(runId: string): { runId: string; done: Promise<RunStatus> };
  /** Resolves when the run ends; at once for a run not active here. */
  waitFor(runId: string): Promise<RunStatus>;
  cancel(runId: string, reason: string): Promise<boolean>;
  interrupt(runId: string): Promise<void>;
}

export interface ChildRequest {
  parent: RunParent;
  /** The parent run's folder: the child's relative `cwd`s resolve against it too. */
  baseDir: string;
  /** `inputs.workflow`: the saved workflow's id or name. */
  ref: string;
  inputs: Record<string, unknown>;
}

export interface AttachedChild {
  runId: string;
  workflowName: string;
  how: 'started' | 're-attached to' | 'resumed';
  done: Promise<RunStatus>;
}

/**
 * The child runs of sub-workflow steps, run by the same RunService as any run (its events, its
 * history, its recovery). One child per attempt; an attempt that an engine stop or a cancel cut
 * short leaves its child to the next attempt, which re-attaches to it (or resumes it) instead of
 * starting a second one.
 */
export class ChildRuns {
  constructor(private readonly host: ChildRunHost) {}

  async attach(request: ChildRequest): Promise<AttachedChild> {
    const { repo } = this.host;
    const { parent } = request;
    const earlier = this.cutShortChild(parent);
    if (earlier) {
      const row = repo.getRun(earlier)!;
      repo.links.moveTo(earlier, parent.attempt);
      if (isActiveRunStatus(row.status) || row.status === 'succeeded') return { runId: row.id, workflowName: row.workflowName, how: 're-attached to', done: this.host.waitFor(row.id) };
      if (isResumableRunStatus(row.status)) return { runId: row.id, workflowName: row.workflowName, how: 'resumed', done: this.host.resume(row.id).done };
    }
    const found = this.host.saved?.resolveRef(request.ref);
    if (!found) throw new PhotonError('invalid', `no saved workflow has the id or name "${request.ref}"; save it, or correct inputs.workflow`);
    const workspace = await this.host.resolveWorkspace({ config: found.workflow.workspace, baseDir: request.baseDir });
    const started = this.host.start({ workflow: found.workflow, workflowId: found.id, baseDir: request.baseDir, workspace, parent, inputs: request.inputs });
    return { runId: started.runId, workflowName: found.name, how: 'started', done: started.done };
  }

  /**
   * Stops a child as its parent's attempt was stopped: cancelled (a cancel, a timeout, the step's own
   * stop with its `note`, such as a race it lost) or left resumable (an engine stopping).
   */
  async stop(runId: string, reason: KillReason | undefined, note?: string): Promise<void> {
    if (reason === 'interrupt') return this.host.interrupt(runId);
    const why = reason === 'timeout' ? "cancelled: its parent step's timeout passed" : note ? `cancelled: its parent step ${note}` : 'cancelled with its parent run';
    await this.host.cancel(runId, why);
  }

  /**
   * An ended child as its step's result. Succeeded: its final steps' outputs (the steps nothing
   * depends on): one final step, its output; several, a JSON object of their outputs by step number
   * (null for one that did not run). Otherwise: why, naming the first step that did not succeed.
   */
  result(runId: string): { output: string } | { error: string } {
    const { repo } = this.host;
    const run = repo.getRun(runId)!;
    const workflow = JSON.parse(run.definition) as Workflow;
    const rows = new Map(repo.getSteps(runId).map((row) => [row.step, row]));
    if (run.status !== 'succeeded') {
      const bad = workflow.workflow.find((def) => ['failed', 'timed_out', 'cancelled'].includes(rows.get(def.step)?.status ?? ''));
      const row = bad && rows.get(bad.step);
      const why = bad && row ? `: step ${bad.step} (${stepTitle(bad)}) ${row.status.replace('_', ' ')}${row.error ? `: ${row.error}` : ''}` : '';
      return { error: `child run ${runId} ("${run.workflowName}") ${run.status}${why}` };
    }
    const depended = new Set(workflow.workflow.flatMap((def) => def.dependencies));
    const finals = workflow.workflow.filter((def) => !depended.has(def.step));
    if (finals.length === 1) return { output: rows.get(finals[0]!.step)?.output ?? '' };
    return { output: JSON.stringify(Object.fromEntries(finals.map((def) => [String(def.step), rows.get(def.step)?.output ?? null]))) };
  }

  /** The child of the step's previous attempt, when that attempt was cut short (not ended by its own result). */
  private cutShortChild(parent: RunParent): string | undefined {
    const { repo } = this.host;
    const attempts = repo.getAttempts(parent.runId, parent.step);
    // A fan-out's items run side by side, each with its own child: only this item's earlier attempts are its own.
    const item = attempts.find((a) => a.attempt === parent.attempt)?.item ?? null;
    const latest =
      item === null
        ? repo.links.latestChild(parent.runId, parent.step)
        : repo.links.children(parent.runId, parent.step).find((child) => attempts.find((a) => a.attempt === child.attempt)?.item === item);
    if (!latest || latest.attempt >= parent.attempt) return undefined;
    const attempt = attempts.find((a) => a.attempt === latest.attempt);
    const ended = attempt && (attempt.status === 'succeeded' || attempt.status === 'failed' || attempt.status === 'timed_out');
    return ended ? undefined : latest.runId;
  }

  /** The workflows of the runs from the topmost down to this one, by their stored links. */
  chainTo(runId: string): ChainLink[] {
    const { repo } = this.host;
    const chain: ChainLink[] = [];
    let next: string | undefined = runId;
    // Bounded: links written by this engine never loop, but a database is data.
    while (next !== undefined && chain.length <= maxSubWorkflowDepth) {
      const row = repo.getRun(next);
      if (!row) break;
      chain.unshift({ id: row.workflowId, name: row.workflowName });
      next = repo.links.parentOf(next)?.runId;
    }
    return chain;
  }
}
