import type { ScheduleInfo, TriggerInfo } from '../../../shared/schedules.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** A schedule is stored as the contract shows it. */
export type ScheduleRow = ScheduleInfo;

/** A trigger as stored: its webhook's secret only as a hash, its path on the server derived from its id. */
export type TriggerRow = Omit<TriggerInfo, 'webhookPath'> & { secretHash: string | null };

const scheduleColumns = `s.id, s.workflow_id AS workflowId, w.name AS workflowName, s.name, s.cron, s.time_zone AS timeZone, s.catch_up AS catchUp,
  s.enabled, s.next_fire_at AS nextFireAt, s.last_fired_at AS lastFiredAt, s.last_run_id AS lastRunId, s.last_error AS lastError, s.created_at AS createdAt
  FROM schedules s JOIN workflows w ON w.id = s.workflow_id`;
const triggerColumns = `t.id, t.workflow_id AS workflowId, w.name AS workflowName, t.name, t.kind, t.path, t.debounce_ms AS debounceMs,
  t.secret_hash AS secretHash, t.enabled, t.last_fired_at AS lastFiredAt, t.last_run_id AS lastRunId, t.last_error AS lastError, t.created_at AS createdAt
  FROM triggers t JOIN workflows w ON w.id = t.workflow_id`;

type Flags = { catchUp?: number; enabled: number };
const fromSchedule = (row: Omit<ScheduleRow, 'catchUp' | 'enabled'> & Flags): ScheduleRow => ({ ...row, catchUp: row.catchUp === 1, enabled: row.enabled === 1 });
const fromTrigger = (row: Omit<TriggerRow, 'enabled'> & Flags): TriggerRow => ({ ...row, enabled: row.enabled === 1 });

/** Schedules and triggers of saved workflows; they go when their workflow is deleted. */
export class SchedulesRepository {
  private readonly statements: StatementCache;
  /** The database file, for what a refused write says. */
  readonly file: string;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
    this.file = db.name;
  }

  listSchedules(workflowId?: string): ScheduleRow[] {
    const rows = workflowId === undefined
      ? this.statements.get(`SELECT ${scheduleColumns} ORDER BY w.name, s.name`).all()
      : this.statements.get(`SELECT ${scheduleColumns} WHERE s.workflow_id = ? ORDER BY s.name`).all(workflowId);
    return (rows as Parameters<typeof fromSchedule>[0][]).map(fromSchedule);
  }

  getSchedule(id: string): ScheduleRow | undefined {
    const row = this.statements.get(`SELECT ${scheduleColumns} WHERE s.id = ?`).get(id) as Parameters<typeof fromSchedule>[0] | undefined;
    return row ? fromSchedule(row) : undefined;
  }

  /** False when the workflow already has a schedule of that name. */
  insertSchedule(row: Omit<ScheduleRow, 'workflowName' | 'lastFiredAt' | 'lastRunId' | 'lastError'>): boolean {
    return (
      this.statements
        .get(
          `INSERT INTO schedules (id, workflow_id, name, cron, time_zone, catch_up, enabled, next_fire_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workflow_id, name) DO NOTHING`,
        )
        .run(row.id, row.workflowId, row.name, row.cron, row.timeZone, row.catchUp ? 1 : 0, row.enabled ? 1 : 0, row.nextFireAt, row.createdAt).changes > 0
    );
  }

  removeSchedule(id: string): boolean {
    return this.statements.get('DELETE FROM schedules WHERE id = ?').run(id).changes > 0;
  }

  setScheduleEnabled(id: string, enabled: boolean, nextFireAt: string | null): void {
    this.statements.get('UPDATE schedules SET enabled = ?, next_fire_at = ? WHERE id = ?').run(enabled ? 1 : 0, nextFireAt, id);
  }

  /**
   * Moves a schedule on from `expected` (the fire time it was read with): false when another
   * engine on the same data folder moved it first, so a time fires once however many engines run.
   */
  advanceSchedule(id: string, expected: string | null, next: string | null, fired?: { at: string; runId: string | null }): boolean {
    const result = fired
      ? this.statements
          .get('UPDATE schedules SET next_fire_at = ?, last_fired_at = ?, last_run_id = ? WHERE id = ? AND next_fire_at IS ?')
          .run(next, fired.at, fired.runId, id, expected)
      : this.statements.get('UPDATE schedules SET next_fire_at = ? WHERE id = ? AND next_fire_at IS ?').run(next, id, expected);
    return result.changes > 0;
  }

  /** What the latest firing gave: the run it started, or why it could not start one. */
  scheduleOutcome(id: string, outcome: { runId: string } | { error: string }): void {
    this.statements.get('UPDATE schedules SET last_run_id = ?, last_error = ? WHERE id = ?').run('runId' in outcome ? outcome.runId : null, 'error' in outcome ? outcome.error : null, id);
  }

  listTriggers(workflowId?: string): TriggerRow[] {
    const rows = workflowId === undefined
      ? this.statements.get(`SELECT ${triggerColumns} ORDER BY w.name, t.name`).all()
      : this.statements.get(`SELECT ${triggerColumns} WHERE t.workflow_id = ? ORDER BY t.name`).all(workflowId);
    return (rows as Parameters<typeof fromTrigger>[0][]).map(fromTrigger);
  }

  getTrigger(id: string): TriggerRow | undefined {
    const row = this.statements.get(`SELECT ${triggerColumns} WHERE t.id = ?`).get(id) as Parameters<typeof fromTrigger>[0] | undefined;
    return row ? fromTrigger(row) : undefined;
  }

  /** False when the workflow already has a trigger of that name. */
  insertTrigger(row: Omit<TriggerRow, 'workflowName' | 'lastFiredAt' | 'lastRunId' | 'lastError'>): boolean {
    return (
      this.statements
        .get(
          `INSERT INTO triggers (id, workflow_id, name, kind, path, debounce_ms, secret_hash, enabled, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workflow_id, name) DO NOTHING`,
        )
        .run(row.id, row.workflowId, row.name, row.kind, row.path, row.debounceMs, row.secretHash, row.enabled ? 1 : 0, row.createdAt).changes > 0
    );
  }

  removeTrigger(id: string): boolean {
    return this.statements.get('DELETE FROM triggers WHERE id = ?').run(id).changes > 0;
  }

  setTriggerEnabled(id: string, enabled: boolean): void {
    this.statements.get('UPDATE triggers SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
  }

  /** A problem of the trigger itself (its folder gone), or none any more; its last run stays. */
  setTriggerError(id: string, error: string | null): void {
    this.statements.get('UPDATE triggers SET last_error = ? WHERE id = ?').run(error, id);
  }

  /** A firing's outcome: the run it started, or why it could not start one. */
  triggerFired(id: string, at: string, outcome: { runId: string } | { error: string }): void {
    this.statements
      .get('UPDATE triggers SET last_fired_at = ?, last_run_id = ?, last_error = ? WHERE id = ?')
      .run(at, 'runId' in outcome ? outcome.runId : null, 'error' in outcome ? outcome.error : null, id);
  }
}
