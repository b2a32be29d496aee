import type { AttemptState, AttemptStatus, RunStatus, RunSummary, StepCounts, StepStatus } from '../../../shared/runs.js';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';
import { countStep, emptyCounts, listRunSummaries, type RunFilter } from './run-list.js';
import { RunLinksRepository } from './run-links-repository.js';
import { StatementCache } from './statement-cache.js';
import { StepItemsRepository } from './step-items-repository.js';
import { TurnTransaction, type WriteFailure } from './turn-transaction.js';
import { freeDiskReserve, keepDiskReserve } from './disk-reserve.js';
import { PlainStepRows } from './plain-step-rows.js';
import { attemptColumns, attemptSelect, plainStepSelect, runColumns, runHeadSelect, runSelect, stepColumns, stepSelect } from './runs-selects.js';

type RunTrigger = NonNullable<RunSummary['trigger']>;

export type { RunFilter } from './run-list.js';

export interface RunRow {
  id: string;
  workflowId: string | null;
  workflowName: string;
  definition: string;
  status: RunStatus;
  concurrency: number;
  /** Folder that relative step `cwd`s resolve against: the workflow file's folder for a CLI run. */
  baseDir: string;
  owner: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** What started it when not a person (a schedule, a file trigger, a webhook); null for both otherwise. */
  triggerKind?: RunTrigger['kind'] | null;
  triggerName?: string | null;
}

/** A run's row without its definition. */
export type RunHead = Omit<RunRow, 'definition'>;

export interface StepRow {
  runId: string;
  step: number;
  status: StepStatus;
  attempts: number;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  output: string | null;
  error: string | null;
  nextAttemptAt: string | null;
  agentId: string | null;
  agentNote: string | null;
  /** Why a ready step has not started: a budget waiting for the user's OK, or the cap on running AI agents. */
  waitingFor?: 'budget' | 'agent-cap' | null;
}

/**
 * What a step's attempts reported, added up when the step is read (never written to the step):
 * the attempts' own usage fields, sessionId being the latest one reported.
 */
export type StepUsageRow = Pick<AttemptState, 'sessionId' | 'costUsd' | 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>;

export interface AttemptRow extends Omit<AttemptState, 'item'> {
  runId: string;
  step: number;
  process: string | null;
  outputPath: string;
  /** The fan-out item it ran; null for an attempt of any other step. */
  item: number | null;
}

export type RunPatch = Partial<Pick<RunRow, 'status' | 'owner' | 'startedAt' | 'finishedAt' | 'concurrency' | 'definition'>>;
export type StepPatch = Partial<Omit<StepRow, 'runId' | 'step'>>;
/** A step as read: its row, its attempts' usage, and a fan-out step's item counts (JSON, null without items). */
export type StepReadRow = StepRow & StepUsageRow & { itemCounts: string | null } & { childRunId?: string | null };
export type AttemptPatch = Partial<
  Pick<
    AttemptRow,
    | 'status'
    | 'finishedAt'
    | 'exitCode'
    | 'signal'
    | 'error'
    | 'process'
    | 'tail'
    | 'agentId'
    | 'platform'
    | 'sessionId'
    | 'costUsd'
    | 'inputTokens'
    | 'outputTokens'
    | 'cacheReadTokens'
    | 'cacheWriteTokens'
    | 'peakCpuPercent'
    | 'peakRssBytes'
  >
>;

/**
 * Runs, steps and attempts. What one stretch of synchronous work writes is committed together as
 * it ends (turn-transaction.ts); callers announce it through `afterCommit`, at the end of the turn,
 * and start a process only after `commit()`.
 */
export class RunsRepository {
  private readonly updates = new Map<string, Statement<unknown[]>>();
  private readonly statements: StatementCache;
  /** The items of fan-out steps, in the same database (and transactions) as their steps. */
  readonly items: StepItemsRepository;

  /** Sub-workflows' child runs and the steps that started them. */
  readonly links: RunLinksRepository;

  private readonly turn: TurnTransaction;

