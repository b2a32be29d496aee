import type { StepState } from '../../../shared/runs.js';
import type { Workflow } from '../../../shared/workflow.js';
import { runsAnAgent, type AgentChoice } from '../agents/index.js';
import type { Spend } from '../storage/index.js';
import { ancestorRuns, budgetScopes, describeSpend, grantedLimits, reached, usd, type AncestorRun, type BudgetScope, type SpendSource } from './budget-scopes.js';
import type { ExecutorContext } from './executor-context.js';
import type { StepRuntime } from './step-runtime.js';

/** Whether a ready step starts now, waits (for its agent, a budget or the cap), or fails without starting. */
export type Admission = 'start' | 'wait' | { fail: string };

type WaitingFor = NonNullable<StepState['waitingFor']>;

export interface AdmissionHost {
  announceStep(step: StepRuntime): void;
  /** Something a waiting step waited for changed (an answer came): try the ready steps again. */
  wake(): void;
}

/**
 * The run executor's door for a ready step: its saved agent's own slots, the budgets that apply to
 * it (the run's, its agent's in the run, its agent's day) and the engine's cap on running AI
 * agents. A step that waits says why in its row (`waiting_for`) before that is announced.
 */
export class StepAdmission {
  /** Budgets the user refused to extend during this execution: their next AI steps fail with the answer. */
  private readonly rejected = new Map<string, string>();
  /** Spend and grants are read once per turn of the event loop, not once per ready step. */
  private readonly figures = new Map<string, { spent: Spend; grants: number }>();
  private figuresTimer: NodeJS.Immediate | undefined;
  private readonly spend: SpendSource;
  /** A sub-workflow's run spends from the budgets of the runs that started it; read once, they do not change. */
  private ancestors: AncestorRun[] | undefined;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly runId: string,
    private readonly workflow: Workflow,
    private readonly host: AdmissionHost,
  ) {
    this.spend = ctx.spend;
  }

  /** The step's agent and tool, or why none can run it (which fails its attempt). */
  choose(step: StepRuntime): AgentChoice | Error {
    try {
      return this.ctx.agents.choose(step.def);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  admit(step: StepRuntime, choice: AgentChoice | Error): Admission {
    // A step whose agent cannot be chosen starts, to fail with the reason as its attempt.
    if (choice instanceof Error) return 'start';
    const held = this.ctx.agents.heldBack(choice);
    // Waiting for its own agent's slot is no budget's and no cap's doing.
    if (held === 'agent') {
      this.mark(step, undefined);
      return 'wait';
    }
    if (runsAnAgent(choice.platform)) {
      const budget = this.checkBudgets(step, choice);
      if (budget !== 'ok') {
        if (budget === 'wait') this.mark(step, 'budget');
        return budget;
      }
    }
    if (held === 'agent-cap') {
      this.mark(step, 'agent-cap');
      return 'wait';
    }
    // A fan-out step stays running between its items: its row must not keep saying it waits.
    this.mark(step, undefined);
    return 'start';
  }

  /** The run is stopping: its questions about budgets leave the inbox unless another run waits for them. */
  stop(ending: 'cancel' | 'interrupt'): void {
    this.ctx.budgets.withdraw(this.runId, ending === 'cancel' ? 'the run was cancelled before it was answered' : 'Photon stopped before it was answered');
  }

  private checkBudgets(step: StepRuntime, choice: AgentChoice): 'ok' | 'wait' | { fail: string } {
    this.ancestors ??= ancestorRuns(this.runId, this.spend);
    for (const scope of budgetScopes(this.runId, this.workflow, choice.agent, this.spend, this.ancestors)) {
      const { spent, grants } = this.figuresOf(scope);
      const limits = grantedLimits(scope.limits, grants);
      if (!reached(spent, limits)) continue;
      const why = `${scope.label} is reached: ${describeSpend(spent, limits)}`;
      const refused = this.rejected.get(scope.key);
      if (refused) return { fail: `${why}; going on was ${refused}` };
      if (scope.onExceed === 'fail') return { fail: `${why} (its onExceed is "fail")` };
      const more = grantedLimits(scope.limits, grants + 1);
      this.ctx.budgets.ask(
        scope.key,
        this.runId,
        () => ({
          step: step.def.step,
          title: `${capitalized(why)}. Approve to go on up to ${describeLimits(more)}, or reject to fail the AI steps waiting for it`,
          agentName: scope.agentName,
        }),
        (answer) => {
          if (!answer.approved) this.rejected.set(scope.key, answer.reason);
          this.figures.clear();
          this.host.wake();
        },
      );
      return 'wait';
    }
    return 'ok';
  }

  private figuresOf(scope: BudgetScope): { spent: Spend; grants: number } {
    let found = this.figures.get(scope.key);
    if (!found) {
      found = { spent: scope.spend(), grants: this.ctx.budgets.grants(scope.key) };
      this.figures.set(scope.key, found);
      this.figuresTimer ??= setImmediate(() => {
        this.figuresTimer = undefined;
        this.figures.clear();
      });
    }
    return found;
  }

  /** Written before it is announced, only when it changes; leaving `pending` clears it too (the executor's setStepStatus). */
  private mark(step: StepRuntime, waitingFor: WaitingFor | undefined): void {
    if (step.waitingFor === waitingFor) return;
    step.waitingFor = waitingFor;
    this.ctx.repo.updateStep(this.runId, step.def.step, { waitingFor: waitingFor ?? null });
    this.host.announceStep(step);
  }
}

function describeLimits(limits: { costUsd?: number; tokens?: number }): string {
  const parts: string[] = [];
  if (limits.costUsd !== undefined) parts.push(usd(limits.costUsd));
  if (limits.tokens !== undefined) parts.push(`${limits.tokens.toLocaleString('en-US')} tokens`);
  return parts.join(' and ');
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
