import { gatePlatform } from '../../shared/validate-conditions.js';
import { subWorkflowPlatform, type WorkflowStep } from '../../shared/workflow.js';

/**
 * What a step does, as the canvas draws and edits it. A gate and a sub-workflow are platforms of
 * Photon's own; fan-out and race are fields of an ordinary tool step (`forEach`, `race`), so a
 * step is one kind only: a race join that also fans out is drawn as the race (what decides when
 * it starts), its fan-out still edited in the inspector.
 */
export type StepKind = 'task' | 'gate' | 'workflow' | 'fan-out' | 'race';

export function stepKind(step: Pick<WorkflowStep, 'platform' | 'forEach' | 'race'>): StepKind {
  if (step.platform === gatePlatform) return 'gate';
  if (step.platform === subWorkflowPlatform) return 'workflow';
  if (step.race !== undefined) return 'race';
  if (step.forEach !== undefined) return 'fan-out';
  return 'task';
}

/** Whether a step runs a tool (a command or a prompt), so the tool's fields apply to it. */
export function runsTool(kind: StepKind): boolean {
  return kind === 'task' || kind === 'fan-out' || kind === 'race';
}

export interface DecisionKind {
  kind: Exclude<StepKind, 'task'>;
  /** The palette's id for it, carried by a drag and given to canvasAddStep. */
  paletteId: string;
  label: string;
  /** What it does, in a line: the palette's tooltip and the inspector's hint. */
  description: string;
}

export const decisionKinds: readonly DecisionKind[] = [
  { kind: 'gate', paletteId: 'approval', label: 'Approval gate', description: 'Waits for a person to Approve or Reject before the steps after it run.' },
  { kind: 'workflow', paletteId: 'workflow', label: 'Sub-workflow', description: 'Runs a saved workflow as a child run; its final steps’ outputs become this step’s output.' },
  { kind: 'fan-out', paletteId: 'fan-out', label: 'Fan-out', description: 'Runs its command once per item of a list, {{item}} and {{index}} in its inputs.' },
  { kind: 'race', paletteId: 'race', label: 'Race join', description: 'Starts with the first of its chosen dependencies to succeed, {{race.output}} in its inputs; the others are cancelled.' },
];

export function decisionKind(kind: StepKind): DecisionKind | undefined {
  return decisionKinds.find((k) => k.kind === kind);
}

export function paletteKind(paletteId: string): DecisionKind | undefined {
  return decisionKinds.find((k) => k.paletteId === paletteId);
}

/**
 * A new step of a decision kind, ready to edit: each starts with what it needs filled in so it
 * runs (a gate's question, a harmless command over three placeholder items) or, where only the
 * user can say (which workflow, which steps race), empty, and the engine's check says what is missing.
 */
export function newDecisionStep(kind: DecisionKind['kind'], number: number): WorkflowStep {
  const base = { step: number, dependencies: [] as number[], continueOnFailure: false };
  switch (kind) {
    case 'gate':
      return { ...base, label: `Approval ${number}`, platform: gatePlatform, inputs: { message: 'Go on?' } };
    case 'workflow':
      return { ...base, label: `Sub-workflow ${number}`, platform: subWorkflowPlatform, inputs: { workflow: '' } };
    case 'fan-out':
      return { ...base, label: `Fan-out ${number}`, platform: 'shell', inputs: { command: 'echo "item {{index}}: {{item}}"' }, forEach: ['first', 'second', 'third'], maxParallel: 3 };
    case 'race':
      return { ...base, label: `Race ${number}`, platform: 'shell', inputs: { command: 'echo "first: {{race.output}}"' }, race: [] };
  }
}

/**
 * The node's second line: what kind of step it is and the facts that make it so (`Fan-out · Shell
 * · 3 at once`). `workflowName` turns a sub-workflow's saved id into its name.
 */
export function kindLine(step: WorkflowStep, toolLabel: string, workflowName: (idOrName: string) => string = (x) => x): string {
  const kind = stepKind(step);
  switch (kind) {
    case 'gate':
      return 'Approval gate';
    case 'workflow': {
      const target = typeof step.inputs.workflow === 'string' ? step.inputs.workflow.trim() : '';
      return target ? `Sub-workflow: ${workflowName(target)}` : 'Sub-workflow: none chosen';
    }
    case 'fan-out': {
      const list = Array.isArray(step.forEach) ? `${step.forEach.length} ${step.forEach.length === 1 ? 'item' : 'items'}` : 'per item';
      return ['Fan-out', toolLabel, list, step.maxParallel ? `${step.maxParallel} at once` : null].filter(Boolean).join(' · ');
    }
    case 'race':
      return `Race of ${step.race!.length > 0 ? step.race!.map((n) => `step ${n}`).join(', ') : 'no steps yet'} · ${toolLabel}`;
    case 'task':
      return toolLabel;
  }
}
