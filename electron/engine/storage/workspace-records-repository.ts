import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** A run that has a workspace, with what housekeeping needs to know of the run itself. */
export interface WorkspaceRunRow {
  runId: string;
  workflowName: string;
  status: string;
  repo: string;
  branch: string;
  resultCommit: string | null;
}

export interface SetupTrustRow {
  repo: string;
  sha256: string;
  source: 'repo' | 'workflow';
  location: string;
  trustedAt: string;
}

/**
 * What review and housekeeping read across runs (every run with a workspace, for usage and prune),
 * and the setup scripts the user trusted.
 */
export class WorkspaceRecordsRepository {
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  /** Every run that has a workspace, newest first. */
  runsWithWorkspaces(): WorkspaceRunRow[] {
    return this.statements
      .get(
        `SELECT w.run_id AS runId, r.workflow_name AS workflowName, r.status, w.repo, w.branch, w.result_commit AS resultCommit
         FROM run_workspaces w JOIN runs r ON r.id = w.run_id ORDER BY w.created_at DESC, w.run_id`,
      )
      .all() as WorkspaceRunRow[];
  }

  isSetupTrusted(repo: string, sha256: string): boolean {
    return this.statements.get('SELECT 1 FROM setup_trust WHERE repo = ? AND sha256 = ?').get(repo, sha256) !== undefined;
  }

  trustSetup(row: SetupTrustRow): void {
    this.statements
      .get(
        `INSERT INTO setup_trust (repo, sha256, source, location, trusted_at) VALUES (@repo, @sha256, @source, @location, @trustedAt)
         ON CONFLICT (repo, sha256) DO UPDATE SET source = excluded.source, location = excluded.location, trusted_at = excluded.trusted_at`,
      )
      .run(row);
  }
}
