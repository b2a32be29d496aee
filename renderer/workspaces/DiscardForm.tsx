import type { RunWorkspace } from '../../shared/workspaces.js';
import { useServices } from '../lib/app-context.js';
import { ReviewForm } from './ReviewForm.js';
import { useReviewAction } from './use-review-action.js';
import { removedText } from './workspace-words.js';

interface DiscardFormProps {
  runId: string;
  workspace: RunWorkspace;
  worktrees: number;
  onClose(): void;
}

/** Discard, spelled out first: what goes, and that what was not merged or pushed goes with it. */
export function DiscardForm({ runId, workspace, worktrees, onClose }: DiscardFormProps) {
  const { client } = useServices();
  const { outcome, perform } = useReviewAction(runId);
  const done = outcome.state === 'done';

  const discard = () =>
    perform(async () => {
      const removed = await client.call('workspaces.discard', { runId });
      return { message: `Discarded. ${removedText(removed)}` };
    });

  return (
    <ReviewForm
      label="Discard the run's changes"
      outcome={outcome}
      action={{ label: 'Discard the run’s changes', busyLabel: 'Discarding…', tone: 'danger' }}
      focusCancel
      onSubmit={() => void discard()}
      onClose={onClose}
    >
      {!done && (
        <div className="review-preview">
          <h4>What it will do</h4>
          <p>
            Removes this run’s {worktrees === 1 ? 'worktree' : `${worktrees} worktrees`} and the branches Photon made for it (<code>{workspace.branch}</code> and{' '}
            <code>{workspace.branch}-step-N</code>). Changes not merged or pushed are lost. Your own branches and working tree in <code>{workspace.repo}</code> are not touched.
          </p>
        </div>
      )}
    </ReviewForm>
  );
}
