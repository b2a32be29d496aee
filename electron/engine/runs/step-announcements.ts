import type { StepReadRow } from '../storage/index.js';
import type { ExecutorContext } from './executor-context.js';
import type { RunSummary } from './run-summary.js';
import { toStepState } from './run-view.js';
import type { StepRuntime } from './step-runtime.js';

/**
 * A run's `step.updated` announcements, made at the end of the turn of the event loop in which the
 * steps changed: their writes are committed by then (what listeners hear is stored), and the
 * processes asked for in the turn have been (a step's end is told after the next step's start is
 * under way). The turn's steps are read back in one statement, and a step that changed several
 * times in the turn (written running, then told its agent) is announced once, as it ended it.
 */
export class StepAnnouncements {
  /** In the order they first changed. */
  private readonly changed = new Set<StepRuntime>();

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly runId: string,
    private readonly summary: RunSummary,
  ) {}

  add(step: StepRuntime): void {
    if (!this.ctx.events.hasListeners('step.updated')) return this.summary.soon();
    if (this.changed.size === 0) this.ctx.repo.afterCommit(this.announce);
    this.changed.add(step);
    this.summary.soon();
  }

  private readonly announce = (): void => {
    const steps = [...this.changed];
    this.changed.clear();
    let rows: Map<number, StepReadRow>;
    try {
      // One statement for the turn's plain steps (a step's end and the next one's start), not one
      // per step; another for the rest, whose usage, session, child run or items are looked up.
      const plain = steps.filter(isPlain).map((step) => step.def.step);
      const rest = steps.filter((step) => !isPlain(step)).map((step) => step.def.step);
      const read = [...(plain.length > 0 ? this.ctx.repo.getStepsNumbered(this.runId, plain, true) : []), ...(rest.length > 0 ? this.ctx.repo.getStepsNumbered(this.runId, rest) : [])];
      rows = new Map(read.map((row) => [row.step, row]));
    } catch {
      return; // The engine closed its database meanwhile: nobody is left to tell.
    }
    for (const step of steps) {
      const row = rows.get(step.def.step);
      if (row) this.ctx.events.emit('step.updated', { runId: this.runId, step: toStepState(step.def, row, this.ctx.workspaces.stepState(step.def.step)) });
    }
  };
}

/**
 * A shell step with no agent and no items: no tool reports usage for it, no session or child run
 * is ever recorded for it (an agent, even on a shell step, may run an AI tool).
 */
function isPlain(step: StepRuntime): boolean {
  return step.def.platform === 'shell' && step.def.agent === undefined && step.def.forEach === undefined;
}
