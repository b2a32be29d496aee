import type { WorkflowStep } from '../../../shared/workflow.js';

/** How a step on one platform becomes a process. */
export interface Invocation {
  file: string;
  args: string[];
  /** Variables added to the engine's environment for this process only. */
  env: Record<string, string>;
  /** What the user sees as the terminal's command. */
  display: string;
}

export interface ToolAdapter {
  platform: string;
  /** `inputs` are the step's inputs with `{{steps.N.output}}` already filled in. */
  invocation(step: WorkflowStep, inputs: Record<string, unknown>): Invocation;
}
