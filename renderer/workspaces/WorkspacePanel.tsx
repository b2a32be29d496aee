import { useId, useState } from 'react';
import { isActiveRunStatus, type RunDetail } from '../../shared/runs.js';
import type { WorkspaceState } from '../../shared/workspaces.js';
import { DiffPanel, type DiffTarget } from './DiffPanel.js';
import { DiscardForm } from './DiscardForm.js';
import { MergeForm } from './MergeForm.js';
import { PullRequestForm } from './PullRequestForm.js';
import { RunSetupTrust } from './RunSetupTrust.js';
import { changesText, outcomeText, resultReady, shortCommit, worktreesOnDisk } from './workspace-words.js';
import './workspaces.css';

const stateWords: Record<WorkspaceState, string> = {
  active: 'working',
  committed: 'committed',
  unchanged: 'changed nothing',
  kept: 'kept for inspection',
  removed: 'worktree removed',
};

type Form = 'merge' | 'pull-request' | 'discard' | null;

interface WorkspacePanelProps {
  run: RunDetail;
  diff: DiffTarget | null;
  onOpenDiff(target: DiffTarget): void;
  onCloseDiff(): void;
}

/**
 * A run with workspaces, for review: where its steps worked, what each changed and the run's
 * result, each diff one click away, and Merge, Open pull request and Discard, each saying what it
 * will do before it does it.
 */
export function WorkspacePanel({ run, diff, onOpenDiff, onCloseDiff }: WorkspacePanelProps) {
  const workspace = run.workspace!;
  const titleId = useId();
  const [form, setForm] = useState<Form>(null);
  const running = isActiveRunStatus(run.status);
  const ready = resultReady(run);
  const outcome = outcomeText(workspace.outcome);
  const worktrees = worktreesOnDisk(run);
  const stepsWithWorktrees = run.steps.filter((s) => s.workspace);
  const diffTitle = diff?.step ? (run.steps.find((s) => s.step === diff.step)?.title ?? '') : '';

  const resultLine = workspace.resultCommit
    ? changesText(workspace.changes)
    : workspace.error
      ? `No result: ${workspace.error}`
      : running
        ? 'Made when the run succeeds.'
        : `No result: the run ${run.status}, so its steps' branches were not merged. Resume it, or review each step's diff.`;

  return (
    <section className="workspace-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Changes</h2>
      <p className="meta">
        Each step worked in its own git worktree of <code>{workspace.repo}</code>, starting from <code>{workspace.baseRef}</code> at <code>{shortCommit(workspace.baseCommit)}</code>.
      </p>
      <dl className="workspace-facts">
        <dt>Result branch</dt>
        <dd>
          <code>{workspace.branch}</code>
        </dd>
        <dt>The run changed</dt>
        <dd className="workspace-run-changes">{resultLine}</dd>
        {outcome && (
          <>
            <dt>Outcome</dt>
            <dd className="workspace-outcome">{outcome}</dd>
          </>
        )}
      </dl>
      {workspace.notes.length > 0 && (
        <ul className="workspace-notes">
          {workspace.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <RunSetupTrust run={run} />
      {stepsWithWorktrees.length > 0 && (
        <table className="workspace-steps">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Branch</th>
              <th scope="col">Changed</th>
              <th scope="col">Worktree</th>
              <th scope="col">
                <span className="visually-hidden">Diff</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {stepsWithWorktrees.map((step) => {
              const ws = step.workspace!;
              return (
                <tr key={step.step} data-step={step.step}>
                  <th scope="row">
                    {step.step}. {step.title}
                  </th>
                  <td>
                    <code>{ws.branch}</code>
                  </td>
                  <td>{changesText(ws.changes) ?? (ws.state === 'active' ? 'working…' : '—')}</td>
                  <td>
                    {stateWords[ws.state]}
                    {ws.attempt > 1 ? ` (attempt ${ws.attempt})` : ''}
                    {ws.conflicts.length > 0 ? `; resolved conflicts in ${ws.conflicts.join(', ')}` : ''}
                  </td>
                  <td>
                    <button type="button" className="button small" onClick={() => onOpenDiff({ step: step.step })} aria-label={`Diff of step ${step.step}`}>
                      Diff
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="workspace-actions">
        {/* A discarded result's commits are left to git's garbage collection; a merged one's are in the branch it went into. */}
        <button type="button" className="button" disabled={!workspace.resultCommit || workspace.outcome?.kind === 'discarded'} onClick={() => onOpenDiff({ step: null })}>
          Diff of the run
        </button>
        {!workspace.outcome && (
          <>
            <button type="button" className="button primary" disabled={!ready} aria-expanded={form === 'merge'} onClick={() => setForm(form === 'merge' ? null : 'merge')}>
              Merge…
            </button>
            <button type="button" className="button" disabled={!ready} aria-expanded={form === 'pull-request'} onClick={() => setForm(form === 'pull-request' ? null : 'pull-request')}>
              Open pull request…
            </button>
            <button type="button" className="button danger" disabled={running} aria-expanded={form === 'discard'} onClick={() => setForm(form === 'discard' ? null : 'discard')}>
              Discard…
            </button>
          </>
        )}
        {running && <span className="meta">Merge, pull request and discard wait for the run to end.</span>}
      </div>
      {form === 'merge' && <MergeForm runId={run.runId} workspace={workspace} worktrees={worktrees} onClose={() => setForm(null)} />}
      {form === 'pull-request' && <PullRequestForm runId={run.runId} workflowName={run.workflowName} workspace={workspace} onClose={() => setForm(null)} />}
      {form === 'discard' && <DiscardForm runId={run.runId} workspace={workspace} worktrees={worktrees} onClose={() => setForm(null)} />}
      {diff && <DiffPanel key={diff.step ?? 'run'} runId={run.runId} target={diff} title={diffTitle} onClose={onCloseDiff} />}
    </section>
  );
}
