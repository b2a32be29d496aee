/**
 * Storage: the only owner of better-sqlite3. One SQLite file (WAL) in the data folder, numbered
 * migrations, and a repository per concern.
 */
import { join } from 'node:path';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database.js';
import { AgentsRepository } from './agents-repository.js';
import { ApiKeysRepository } from './api-keys-repository.js';
import { AuditRepository } from './audit-repository.js';
import { ApprovalsRepository } from './approvals-repository.js';
import { AttemptSessionsRepository } from './attempt-sessions-repository.js';
import { HostsRepository } from './hosts-repository.js';
import { MetricsRepository } from './metrics-repository.js';
import { RunsRepository } from './runs-repository.js';
import { SettingsRepository } from './settings-repository.js';
import { SpendRepository } from './spend-repository.js';
import { SchedulesRepository } from './schedules-repository.js';
import { TurnTransaction } from './turn-transaction.js';
import { keepDiskReserve } from './disk-reserve.js';
import { WorkflowsRepository } from './workflows-repository.js';
import { WorkspacesRepository } from './workspaces-repository.js';
import { WorkspaceRecordsRepository } from './workspace-records-repository.js';

export { openDatabase, migrate, schemaVersion, type SqliteDatabase, type OpenDatabaseOptions } from './database.js';
export { migrations, type Migration } from './migrations/index.js';
export type { RunFilter, RunHead, RunRow, StepRow, StepReadRow, AttemptRow } from './runs-repository.js';
export { countStep, emptyCounts } from './run-list.js';
export type { WriteFailure } from './turn-transaction.js';
export { historyWriteError, isDiskFull, isWriteRefusal } from './write-failure.js';
export type { RunParent } from './run-links-repository.js';
export type { StepItemRow, StepItemPatch } from './step-items-repository.js';
export type { WorkflowRow } from './workflows-repository.js';
export type { AttemptSessionKey } from './attempt-sessions-repository.js';
export type { RunWorkspaceRow, StepWorkspaceRow } from './workspaces-repository.js';
export type { SetupTrustRow, WorkspaceRunRow } from './workspace-records-repository.js';
export type { AgentRow, AgentHistory } from './agents-repository.js';
export type { ApiKeyRow } from './api-keys-repository.js';
export type { HostRow, HostAttemptRow } from './hosts-repository.js';
export type { ScheduleRow, TriggerRow } from './schedules-repository.js';
export type { AuditRecord, AuditQuery } from './audit-repository.js';
export type { Spend } from './spend-repository.js';
export { SettingsRepository, SpendRepository };
export type { MetricSampleRow, AttemptPeak, AttemptLabels, CounterEventRow, CounterTotals, TodayCounters, AttemptEventKind } from './metrics-repository.js';
export { RunsRepository, WorkflowsRepository, AgentsRepository, MetricsRepository, WorkspacesRepository, WorkspaceRecordsRepository, ApprovalsRepository, AttemptSessionsRepository, ApiKeysRepository, AuditRepository, HostsRepository, SchedulesRepository };

export const databaseFileName = 'photon.db';

export interface Storage {
  readonly file: string;
  readonly runs: RunsRepository;
  readonly workflows: WorkflowsRepository;
  readonly agents: AgentsRepository;
  readonly metrics: MetricsRepository;
  readonly workspaces: WorkspacesRepository;
  /** Runs with workspaces across the history, and trusted setup scripts. */
  readonly workspaceRecords: WorkspaceRecordsRepository;
  /** The approvals inbox and its rules. */
  readonly approvals: ApprovalsRepository;
  /** The conversations of attempts that ran as ACP sessions. */
  readonly attemptSessions: AttemptSessionsRepository;
  /** API keys, stored hashed. */
  readonly apiKeys: ApiKeysRepository;
  /** The security audit log. */
  readonly audit: AuditRepository;
  /** Remote hosts and the remote attempts not yet confirmed stopped. */
  readonly hosts: HostsRepository;
  /** What runs and agents spent, for their budgets. */
  readonly spend: SpendRepository;
  /** The engine's settings changed in the app (the cap on running AI agents). */
  readonly settings: SettingsRepository;
  /** Schedules and triggers of saved workflows. */
  readonly schedules: SchedulesRepository;
  close(): void;
}

export function openStorage(dataDir: string, options: OpenDatabaseOptions = {}): Storage {
  const file = join(dataDir, databaseFileName);
  const db: SqliteDatabase = openDatabase(file, options);
  keepDiskReserve(file);
  // What the runs wrote just before the engine closes is committed, not rolled back with the connection.
  const turn = new TurnTransaction(db);
  return {
    file,
    runs: new RunsRepository(db, turn),
    workflows: new WorkflowsRepository(db),
    agents: new AgentsRepository(db),
    metrics: new MetricsRepository(db),
    workspaces: new WorkspacesRepository(db),
    workspaceRecords: new WorkspaceRecordsRepository(db),
    approvals: new ApprovalsRepository(db, turn),
    apiKeys: new ApiKeysRepository(db),
    audit: new AuditRepository(db),
    attemptSessions: new AttemptSessionsRepository(db),
    hosts: new HostsRepository(db, turn),
    spend: new SpendRepository(db),
    settings: new SettingsRepository(db),
    schedules: new SchedulesRepository(db),
    close: () => {
      try {
        turn.commit();
      } catch {
        // Refused (disk full): its listeners were told; the runs it held are recovered at the next start.
      }
      db.close();
    },
  };
}
