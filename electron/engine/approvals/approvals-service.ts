import { randomUUID } from 'node:crypto';
import type { ApprovalAnswer, ApprovalAnswerResult, ApprovalItem, ApprovalRule, RuleScope } from '../../../shared/approvals.js';
import { PhotonError } from '../../../shared/errors.js';
import type { ApprovalsRepository } from '../storage/index.js';
import type { PermissionAnswer, PermissionBroker, PermissionOptionInfo, PermissionQuestion } from '../sessions/index.js';
import { newItem, whyClosed } from './approval-items.js';
import { alwaysRule, choose, decide, RunAllowances } from './decisions.js';
import { awaitHolder, handOverPollMs, processAlive } from './hand-over.js';
import type { RuleSubject } from './rules.js';

/** Where a session's requests come from: what the inbox shows and the rules look at. */
export interface ApprovalContext {
  runId?: string;
  step?: number;
  workflowId?: string;
  agentName?: string;
  tool: string;
  /** The step's folder (its worktree when isolated). */
  cwd: string;
  /** The step's timeout: a request still waiting then fails the step with that reason. */
  timeoutMs?: number;
}

interface Waiting {
  options: PermissionOptionInfo[];
  context: ApprovalContext;
  subject: RuleSubject;
  resolve: (answer: PermissionAnswer) => void;
  timer?: NodeJS.Timeout;
}

/**
 * The one inbox. A session's broker comes from {@link broker}: each request is first held against
 * the run's allowances, then the workflow's rules, then the agent's; what none of them decides
 * waits in the inbox for a person. Every request is written before it is announced, and so is its
 * answer; an answer is accepted only while the request is waiting and its session still listens.
 */
export class ApprovalsService {
  private readonly waiting = new Map<string, Waiting>();
  private readonly allowances = new RunAllowances();
  private poll: NodeJS.Timeout | undefined;
  /** Open `input` items by the terminal that waits, with their run. */
  private readonly inputs = new Map<string, { id: string; runId: string }>();
  private readonly holder = process.pid;

  private readonly outbox: ApprovalItem[] = [];
  private publishing = false;

