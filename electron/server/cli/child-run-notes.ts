import type { StepState } from '../../../shared/runs.js';
import { stepName } from './progress/step-text.js';

/**
 * A sub-workflow step's child run, said once when it starts (and again for each new child a retry
 * starts), with the command that shows it: the child's own steps are not on the parent's board.
 */
export class ChildRunNotes {
  private readonly said = new Set<string>();

  constructor(private readonly extraArgs: string) {}

  line(step: StepState): string | undefined {
    const child = step.childRunId;
    if (!child || this.said.has(child)) return undefined;
    this.said.add(child);
    return `${stepName(step)} started child run ${child}; follow it with: photon show ${child}${this.extraArgs}`;
  }
}