  /**
   * A savepoint around `work`, made once: better-sqlite3 builds five wrapper functions each time
   * `db.transaction()` is called, and a step's start and its end each asked for one.
   */
  private readonly together: (work: () => void) => void;

  /** Plain steps' rows as written, which their announcements read instead of the file (plain-step-rows.ts). */
  private readonly plainRows = new PlainStepRows();

  constructor(
    private readonly db: SqliteDatabase,
    turn?: TurnTransaction,
  ) {
    this.turn = turn ?? new TurnTransaction(db);
    this.statements = new StatementCache(db);
    const write = (runId: string, work: () => unknown) => void this.turn.write(work, runId);
    this.links = new RunLinksRepository(db, write);
    this.items = new StepItemsRepository(db, write);
    this.together = db.transaction((work: () => void) => work());
    // A stretch refused is rolled back: the rows it wrote are not what the file holds.
    this.turn.onFailure(() => this.plainRows.clear());
  }

  createRun(run: Omit<RunRow, 'finishedAt'> & { steps: number[] }): void {
    const insertRun = this.sql(
      `INSERT INTO runs (id, workflow_id, workflow_name, definition, status, concurrency, base_dir, owner, created_at, started_at, trigger_kind, trigger_name)
       VALUES (@id, @workflowId, @workflowName, @definition, @status, @concurrency, @baseDir, @owner, @createdAt, @startedAt, @triggerKind, @triggerName)`,
    );
    const insertStep = this.sql(`INSERT INTO steps (run_id, step, status) VALUES (?, ?, 'pending')`);
    this.turn.write(
      () =>
        this.together(() => {
          insertRun.run({ ...run, triggerKind: run.triggerKind ?? null, triggerName: run.triggerName ?? null });
          for (const step of run.steps) insertStep.run(run.id, step);
          this.plainRows.inserted(run.id, run.steps);
        }),
      run.id,
    );
  }

  getRun(id: string): RunRow | undefined {
    return this.sql(`${runSelect} WHERE id = ?`).get(id) as RunRow | undefined;
  }

  /** The run's row without its definition, for its summary: a big workflow's definition is most of the row. */
  getRunHead(id: string): RunHead | undefined {
    return this.sql(`${runHeadSelect} WHERE id = ?`).get(id) as RunHead | undefined;
  }

  /** Finds a run by its full id or a unique prefix of it, as users type them. */
  findRunIds(prefix: string): string[] {
    return (this.sql(`SELECT id FROM runs WHERE id >= ? AND id < ? LIMIT 2`).all(prefix, `${prefix}\uffff`) as { id: string }[]).map((r) => r.id);
  }

  runsWithStatus(status: RunStatus): RunRow[] {
    return this.sql(`${runSelect} WHERE status = ?`).all(status) as RunRow[];
  }

  /** A page of summaries, newest first (see run-list.ts for why it is not `summarize` per row). */
  listRuns(limit: number, workflowId?: string, filter: RunFilter = {}): RunSummary[] {
    return listRunSummaries(this.statements, limit, workflowId, filter);
  }

  /** `counts`: the run's step counts when the caller keeps them (a running run's executor); otherwise counted here. */
  summarize(row: RunHead, counts?: StepCounts): RunSummary {
    return {
      runId: row.id,
      workflowId: row.workflowId,
      workflowName: row.workflowName,
      status: row.status,
      concurrency: row.concurrency,
      ...parentField(this.links.parentOf(row.id)),
      ...(row.triggerKind && row.triggerName ? { trigger: { kind: row.triggerKind, name: row.triggerName } } : {}),
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      counts: counts ? { ...counts } : this.stepCounts(row.id),
    };
  }

  stepCounts(runId: string): StepCounts {
    const rows = this.sql(`SELECT status, COUNT(*) AS n FROM steps WHERE run_id = ? GROUP BY status`).all(runId) as {
      status: StepStatus;
      n: number;
    }[];
    const counts = emptyCounts();
    for (const { status, n } of rows) countStep(counts, status, n);
    return counts;
  }

