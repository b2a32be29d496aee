import type { ExecutorContext } from './executor-context.js';
import type { RunSummary } from './run-summary.js';
import { toStepState } from './run-view.js';
import type { StepRuntime } from './step-runtime.js';

/**
 * A run's `step.updated` announcements, made at the end of the turn of the event loop in which the
 * steps changed: their writes are committed by then (what listeners hear is stored), and the
 * processes asked for in the turn have been (a step's end is told after the next step's start is
 * under way). A step that changed several times in the turn (written running, then told its
 * agent) is read back and announced once, as it ended the turn.
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
    for (const step of steps) {
      let row;
      try {
        row = this.ctx.repo.getStep(this.runId, step.def.step);
      } catch {
        return; // The engine closed its database meanwhile: nobody is left to tell.
      }
      if (row) this.ctx.events.emit('step.updated', { runId: this.runId, step: toStepState(step.def, row, this.ctx.workspaces.stepState(step.def.step)) });
    }
  };
}
