import type { HostInfo, HostStatus } from '../../../shared/hosts.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';
import { TurnTransaction } from './turn-transaction.js';

export interface HostRow {
  name: string;
  address: string;
  status: HostStatus;
  latencyMs: number | null;
  lastError: string | null;
  presentedKey: HostInfo['presentedKey'];
  checkedAt: string | null;
  createdAt: string;
}

/** A remote attempt whose processes may still run on its host. */
export interface HostAttemptRow {
  mark: string;
  host: string;
  /** The engine that started it, as processIdentity gives it. */
  owner: string;
  runId: string;
  step: number;
  attempt: number;
  startedAt: string;
}

type HealthPatch = Pick<HostRow, 'status' | 'latencyMs' | 'lastError' | 'presentedKey' | 'checkedAt'>;

const columns = `name, address, status, latency_ms AS latencyMs, last_error AS lastError, presented_key AS presentedKey, checked_at AS checkedAt, created_at AS createdAt`;

/**
 * The hosts table and the marks of remote attempts not yet confirmed stopped. What the engine writes
 * as steps run (a mark, its removal, a host's health) goes in the runs' turn (turn-transaction.ts):
 * refused by SQLite, it is lost with its stretch instead of thrown into a terminal's exit or a
 * connection's callback.
 */
export class HostsRepository {
  private readonly statements: StatementCache;
  private readonly turn: TurnTransaction;

  constructor(db: SqliteDatabase, turn?: TurnTransaction) {
    this.statements = new StatementCache(db);
    this.turn = turn ?? new TurnTransaction(db);
  }

  list(): HostRow[] {
    return (this.statements.get(`SELECT ${columns} FROM hosts ORDER BY name`).all() as RawHostRow[]).map(fromRaw);
  }

  get(name: string): HostRow | undefined {
    const row = this.statements.get(`SELECT ${columns} FROM hosts WHERE name = ?`).get(name) as RawHostRow | undefined;
    return row ? fromRaw(row) : undefined;
  }

  /** False when the name is taken. */
  insert(name: string, address: string, createdAt: string): boolean {
    return this.statements.get('INSERT INTO hosts (name, address, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(name, address, createdAt).changes > 0;
  }

  /** The address holds the clone's path too (git's `ssh://host/path`): changing the path rewrites it. */
  setAddress(name: string, address: string): boolean {
    return this.statements.get('UPDATE hosts SET address = ? WHERE name = ?').run(address, name).changes > 0;
  }

  remove(name: string): boolean {
    return this.statements.get('DELETE FROM hosts WHERE name = ?').run(name).changes > 0;
  }

  /** Refused, the host keeps the health it had: the next connection writes it again. */
  setHealth(name: string, health: HealthPatch): void {
    const update = this.statements.get('UPDATE hosts SET status = ?, latency_ms = ?, last_error = ?, presented_key = ?, checked_at = ? WHERE name = ?');
    this.turn.write(() => update.run(health.status, health.latencyMs, health.lastError, health.presentedKey ? JSON.stringify(health.presentedKey) : null, health.checkedAt, name));
  }

  /** Part of its run's record for crash recovery: refused, the run's writes are lost with it and the run is settled (runs/run-settlement.ts). */
  addAttempt(row: HostAttemptRow): void {
    const insert = this.statements.get('INSERT OR REPLACE INTO host_attempts (mark, host, owner, run_id, step, attempt, started_at) VALUES (@mark, @host, @owner, @runId, @step, @attempt, @startedAt)');
    this.turn.write(() => insert.run(row), row.runId);
  }

  /** Refused, the mark stays: stopping what carries it on the host later finds nothing and takes it off then. */
  removeAttempt(mark: string): void {
    const remove = this.statements.get('DELETE FROM host_attempts WHERE mark = ?');
    this.turn.write(() => remove.run(mark));
  }

  /** Remote attempts not confirmed stopped, on one host or on all. */
  attempts(host?: string): HostAttemptRow[] {
    const select = 'SELECT mark, host, owner, run_id AS runId, step, attempt, started_at AS startedAt FROM host_attempts';
    return (host === undefined ? this.statements.get(`${select} ORDER BY started_at`).all() : this.statements.get(`${select} WHERE host = ? ORDER BY started_at`).all(host)) as HostAttemptRow[];
  }
}

type RawHostRow = Omit<HostRow, 'presentedKey'> & { presentedKey: string | null };

function fromRaw(row: RawHostRow): HostRow {
  return { ...row, presentedKey: row.presentedKey ? (JSON.parse(row.presentedKey) as HostRow['presentedKey']) : null };
}