  updateRun(id: string, patch: RunPatch): void {
    this.patch('runs', runColumns, patch, 'id = @key0', { key0: id }, id);
    // Once the turn's announcements are made, no executor announces its steps any more; a resumed run's are read again.
    if (patch.status !== undefined && patch.status !== 'running' && patch.status !== 'queued') this.turn.afterCommit(() => this.plainRows.forget(id));
  }

  getSteps(runId: string): StepReadRow[] {
    return this.sql(`${stepSelect} WHERE run_id = ? ORDER BY step`).all(runId) as StepReadRow[];
  }

  getStep(runId: string, step: number): StepReadRow | undefined {
    return this.sql(`${stepSelect} WHERE run_id = ? AND step = ?`).get(runId, step) as StepReadRow | undefined;
  }

  /**
   * Several steps of a run in one statement (a turn's changed steps, announced together), in step
   * order. `plain`: steps that can have no session, usage, child run or items (plain shell steps),
   * read from their own rows alone (most of a big workflow's announcements).
   */
  getStepsNumbered(runId: string, steps: readonly number[], plain = false): StepReadRow[] {
    if (!plain) return this.readSteps(stepSelect, runId, steps);
    // Plain steps as this connection wrote them; the ones not known yet are read (and known from then on).
    const known: StepReadRow[] = [];
    const unknown: number[] = [];
    for (const step of steps) {
      const row = this.plainRows.get(runId, step);
      if (row) known.push(row);
      else unknown.push(step);
    }
    if (unknown.length === 0) return known.sort((a, b) => a.step - b.step);
    const read = this.readSteps(plainStepSelect, runId, unknown);
    for (const row of read) this.plainRows.read(row);
    return known.length === 0 ? read : [...known, ...read].sort((a, b) => a.step - b.step);
  }

  private readSteps(select: string, runId: string, steps: readonly number[]): StepReadRow[] {
    if (steps.length === 1) return [this.sql(`${select} WHERE run_id = ? AND step = ?`).get(runId, steps[0]) as StepReadRow | undefined].filter((row) => row !== undefined);
    return this.sql(`${select} WHERE run_id = ? AND step IN (SELECT value FROM json_each(?)) ORDER BY step`).all(runId, JSON.stringify(steps)) as StepReadRow[];
  }

  updateStep(runId: string, step: number, patch: StepPatch): void {
    this.patch('steps', stepColumns, patch, 'run_id = @key0 AND step = @key1', { key0: runId, key1: step }, runId, (fields) => this.plainRows.written(runId, step, fields, patch));
  }

  /** Steps a resumed run gained from a newer definition. */
  addSteps(runId: string, steps: readonly number[]): void {
    const insert = this.sql(`INSERT INTO steps (run_id, step, status) VALUES (?, ?, 'pending')`);
    this.turn.write(() => {
      for (const step of steps) insert.run(runId, step);
      this.plainRows.inserted(runId, steps);
    }, runId);
  }

  /** Steps a newer definition dropped (their attempts go with them: only steps that never ran are dropped). */
  deleteSteps(runId: string, steps: readonly number[]): void {
    const remove = this.sql(`DELETE FROM steps WHERE run_id = ? AND step = ?`);
    this.turn.write(() => {
      this.plainRows.deleted(runId, steps);
      for (const step of steps) remove.run(runId, step);
    }, runId);
  }

  /** `item`: the fan-out item the attempt runs, if any. */
  /** `agentId` and `platform`: who runs it, written with the row rather than by a second statement. */
  insertAttempt(attempt: { runId: string; step: number; attempt: number; startedAt: string; outputPath: string; process: string | null; item?: number; agentId?: string | null; platform?: string | null }): void {
    const insert = this.sql(`INSERT INTO attempts (run_id, step, attempt, status, started_at, output_path, process, item, agent_id, platform)
         VALUES (@runId, @step, @attempt, 'running', @startedAt, @outputPath, @process, @item, @agentId, @platform)`);
    this.turn.write(() => insert.run({ ...attempt, item: attempt.item ?? null, agentId: attempt.agentId ?? null, platform: attempt.platform ?? null }), attempt.runId);
  }