  constructor(
    private readonly repository: ApprovalsRepository,
    private readonly publish: (item: ApprovalItem) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Announces in the order things happened: a listener that answers within an announcement (an
   * in-process client) must not have the answer reach the other listeners before the request.
   */
  private announce(item: ApprovalItem): void {
    this.outbox.push(item);
    if (this.publishing) return;
    this.publishing = true;
    try {
      for (let next = this.outbox.shift(); next; next = this.outbox.shift()) this.publish(next);
    } finally {
      this.publishing = false;
    }
  }

  /** The broker a session of this step (or standalone session) hands its permission requests to. */
  broker(context: ApprovalContext): PermissionBroker {
    return (question) => this.ask(context, question);
  }

  list(options: { waitingOnly?: boolean; runId?: string; limit?: number } = {}): ApprovalItem[] {
    return this.repository.list(options);
  }

  /**
   * Answers requests; each is refused on its own (with the reason) when it can no longer be
   * answered. A request another engine holds (a run in the app, answered from the CLI) is handed to
   * it through its row, and counts as answered once that engine has applied it.
   */
  async answer(ids: readonly string[], answer: ApprovalAnswer, message?: string): Promise<ApprovalAnswerResult[]> {
    return Promise.all(
      ids.map(async (id) => {
        try {
          const item = this.waiting.has(id) ? this.answerOne(id, answer, message) : await this.handOver(id, answer, message);
          return { id, ok: true as const, item };
        } catch (error) {
          return { id, ok: false as const, reason: error instanceof Error ? error.message : String(error), code: error instanceof PhotonError ? error.code : ('internal' as const) };
        }
      }),
    );
  }

  rules(scope: RuleScope, target: string): ApprovalRule[] {
    return this.repository.rules(scope, target);
  }

  setRules(scope: RuleScope, target: string, rules: Pick<ApprovalRule, 'match' | 'action'>[]): ApprovalRule[] {
    const createdAt = this.now().toISOString();
    this.repository.replaceRules(
      scope,
      target,
      rules.map((rule, position) => ({ id: randomUUID(), scope, target, position, match: rule.match, action: rule.action, createdBy: 'person', createdAt })),
    );
    return this.rules(scope, target);
  }

  /**
   * A pty step waits for the user to type (the metrics' detection): it joins the inbox as an
   * `input` item, answered in the step's terminal, and closes when the step stops waiting.
   */
  inputWaiting(wait: { terminalId: string; runId: string; step: number; tool: string; agentName?: string; title: string; cwd?: string }): void {
    if (this.inputs.has(wait.terminalId)) return;
    const item = newItem(
      { kind: 'input', sessionId: wait.terminalId, runId: wait.runId, step: wait.step, agentName: wait.agentName ?? null, tool: wait.tool, title: wait.title, toolKind: null, command: null, diffs: [], cwd: wait.cwd ?? null },
      this.now().toISOString(),
    );
    // Not written (SQLite refused it): its run is being stopped for that, and nothing shows.
    if (!this.repository.insert(item, this.holder)) return;
    this.inputs.set(wait.terminalId, { id: item.id, runId: wait.runId });
    this.announce(item);
  }

  /** The step's terminal got its input (or the step ended): its `input` item closes. */
  inputResumed(terminalId: string): void {
    const input = this.inputs.get(terminalId);
    if (!input) return;
    const { id, runId } = input;
    this.inputs.delete(terminalId);
    const message = 'the step stopped waiting: input was typed in its terminal, or it ended';
    if (this.repository.settle(id, 'cancelled', { answer: null, answeredBy: 'terminal', answeredAt: this.now().toISOString(), message }, runId)) {
      this.announce(this.repository.get(id)!);
    }
  }

  /**
   * A workflow's approval gate waits for a person: written before it is announced, answered only
   * by `once` (approve) or `deny` (reject), and its answer written before the run hears it.
   * Resolves with the settled item, or undefined when it was ended by {@link endGate}.
   */
  gate(request: { runId: string; step: number; title: string; cwd: string | null }): { id: string; answered: Promise<ApprovalItem | undefined> } {
    return this.askPerson({ kind: 'gate', runId: request.runId, step: request.step, agentName: null, tool: 'approval', title: request.title, cwd: request.cwd });
  }

  /**
   * A run (or an agent) reached its budget and its next AI steps wait: asked as a gate is (Approve
   * or Reject only), with the budget it is about kept on the row, so an Approve still counts after
   * a restart (see runs/budget-asks.ts).
   */
  askBudget(request: { runId: string; step: number; title: string; agentName: string | null; budgetScope: string }): { id: string; answered: Promise<ApprovalItem | undefined> } {
    return this.askPerson({ kind: 'budget', runId: request.runId, step: request.step, agentName: request.agentName, tool: 'budget', title: request.title, cwd: null }, request.budgetScope);
  }

  /** How many times a person approved going past this budget. */
  budgetGrants(budgetScope: string): number {
    return this.repository.budgetGrants(budgetScope);
  }

  private askPerson(
    request: { kind: 'gate' | 'budget'; runId: string; step: number; agentName: string | null; tool: string; title: string; cwd: string | null },
    budgetScope: string | null = null,
  ): { id: string; answered: Promise<ApprovalItem | undefined> } {
    const item = newItem(
      { kind: request.kind, sessionId: null, runId: request.runId, step: request.step, agentName: request.agentName, tool: request.tool, title: request.title, toolKind: null, command: null, diffs: [], cwd: request.cwd },
      this.now().toISOString(),
    );
    let resolveAnswer!: (answer: PermissionAnswer) => void;
    const answered = new Promise<PermissionAnswer>((resolve) => (resolveAnswer = resolve));
    const options: PermissionOptionInfo[] = [{ id: 'approve', name: 'Approve', kind: 'allow_once' }, { id: 'reject', name: 'Reject', kind: 'reject_once' }];
    // Not written (SQLite refused it): its run is being stopped for that (runs/run-settlement.ts), and nothing is asked.
    if (!this.repository.insert(item, this.holder, budgetScope)) return { id: item.id, answered: Promise.resolve(undefined) };
    this.waiting.set(item.id, { options, context: { runId: request.runId, step: request.step, tool: request.tool, cwd: request.cwd ?? '' }, subject: { toolKind: null, command: null, paths: [], folder: '' }, resolve: resolveAnswer });
    this.announce(item);
    this.watchHandOvers();
    return { id: item.id, answered: answered.then((answer) => ('optionId' in answer ? this.repository.get(item.id) : undefined)) };
  }

  /** A gate stops waiting unanswered: `expired` when its step's timeout passed, `cancelled` when its run stopped. */
  endGate(id: string, status: 'cancelled' | 'expired', reason: string): void {
    this.end(id, status, reason, status === 'expired' ? 'timeout' : 'ended', { cancelled: true });
  }

  /**
   * The answer a gate of this step got at or after `since` (the start of the attempt an engine crash
   * cut short): a resumed run applies it instead of asking again.
   */
  gateAnswer(runId: string, step: number, since: string): ApprovalItem | undefined {
    return this.repository
      .list({ runId })
      .filter((item) => item.kind === 'gate' && item.step === step && (item.status === 'allowed' || item.status === 'denied') && item.createdAt >= since)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  /**
   * A run set from the file after its writes were lost (runs/run-settlement.ts), in the same
   * transaction: its questions still waiting there close with why, whether or not their closing was
   * tried before (refused, it left them waiting for an answer nothing waits for any more).
   */
  closeRun(runId: string, reason: string): void {
    for (const id of this.repository.waitingOfRun(runId)) {
      const waiting = this.waiting.get(id);
      this.end(id, 'cancelled', reason, 'ended', waiting && { cancelled: true });
    }
  }

  /** A run ended: its allowances go with it. */
  forgetRun(runId: string): void {
    this.allowances.forget(runId);
  }

  /** At engine start: requests whose engine has stopped can never be answered now. */
  cancelLeftovers(): void {
    for (const { id, holder } of this.repository.waitingHolders()) {
      if (holder === null || !processAlive(holder)) this.end(id, 'cancelled', 'the Photon that held it stopped before it was answered', 'ended');
    }
  }

  /**
   * A step timed out while its session's requests waited: each expires with the reason (answered
   * by `timeout`), and its session hears that it was cancelled.
   */
  expireSession(sessionId: string, reason: string): void {
    for (const id of [...this.waiting.keys()]) {
      if (this.repository.get(id)?.sessionId === sessionId) this.end(id, 'expired', reason, 'timeout', { cancelled: true });
    }
  }

  /** Stops watching for handed-over answers; what still waits is cancelled (its sessions end too). */
  close(): void {
    clearInterval(this.poll);
    for (const id of [...this.waiting.keys()]) this.end(id, 'cancelled', 'Photon stopped before it was answered', 'ended', { cancelled: true });
    for (const terminalId of [...this.inputs.keys()]) this.inputResumed(terminalId);
  }

  private async ask(context: ApprovalContext, question: PermissionQuestion): Promise<PermissionAnswer> {
    const call = question.toolCall;
    const subject: RuleSubject = { toolKind: call.kind, command: call.command ?? null, paths: [...call.locations, ...call.diffs.map((d) => d.path)], folder: context.cwd };
    const item = newItem(
      {
        kind: 'permission',
        sessionId: question.sessionId,
        runId: context.runId ?? null,
        step: context.step ?? null,
        agentName: context.agentName ?? null,
        tool: context.tool,
        title: call.title || `${call.kind} call`,
        toolKind: call.kind,
        command: call.command ?? null,
        diffs: call.diffs,
        cwd: context.cwd,
      },
      this.now().toISOString(),
    );
    const decided = decide(this.allowances, this.repository, context, question.sessionId, subject);
    if (decided) {
      const allow = decided.action === 'allow';
      // Not written (SQLite refused it): its run is being stopped for that, nothing shows, and the session goes on as decided meanwhile.
      if (this.repository.insert({ ...item, status: allow ? 'allowed' : 'denied', answer: allow ? 'once' : 'deny', answeredBy: decided.by, answeredAt: item.createdAt }, this.holder)) {
        this.announce(this.repository.get(item.id)!);
      }
      return choose(question.options, allow ? 'allow' : 'deny');
    }
    // Held before it is announced: a client may answer within the announcement itself.
    let resolveAnswer!: (answer: PermissionAnswer) => void;
    const answered = new Promise<PermissionAnswer>((resolve) => (resolveAnswer = resolve));
    const waiting: Waiting = { options: question.options, context, subject, resolve: resolveAnswer };
    if (!this.repository.insert(item, this.holder)) {
      // Not written (SQLite refused it): a run's session is being stopped for that; a session of
      // its own hears why its tool call cannot be asked about.
      const lost = this.repository.failedWrite('ask again');
      return lost && !context.runId ? { fail: lost.message } : { cancelled: true };
    }
    this.waiting.set(item.id, waiting);
    this.announce(item);
    this.watchHandOvers();
    if (this.waiting.has(item.id)) {
      question.signal.addEventListener('abort', () => this.end(item.id, 'cancelled', 'its turn was cancelled or its session ended', 'ended', { cancelled: true }), { once: true });
      if (context.timeoutMs !== undefined) {
        const seconds = Math.round(context.timeoutMs / 100) / 10;
        const reason = `the permission request "${item.title}" was not answered within the step's timeout (${seconds} s)`;
        waiting.timer = setTimeout(() => this.end(item.id, 'expired', reason, 'timeout', { fail: reason }), context.timeoutMs);
      }
    }
    return answered;
  }

  /** Another engine holds the request: leave the answer on its row and wait for that engine to apply it. */
  private async handOver(id: string, answer: ApprovalAnswer, message?: string): Promise<ApprovalItem> {
    this.checkAnswerable(id, answer);
    const holder = this.repository.holderOf(id);
    if (holder === null || holder === this.holder || !processAlive(holder)) {
      this.end(id, 'cancelled', 'its session ended before it was answered', 'ended');
      throw new PhotonError('conflict', `approval ${id} cannot be answered: its session ended before it was answered`);
    }
    if (!this.repository.handOver(id, { answer, answeredAt: this.now().toISOString(), message: message ?? null })) {
      throw new PhotonError('conflict', `approval ${id} cannot be answered: another answer to it is being applied`);
    }
    return awaitHolder(this.repository, id, answer, holder);
  }

  /** While anything waits here, answers handed over by other engines are picked up. */
  private watchHandOvers(): void {
    if (this.poll) return;
    this.poll = setInterval(() => {
      if (this.waiting.size === 0) {
        clearInterval(this.poll);
        this.poll = undefined;
        return;
      }
      for (const handed of this.repository.handedOver([...this.waiting.keys()])) {
        try {
          this.answerOne(handed.id, handed.answer as ApprovalAnswer, handed.message ?? undefined);
        } catch {
          this.repository.withdraw(handed.id);
        }
      }
    }, handOverPollMs);
    this.poll.unref();
  }

  private checkOpen(id: string): ApprovalItem {
    const item = this.repository.get(id);
    if (!item) throw new PhotonError('not_found', `no approval request ${id}: list them with photon approvals`);
    if (item.status !== 'waiting') throw new PhotonError('conflict', `approval ${id} cannot be answered: ${whyClosed(item)}`);
    if (item.kind === 'input') throw new PhotonError('conflict', `approval ${id} is a step waiting for typed input: answer it in the step's terminal`);
    return item;
  }

  /** A gate, or a budget's question, is approved or rejected, never allowed for the run or always. */
  private checkAnswerable(id: string, answer: ApprovalAnswer): ApprovalItem {
    const item = this.checkOpen(id);
    if ((item.kind === 'gate' || item.kind === 'budget') && answer !== 'once' && answer !== 'deny') {
      const what = item.kind === 'gate' ? "a workflow's gate" : 'a question about a budget';
      throw new PhotonError('invalid', `approval ${id} is ${what}: approve it (photon approve ${id}) or reject it (photon deny ${id}); it cannot be allowed for the run or always`);
    }
    return item;
  }

  private answerOne(id: string, answer: ApprovalAnswer, message?: string): ApprovalItem {
    const item = this.checkAnswerable(id, answer);
    const waiting = this.waiting.get(id);
    if (!waiting) {
      this.end(id, 'cancelled', 'its session ended before it was answered', 'ended');
      throw new PhotonError('conflict', `approval ${id} cannot be answered: its session ended before it was answered`);
    }
    const at = this.now().toISOString();
    const allow = answer !== 'deny';
    // Not given its run: an answer SQLite refuses is the person's to give again, and the question goes on waiting.
    if (!this.repository.settle(id, allow ? 'allowed' : 'denied', { answer, answeredBy: 'person', answeredAt: at, message: allow ? null : (message ?? null) })) {
      const lost = this.repository.failedWrite('answer it again');
      if (lost) throw lost;
      throw new PhotonError('conflict', `approval ${id} cannot be answered: ${whyClosed(this.repository.get(id)!)}`);
    }
    this.release(id);
    if (answer === 'run') this.allowances.add(waiting.context.runId ?? item.sessionId ?? id, item);
    if (answer === 'always') this.repository.appendRule(alwaysRule(item, waiting.context, at));
    const settled = this.repository.get(id)!;
    this.announce(settled);
    const chosen = choose(waiting.options, allow ? 'allow' : 'deny');
    waiting.resolve('optionId' in chosen && !allow && message ? { ...chosen, message } : chosen);
    return settled;
  }

  private end(id: string, status: 'cancelled' | 'expired', reason: string, by: string, result?: PermissionAnswer): void {
    const waiting = this.waiting.get(id);
    // Closed as part of its run: refused by SQLite (a full disk, a lock held too long), the run's
    // writes are lost with it, and the run's settlement closes it from the file (closeRun). What
    // waits on it goes on all the same.
    const settled = this.repository.settle(id, status, { answer: null, answeredBy: by, answeredAt: this.now().toISOString(), message: reason }, waiting?.context.runId);
    if (settled) this.announce(this.repository.get(id)!);
    this.release(id);
    if (waiting && result) waiting.resolve(result);
  }

  private release(id: string): void {
    const waiting = this.waiting.get(id);
    if (waiting?.timer) clearTimeout(waiting.timer);
    this.waiting.delete(id);
  }
}
