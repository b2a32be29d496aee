import type { ApprovalItem, ApprovalRule, ApprovalStatus } from '../../../shared/approvals.js';
import type { PhotonError } from '../../../shared/errors.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';
import { TurnTransaction } from './turn-transaction.js';

/**
 * The approvals inbox and the rules that answer it, as rows. JSON columns hold diffs and matches.
 * Its requests and answers are written in the runs' turn (turn-transaction.ts): a question is part
 * of its run's history, so one SQLite refuses is lost with the stretch it was written in, never
 * thrown at the run's scheduling or a timer; given its run (`owner`), that run's writes are then
 * lost too and it is settled from the file (runs/run-settlement.ts).
 */
export class ApprovalsRepository {
  private readonly statements: StatementCache;
  private readonly turn: TurnTransaction;

  constructor(
    private readonly db: SqliteDatabase,
    turn?: TurnTransaction,
  ) {
    this.statements = new StatementCache(db);
    this.turn = turn ?? new TurnTransaction(db);
  }

  /**
   * `holder`: the process id of the engine whose session waits for the answer. `budgetScope`: for a
   * `budget` item, the budget it asks about (see runs/budget-scopes.ts). False when it was not
   * written: its stretch was refused, or its run's writes are being kept out.
   */
  insert(item: ApprovalItem, holder: number, budgetScope: string | null = null): boolean {
    const insert = this.statements.get(
      `INSERT INTO approvals (id, kind, status, session_id, run_id, step, agent_name, tool, title, tool_kind, command, diffs, cwd, created_at, answer, answered_by, answered_at, message, holder, budget_scope)
       VALUES (@id, @kind, @status, @sessionId, @runId, @step, @agentName, @tool, @title, @toolKind, @command, @diffs, @cwd, @createdAt, @answer, @answeredBy, @answeredAt, @message, @holder, @budgetScope)`,
    );
    // Only the engine running a run asks about it: the run is this engine's to settle.
    return this.turn.write(() => insert.run({ ...item, diffs: JSON.stringify(item.diffs), holder, budgetScope }), item.runId ?? undefined) !== undefined;
  }

  /** Why the current stretch's writes (an answer just refused) are not kept; `retry` ends the message. */
  failedWrite(retry: string): PhotonError | undefined {
    return this.turn.failedWrite(retry);
  }

  /** How many times a person approved going past this budget (each Approve adds one more budget's worth). */
  budgetGrants(budgetScope: string): number {
    return this.statements.get(`SELECT COUNT(*) FROM approvals WHERE budget_scope = ? AND status = 'allowed'`).pluck().get(budgetScope) as number;
  }

  holderOf(id: string): number | null {
    return (this.statements.get('SELECT holder FROM approvals WHERE id = ?').pluck().get(id) as number | null | undefined) ?? null;
  }

  /** Another engine's answer, left on a waiting row for its holder to apply; false if one is there already. */
  handOver(id: string, fields: { answer: string; answeredAt: string; message: string | null }): boolean {
    const update = this.statements.get(`UPDATE approvals SET answer = @answer, answered_by = 'person', answered_at = @answeredAt, message = @message WHERE id = @id AND status = 'waiting' AND answer IS NULL`);
    return this.turn.write(() => update.run({ id, ...fields }))?.changes === 1;
  }

  /** Takes back a handed-over answer its holder never applied (refused, it stays: the holder's next poll applies it). */
  withdraw(id: string): void {
    const update = this.statements.get(`UPDATE approvals SET answer = NULL, answered_by = NULL, answered_at = NULL, message = NULL WHERE id = ? AND status = 'waiting'`);
    this.turn.write(() => update.run(id));
  }

  /** The run's questions still waiting in the file. */
  waitingOfRun(runId: string): string[] {
    return this.statements.get(`SELECT id FROM approvals WHERE run_id = ? AND status = 'waiting'`).pluck().all(runId) as string[];
  }