  updateAttempt(runId: string, step: number, attempt: number, patch: AttemptPatch): void {
    this.patch('attempts', attemptColumns, patch, 'run_id = @key0 AND step = @key1 AND attempt = @key2', {
      key0: runId,
      key1: step,
      key2: attempt,
    }, runId);
  }

  /** A step's attempts in order; without `step`, the run's attempts in the order they started. */
  getAttempts(runId: string, step?: number): AttemptRow[] {
    return (
      step === undefined
        ? this.sql(`${attemptSelect} WHERE run_id = ? ORDER BY started_at, step, attempt`).all(runId)
        : this.sql(`${attemptSelect} WHERE run_id = ? AND step = ? ORDER BY attempt`).all(runId, step)
    ) as AttemptRow[];
  }

  attemptsWithStatus(runId: string, status: AttemptStatus): AttemptRow[] {
    return this.sql(`${attemptSelect} WHERE run_id = ? AND status = ?`).all(runId, status) as AttemptRow[];
  }

  /** Several writes that must land together (a run's end and its steps' ends): all or none, within the current transaction. */
  transaction(work: () => void): void {
    this.turn.write(() => {
      try {
        this.together(work);
      } catch (error) {
        // Its savepoint was rolled back: rows written in it are not what the file holds.
        this.plainRows.clear();
        throw error;
      }
    }, undefined, work);
  }

  /**
   * Commits what was written so far, now: before a process starts, so that recovery after a crash
   * finds it by its attempt's row. Throws the user's message when SQLite refused it (then none of it is kept).
   */
  commit(): void {
    this.turn.commit();
  }

  /**
   * Hears each stretch of writes SQLite refused (disk full, I/O error, the lock held too long), once:
   * its runs' writes were lost and their later ones are dropped until `release` (turn-transaction.ts).
   */
  onWriteFailure(listener: (failure: WriteFailure) => void): void {
    this.turn.onFailure(listener);
  }

  /** The run's writes land again: it was set right from what the file holds. */
  release(runId: string): void {
    this.turn.release(runId);
  }

  /** Why what the current stretch wrote will not be kept, when SQLite refused a write of it; `retry` ends its message (by default, resume the run). */
  failedWrite(retry?: string): Error | undefined {
    return this.turn.failedWrite(retry);
  }

  /** Gives back the disk space kept for settling runs after the disk filled up (disk-reserve.ts); false when none is left. */
  freeDiskReserve(): boolean {
    return freeDiskReserve(this.db.name);
  }

  /** Makes that space's file again when it is missing and the disk has room for it; whether it is there now. */
  keepDiskReserve(): boolean {
    return keepDiskReserve(this.db.name);
  }

  /** Whether the database is still open (the engine closes it last). */
  get isOpen(): boolean {
    return this.db.open;
  }

  /** Runs `callback` at the end of this turn, its writes committed: what announces them must not run ahead of them. */
  afterCommit(callback: () => void): void {
    this.turn.afterCommit(callback);
  }

  private sql(text: string): Statement<unknown[]> {
    return this.statements.get(text);
  }

  /** `written`: told the fields written, once the statement has run. */
  private patch(table: string, columns: Record<string, string>, patch: object, where: string, keys: Record<string, unknown>, runId: string, written?: (fields: readonly string[]) => void): void {
    const fields = Object.keys(patch).filter((field) => field in columns);
    if (fields.length === 0) return;
    const sqlKey = `${table}:${fields.join(',')}`;
    let statement = this.updates.get(sqlKey);
    if (!statement) {
      const assignments = fields.map((field) => `${columns[field]} = @${field}`).join(', ');
      statement = this.sql(`UPDATE ${table} SET ${assignments} WHERE ${where}`);
      this.updates.set(sqlKey, statement);
    }
    this.turn.write(() => {
      statement.run({ ...patch, ...keys });
      written?.(fields);
    }, runId);
  }
}

function parentField(parent: { runId: string; step: number } | undefined): Pick<RunSummary, 'parent'> {
  return parent ? { parent: { runId: parent.runId, step: parent.step } } : {};
}
