import type { ChangeStats, RunWorkspace, StepWorkspace, WorkspaceOutcome, WorkspaceState } from '../../../shared/workspaces.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

/** A run's workspace row: its repository, base and result branch. */
export interface RunWorkspaceRow extends RunWorkspace {
  runId: string;
  createdAt: string;
}

/** One attempt's worktree row. */
export interface StepWorkspaceRow extends StepWorkspace {
  runId: string;
  step: number;
  repo: string;
  createdAt: string;
}

const runSelect = `SELECT run_id AS runId, repo, base_ref AS baseRef, base_commit AS baseCommit, branch, result_commit AS resultCommit,
  files_changed AS filesChanged, lines_added AS linesAdded, lines_removed AS linesRemoved, error, notes, outcome, created_at AS createdAt
  FROM run_workspaces`;
const stepSelect = `SELECT run_id AS runId, step, attempt, repo, path, branch, state, base_commit AS baseCommit, result_commit AS resultCommit,
  files_changed AS filesChanged, lines_added AS linesAdded, lines_removed AS linesRemoved, conflicts, port_base AS portBase, created_at AS createdAt
  FROM step_workspaces`;

type Raw<T> = Omit<T, 'changes' | 'conflicts' | 'notes' | 'outcome'> & {
  filesChanged: number | null;
  linesAdded: number | null;
  linesRemoved: number | null;
  conflicts?: string;
  notes?: string;
  outcome?: string | null;
};

function changesOf(raw: { filesChanged: number | null; linesAdded: number | null; linesRemoved: number | null }): ChangeStats | null {
  return raw.filesChanged === null ? null : { filesChanged: raw.filesChanged, linesAdded: raw.linesAdded ?? 0, linesRemoved: raw.linesRemoved ?? 0 };
}

function toRun(raw: Raw<RunWorkspaceRow>): RunWorkspaceRow {
  const { filesChanged: _f, linesAdded: _a, linesRemoved: _r, conflicts: _c, notes, outcome, ...rest } = raw;
  return { ...rest, changes: changesOf(raw), notes: JSON.parse(notes ?? '[]') as string[], outcome: outcome ? (JSON.parse(outcome) as WorkspaceOutcome) : null };
}

function toStep(raw: Raw<StepWorkspaceRow>): StepWorkspaceRow {
  const { filesChanged: _f, linesAdded: _a, linesRemoved: _r, conflicts, notes: _n, ...rest } = raw;
  return { ...rest, changes: changesOf(raw), conflicts: JSON.parse(conflicts ?? '[]') as string[] };
}

function changeColumns(changes: ChangeStats | null | undefined): { filesChanged: number | null; linesAdded: number | null; linesRemoved: number | null } {
  return { filesChanged: changes?.filesChanged ?? null, linesAdded: changes?.linesAdded ?? null, linesRemoved: changes?.linesRemoved ?? null };
}

/** Each run's workspace and each attempt's worktree, written before the engine announces them. */
export class WorkspacesRepository {
  private readonly statements: StatementCache;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  createRunWorkspace(row: Omit<RunWorkspaceRow, 'resultCommit' | 'changes' | 'error' | 'outcome'>): void {
    this.statements
      .get(
        `INSERT INTO run_workspaces (run_id, repo, base_ref, base_commit, branch, notes, created_at)
         VALUES (@runId, @repo, @baseRef, @baseCommit, @branch, @notes, @createdAt)`,
      )
      .run({ ...row, notes: JSON.stringify(row.notes) });
  }

  getRunWorkspace(runId: string): RunWorkspaceRow | undefined {
    const raw = this.statements.get(`${runSelect} WHERE run_id = ?`).get(runId) as Raw<RunWorkspaceRow> | undefined;
    return raw && toRun(raw);
  }

  /** The result branch's commit and size, or why it could not be made. */
  setRunResult(runId: string, result: { resultCommit: string | null; changes: ChangeStats | null; error: string | null }): void {
    this.statements
      .get(
        `UPDATE run_workspaces SET result_commit = @resultCommit, files_changed = @filesChanged, lines_added = @linesAdded,
         lines_removed = @linesRemoved, error = @error WHERE run_id = @runId`,
      )
      .run({ runId, resultCommit: result.resultCommit, error: result.error, ...changeColumns(result.changes) });
  }

  /** What the user did with the run's result: merged or discarded. */
  setRunOutcome(runId: string, outcome: WorkspaceOutcome): void {
    this.statements.get(`UPDATE run_workspaces SET outcome = ? WHERE run_id = ?`).run(JSON.stringify(outcome), runId);
  }

  insertStepWorkspace(row: Omit<StepWorkspaceRow, 'resultCommit' | 'changes'>): void {
    this.statements
      .get(
        `INSERT INTO step_workspaces (run_id, step, attempt, repo, path, branch, state, base_commit, conflicts, port_base, created_at)
         VALUES (@runId, @step, @attempt, @repo, @path, @branch, @state, @baseCommit, @conflicts, @portBase, @createdAt)`,
      )
      .run({ ...row, conflicts: JSON.stringify(row.conflicts) });
  }

  /** How an attempt's worktree ended. */
  finishStepWorkspace(runId: string, step: number, attempt: number, end: { state: WorkspaceState; resultCommit: string | null; changes: ChangeStats | null }): void {
    this.statements
      .get(
        `UPDATE step_workspaces SET state = @state, result_commit = @resultCommit, files_changed = @filesChanged, lines_added = @linesAdded,
         lines_removed = @linesRemoved WHERE run_id = @runId AND step = @step AND attempt = @attempt`,
      )
      .run({ runId, step, attempt, state: end.state, resultCommit: end.resultCommit, ...changeColumns(end.changes) });
  }

  setStepWorkspaceState(runId: string, step: number, attempt: number, state: WorkspaceState): void {
    this.statements.get(`UPDATE step_workspaces SET state = ? WHERE run_id = ? AND step = ? AND attempt = ?`).run(state, runId, step, attempt);
  }

  /** Every attempt's worktree of a run, by step then attempt. */
  stepWorkspaces(runId: string): StepWorkspaceRow[] {
    return (this.statements.get(`${stepSelect} WHERE run_id = ? ORDER BY step, attempt`).all(runId) as Raw<StepWorkspaceRow>[]).map(toStep);
  }

  /** The latest attempt's worktree of a step, if it has one. */
  latestStepWorkspace(runId: string, step: number): StepWorkspaceRow | undefined {
    const raw = this.statements.get(`${stepSelect} WHERE run_id = ? AND step = ? ORDER BY attempt DESC LIMIT 1`).get(runId, step) as Raw<StepWorkspaceRow> | undefined;
    return raw && toStep(raw);
  }

  /** Worktrees not yet removed, in any run: the ones that take disk space and hold ports' meaning. */
  liveStepWorkspaces(): StepWorkspaceRow[] {
    return (this.statements.get(`${stepSelect} WHERE state != 'removed' ORDER BY run_id, step, attempt`).all() as Raw<StepWorkspaceRow>[]).map(toStep);
  }

  transaction(work: () => void): void {
    this.db.transaction(work)();
  }
}
