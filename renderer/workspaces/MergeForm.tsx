import { useEffect, useState } from 'react';
import { mergeStrategies, type MergeStrategy } from '../../shared/workspace-review.js';
import type { RunWorkspace } from '../../shared/workspaces.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { ReviewForm } from './ReviewForm.js';
import { useReviewAction } from './use-review-action.js';
import { cleanupWords, removedText, strategyLabels, strategyWords } from './workspace-words.js';

interface MergeFormProps {
  runId: string;
  workspace: RunWorkspace;
  worktrees: number;
  onClose(): void;
}

type Preview = { state: 'asking' } | { state: 'ready'; summary: string } | { state: 'refused'; message: string };

/**
 * Merge, spelled out first: the strategy and target branch the user picks are put to the engine as
 * a dry run, whose summary (or refusal, naming the fix) is shown before the Merge button does it.
 */
export function MergeForm({ runId, workspace, worktrees, onClose }: MergeFormProps) {
  const { client } = useServices();
  const [strategy, setStrategy] = useState<MergeStrategy>('ff');
  const [into, setInto] = useState(workspace.baseRef);
  // The repository's branches, for the chooser; a text field stands in when they cannot be read.
  const [branches, setBranches] = useState<string[] | null>(null);
  const [preview, setPreview] = useState<Preview>({ state: 'asking' });
  const { outcome, perform } = useReviewAction(runId);
  const target = into.trim();
  const done = outcome.state === 'done';

  useEffect(() => {
    let current = true;
    client
      .call('workspaces.branches', { runId })
      .then((targets) => {
        if (!current) return;
        setBranches(targets.branches);
        // The run's base when it is a branch, else the branch the user has checked out.
        if (!targets.branches.includes(workspace.baseRef) && targets.current) setInto(targets.current);
      })
      .catch(() => current && setBranches(null));
    return () => {
      current = false;
    };
  }, [client, runId, workspace.baseRef]);

  useEffect(() => {
    if (done) return;
    let current = true;
    setPreview({ state: 'asking' });
    // Typing a branch name asks once it pauses, not on every key.
    const timer = setTimeout(() => {
      client
        .call('workspaces.merge', { runId, strategy, dryRun: true, ...(target ? { into: target } : {}) })
        .then((plan) => current && setPreview({ state: 'ready', summary: plan.summary }))
        .catch((error: unknown) => current && setPreview({ state: 'refused', message: errorBody(error).message }));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, done, runId, strategy, target]);

  const merge = () =>
    perform(async () => {
      const result = await client.call('workspaces.merge', { runId, strategy, ...(target ? { into: target } : {}) });
      return { message: `Merged into ${result.into}: ${result.summary}. ${removedText(result.removed)}` };
    });

  return (
    <ReviewForm
      label="Merge the run's result"
      outcome={outcome}
      action={{ label: `Merge into ${target || workspace.baseRef}`, busyLabel: 'Merging…', tone: 'primary', disabled: preview.state !== 'ready' }}
      onSubmit={() => void merge()}
      onClose={onClose}
    >
      <fieldset disabled={outcome.state === 'busy' || done}>
        <legend>How</legend>
        {mergeStrategies.map((s) => (
          <label key={s} className="review-choice">
            <input type="radio" name={`strategy-${runId}`} value={s} checked={strategy === s} onChange={() => setStrategy(s)} />
            <span>
              <strong>{strategyLabels[s]}</strong> <span className="meta">{strategyWords(s, target || workspace.baseRef, workspace.branch)}</span>
            </span>
          </label>
        ))}
        <label className="review-field">
          Into branch
          {branches && branches.includes(into) ? (
            <select value={into} onChange={(event) => setInto(event.target.value)}>
              {branches.map((branch) => (
                <option key={branch} value={branch}>
                  {branch}
                </option>
              ))}
            </select>
          ) : (
            <input value={into} onChange={(event) => setInto(event.target.value)} spellCheck={false} autoComplete="off" />
          )}
        </label>
      </fieldset>
      {!done && (
        <div className="review-preview" aria-live="polite">
          <h4>What it will do</h4>
          {preview.state === 'asking' && <p className="meta">Asking git…</p>}
          {preview.state === 'ready' && <p>{preview.summary}.</p>}
          {preview.state === 'refused' && (
            <p className="review-refused" role="alert">
              It cannot merge: {preview.message}
            </p>
          )}
          <p className="meta">{cleanupWords(worktrees)}</p>
        </div>
      )}
    </ReviewForm>
  );
}
