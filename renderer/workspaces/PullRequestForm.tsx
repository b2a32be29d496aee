import { useState } from 'react';
import type { RunWorkspace } from '../../shared/workspaces.js';
import { useServices } from '../lib/app-context.js';
import { ReviewForm } from './ReviewForm.js';
import { useReviewAction } from './use-review-action.js';

interface PullRequestFormProps {
  runId: string;
  workflowName: string;
  workspace: RunWorkspace;
  onClose(): void;
}

/** Open pull request, spelled out first: what is pushed where, and that nothing is merged. */
export function PullRequestForm({ runId, workflowName, workspace, onClose }: PullRequestFormProps) {
  const { client } = useServices();
  const [base, setBase] = useState(workspace.baseRef);
  const [title, setTitle] = useState(`${workflowName} (Photon run ${runId})`);
  const { outcome, perform } = useReviewAction(runId);
  const done = outcome.state === 'done';
  const target = base.trim() || workspace.baseRef;

  const open = () =>
    perform(async () => {
      const opened = await client.call('workspaces.pullRequest', { runId, base: target, ...(title.trim() ? { title: title.trim() } : {}) });
      return { message: `Pushed ${opened.head} to ${opened.remote} and opened a pull request against ${opened.base}:`, url: opened.url };
    });

  return (
    <ReviewForm
      label="Open a pull request"
      outcome={outcome}
      action={{ label: 'Open pull request', busyLabel: 'Opening…', tone: 'primary' }}
      onSubmit={() => void open()}
      onClose={onClose}
    >
      <div className="review-preview">
        <h4>What it will do</h4>
        <p>
          Pushes <code>{workspace.branch}</code> to the repository’s GitHub remote and opens a pull request against <code>{target}</code> with the GitHub CLI (<code>gh</code>, signed in). Nothing
          is merged, and this run’s worktrees and branches stay until you merge or discard it.
        </p>
      </div>
      <fieldset disabled={outcome.state === 'busy' || done}>
        <label className="review-field">
          Against branch
          <input value={base} onChange={(event) => setBase(event.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <label className="review-field">
          Title
          <input value={title} onChange={(event) => setTitle(event.target.value)} maxLength={256} />
        </label>
      </fieldset>
    </ReviewForm>
  );
}