  /** Answers handed over for these waiting requests. */
  handedOver(ids: readonly string[]): { id: string; answer: string; message: string | null }[] {
    return this.statements
      .get(`SELECT id, answer, message FROM approvals WHERE status = 'waiting' AND answer IS NOT NULL AND id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: string; answer: string; message: string | null }[];
  }

  /** Waiting requests with the engine that holds each. */
  waitingHolders(): { id: string; holder: number | null }[] {
    return this.statements.get(`SELECT id, holder FROM approvals WHERE status = 'waiting'`).all() as { id: string; holder: number | null }[];
  }

  /**
   * Records an answer only if the request is still waiting: of two answers racing (two windows, a
   * timeout), exactly one wins. Returns whether this one did (false too when it was not written:
   * see `insert`). `owner`: the run this engine runs that the request is part of.
   */
  settle(id: string, status: ApprovalStatus, fields: { answer: string | null; answeredBy: string; answeredAt: string; message: string | null }, owner?: string): boolean {
    const update = this.statements.get(`UPDATE approvals SET status = @status, answer = @answer, answered_by = @answeredBy, answered_at = @answeredAt, message = @message WHERE id = @id AND status = 'waiting'`);
    return this.turn.write(() => update.run({ id, status, ...fields }), owner)?.changes === 1;
  }

  get(id: string): ApprovalItem | undefined {
    const row = this.statements.get(`${select} WHERE id = ?`).get(id) as ApprovalRowRaw | undefined;
    return row && toItem(row);
  }

  /** Waiting requests oldest first, then the most recent answered ones. */
  list(options: { waitingOnly?: boolean; runId?: string; limit?: number } = {}): ApprovalItem[] {
    const where: string[] = [];
    if (options.waitingOnly) where.push(`status = 'waiting'`);
    if (options.runId) where.push('run_id = @runId');
    const sql = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY status = 'waiting' DESC, CASE WHEN status = 'waiting' THEN created_at END ASC, created_at DESC, id LIMIT @limit`;
    return (this.statements.get(sql).all({ runId: options.runId ?? null, limit: options.limit ?? 500 }) as ApprovalRowRaw[]).map(toItem);
  }

  rules(scope: string, target: string): ApprovalRule[] {
    const rows = this.statements
      .get(
        `SELECT id, scope, target, position, match, action, created_by AS createdBy, created_at AS createdAt
         FROM approval_rules WHERE scope = ? AND target = ? ORDER BY position`,
      )
      .all(scope, target) as (Omit<ApprovalRule, 'match'> & { match: string })[];
    return rows.map((row) => ({ ...row, match: JSON.parse(row.match) as ApprovalRule['match'] }));
  }

  /** Replaces a scope's ordered rules at once. */
  replaceRules(scope: string, target: string, rules: ApprovalRule[]): void {
    this.db.transaction(() => {
      this.statements.get('DELETE FROM approval_rules WHERE scope = ? AND target = ?').run(scope, target);
      for (const rule of rules) this.insertRule(rule);
    })();
  }

  /** Adds a rule after the scope's last one. */
  appendRule(rule: Omit<ApprovalRule, 'position'>): ApprovalRule {
    return this.db.transaction(() => {
      const last = this.statements.get('SELECT MAX(position) FROM approval_rules WHERE scope = ? AND target = ?').pluck().get(rule.scope, rule.target) as number | null;
      const full = { ...rule, position: (last ?? -1) + 1 };
      this.insertRule(full);
      return full;
    })();
  }

  private insertRule(rule: ApprovalRule): void {
    this.statements
      .get(
        `INSERT INTO approval_rules (id, scope, target, position, match, action, created_by, created_at)
         VALUES (@id, @scope, @target, @position, @match, @action, @createdBy, @createdAt)`,
      )
      .run({ ...rule, match: JSON.stringify(rule.match) });
  }
}

const select = `SELECT id, kind, status, session_id AS sessionId, run_id AS runId, step, agent_name AS agentName, tool, title,
  tool_kind AS toolKind, command, diffs, cwd, created_at AS createdAt, answer, answered_by AS answeredBy, answered_at AS answeredAt, message
  FROM approvals`;

type ApprovalRowRaw = Omit<ApprovalItem, 'diffs'> & { diffs: string };

function toItem(row: ApprovalRowRaw): ApprovalItem {
  return { ...row, diffs: JSON.parse(row.diffs) as ApprovalItem['diffs'] };
}
