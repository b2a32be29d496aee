import type { StepStatus } from '../../../shared/runs.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { StepRow } from '../storage/index.js';
import type { TerminalHandle } from '../terminals/index.js';
import type { KillReason } from './attempt-ending.js';
import type { AttemptOutput } from './attempt-output.js';
import type { GateAttempt } from './gate-step.js';
import type { SessionAttempt } from './session-attempt.js';
import type { SubWorkflowAttempt } from './sub-workflow-step.js';

/** What a run's executor keeps of one step while the run executes: its state and its current attempt's. */
export interface StepRuntime {
  def: WorkflowStep;
  index: number;
  status: StepStatus;
  attempts: number;
  /** Attempts made before this execution (a resumed run): each execution gets the full retry policy. */
  attemptsBefore: number;
  output: string | null;
  startedAt: string | null;
  priority: number;
  process?: TerminalHandle | SessionAttempt | GateAttempt | SubWorkflowAttempt;
  /** The running attempt's output: the database gets its tail only when the attempt ends. */
  liveOutput?: AttemptOutput;
  /** Between launch and spawn: tool lookup and keychain reads are under way. */
  preparing: boolean;
  /** Ends the attempt being prepared now, without waiting for what the preparation awaits. */
  abandonPreparation?: () => void;
  /** The saved agent running the current attempt, whose slot it holds. */
  agentId: string | null;
  timer?: NodeJS.Timeout;
  waitingForRetry: boolean;
  /** Ready but held back: a budget waits for the user's OK, or every agent slot of the engine is taken. */
  waitingFor?: 'budget' | 'agent-cap';
  killReason?: KillReason;
  /** Said as the error of an attempt Photon cancelled for a reason of its own (a race it lost). */
  stopNote?: string;
  /** What the tool's refusal watch said when Photon stopped the attempt for refused credentials. */
  refusal?: string;
  /** A fan-out item's place in its step's list (see fan-out-items.ts): its attempts are written with it. */
  item?: number;
  /** The attempt could not start for a reason another attempt would meet again (its dependencies' results conflict). */
  cannotRetry?: boolean;
}

/** The columns of a step's row a transition writes beside its status. */
export type StepPatch = Partial<Omit<StepRow, 'runId' | 'step' | 'status'>>;

/** Whether a final step lets the steps that depend on it run: it succeeded, or failed and lets them go on anyway. */
export function satisfiesDependents(dep: StepRuntime): boolean {
  if (dep.status === 'succeeded') return true;
  return (dep.status === 'failed' || dep.status === 'timed_out') && dep.def.continueOnFailure;
}
