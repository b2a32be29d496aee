import type { StepRuntime } from './step-runtime.js';

/**
 * A run's steps that may start, kept in the order they should: the longest remaining path first
 * (so the critical path is never starved by short branches), then the lower step number. The
 * executor walks it from the front and skips a step that must wait (its agent's slot, a budget),
 * so the ones behind it go first.
 */
export class ReadyQueue {
  /** Lowest priority first, so the next step to start is at the end. */
  private readonly steps: StepRuntime[] = [];

  get size(): number {
    return this.steps.length;
  }

  /** A step already waiting is not queued twice (a race's join is looked at again as each loser is cancelled). */
  add(step: StepRuntime): void {
    if (this.steps.includes(step)) return;
    let low = 0;
    let high = this.steps.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (rank(this.steps[mid]!) < rank(step)) low = mid + 1;
      else high = mid;
    }
    this.steps.splice(low, 0, step);
  }

  remove(step: StepRuntime): void {
    const at = this.steps.indexOf(step);
    if (at >= 0) this.steps.splice(at, 1);
  }

  clear(): void {
    this.steps.length = 0;
  }

  /** Highest priority first. A caller that removes the step it was given stops walking (the walk does not survive that). */
  *inOrder(): Generator<StepRuntime> {
    for (let i = this.steps.length - 1; i >= 0; i--) yield this.steps[i]!;
  }
}

function rank(step: StepRuntime): number {
  return step.priority * 1e9 - step.def.step;
}
