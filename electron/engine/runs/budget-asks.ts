import type { ApprovalItem } from '../../../shared/approvals.js';

/** The part of the approvals inbox budgets use (see ApprovalsService). */
export interface BudgetInbox {
  askBudget(request: { runId: string; step: number; title: string; agentName: string | null; budgetScope: string }): { id: string; answered: Promise<ApprovalItem | undefined> };
  endGate(id: string, status: 'cancelled' | 'expired', reason: string): void;
  /** How many times a person approved going past this budget, in any engine, ever. */
  budgetGrants(budgetScope: string): number;
}

export type BudgetAnswer = { approved: true } | { approved: false; reason: string };

interface OpenAsk {
  id: string;
  /** The runs whose AI steps wait for this answer, each with what it does when it comes. */
  waiters: Map<string, (answer: BudgetAnswer) => void>;
}

/**
 * The engine's questions about budgets, one inbox item per budget however many steps and runs wait
 * for it (an agent's daily cap is shared by every run of the day). Approved or rejected, every run
 * waiting hears it; a question nobody waits for any more (its runs were cancelled or interrupted)
 * is withdrawn from the inbox.
 */
export class BudgetAsks {
  private readonly open = new Map<string, OpenAsk>();
  /**
   * A run waiting only for a person has no process or socket to keep its host alive: without this,
   * `photon run` would exit mid-run while the question waits.
   */
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(private readonly inbox: BudgetInbox) {}

  grants(budgetScope: string): number {
    return this.inbox.budgetGrants(budgetScope);
  }

  /**
   * The run's steps wait for the answer about this budget: asks the inbox, unless the question is
   * open already (then the run joins it). `question` is built only when a new item is written.
   */
  ask(budgetScope: string, runId: string, question: () => { step: number; title: string; agentName: string | null }, listener: (answer: BudgetAnswer) => void): void {
    const existing = this.open.get(budgetScope);
    if (existing) {
      if (!existing.waiters.has(runId)) existing.waiters.set(runId, listener);
      return;
    }
    const { id, answered } = this.inbox.askBudget({ runId, ...question(), budgetScope });
    const ask: OpenAsk = { id, waiters: new Map([[runId, listener]]) };
    this.open.set(budgetScope, ask);
    this.keepAlive ??= setInterval(() => undefined, 1 << 30);
    void answered.then((item) => {
      if (this.open.get(budgetScope) !== ask) return;
      this.close(budgetScope);
      // Withdrawn or ended with the engine: nobody is told anything.
      if (!item) return;
      const answer: BudgetAnswer = item.status === 'allowed' ? { approved: true } : { approved: false, reason: rejection(item) };
      for (const waiter of ask.waiters.values()) waiter(answer);
    });
  }

  /** Whether this run's steps wait for an answer about this budget. */
  waiting(budgetScope: string, runId: string): boolean {
    return this.open.get(budgetScope)?.waiters.has(runId) ?? false;
  }

  /** The run stopped: it waits no more, and a question nobody else waits for leaves the inbox with the reason. */
  withdraw(runId: string, reason: string): void {
    for (const [budgetScope, ask] of [...this.open]) {
      if (!ask.waiters.delete(runId) || ask.waiters.size > 0) continue;
      this.close(budgetScope);
      this.inbox.endGate(ask.id, 'cancelled', reason);
    }
  }

  private close(budgetScope: string): void {
    this.open.delete(budgetScope);
    if (this.open.size === 0) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }
}

function rejection(item: ApprovalItem): string {
  if (item.status === 'denied') return `rejected by ${item.answeredBy} at ${item.answeredAt}${item.message ? `: ${item.message}` : ''}`;
  return `the question ${item.status === 'expired' ? 'expired' : 'was closed'}${item.message ? `: ${item.message}` : ''}`;
}
