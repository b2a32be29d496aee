import { useId, useState } from 'react';
import type { SetupScriptInfo } from '../../shared/workspace-review.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { SetupTrustPrompt } from './SetupTrustPrompt.js';
import './workspaces.css';

export interface IsolationChoice {
  repo: string;
  /** Empty: the repository's current branch. */
  base: string;
}

interface IsolatedRunDialogProps {
  workflowId: string;
  initial: IsolationChoice;
  /** Saves unsaved edits and starts the run; false when it did not start (already reported). */
  onStart(choice: IsolationChoice): Promise<boolean>;
  onClose(): void;
}

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'refused'; message: string } | { state: 'untrusted'; script: SetupScriptInfo };

/**
 * "Run in worktrees": the repository and base for a run whose every step works in its own git
 * worktree. Before starting, the engine checks both (a folder that is not a repository, a base
 * that does not exist are said here, with the fix) and names any setup script not yet trusted.
 */
export function IsolatedRunDialog({ workflowId, initial, onStart, onClose }: IsolatedRunDialogProps) {
  const { client } = useServices();
  const titleId = useId();
  const [repo, setRepo] = useState(initial.repo);
  const [base, setBase] = useState(initial.base);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const busy = check.state === 'checking';

  const params = () => ({ workflowId, workspace: { repo: repo.trim(), ...(base.trim() ? { base: base.trim() } : {}) } });

  const start = async () => {
    if (!repo.trim()) {
      setCheck({ state: 'refused', message: 'Name the git repository the steps should work in (its folder).' });
      return;
    }
    setCheck({ state: 'checking' });
    try {
      const script = await client.call('workspaces.setupScript', params());
      if (script && !script.trusted) {
        setCheck({ state: 'untrusted', script });
        return;
      }
    } catch (error) {
      setCheck({ state: 'refused', message: errorBody(error).message });
      return;
    }
    if (await onStart({ repo: repo.trim(), base: base.trim() })) onClose();
    else setCheck({ state: 'idle' });
  };

  const trust = async (script: SetupScriptInfo) => {
    setCheck({ state: 'checking' });
    try {
      await client.call('workspaces.trustSetup', { ...params(), sha256: script.sha256 });
    } catch (error) {
      setCheck({ state: 'refused', message: errorBody(error).message });
      return;
    }
    await start();
  };

  return (
    <ModalDialog className="dialog isolated-run-dialog" labelledBy={titleId} onCancel={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2 id={titleId}>Run in worktrees</h2>
        <p>
          Each step works in its own git worktree and branch (<code>photon/RUN-step-N</code>), made from the base, from the step it depends on, or from the merge of the steps it depends on. The
          result is left on <code>photon/RUN</code> for you to review, merge or discard: your working tree and branches are not touched.
        </p>
        <label className="review-field">
          Repository folder
          <input value={repo} onChange={(event) => setRepo(event.target.value)} spellCheck={false} autoComplete="off" placeholder="/home/you/project" required autoFocus />
          <span className="meta">An absolute path, or relative to your home folder.</span>
        </label>
        <label className="review-field">
          Base (branch, tag or commit)
          <input value={base} onChange={(event) => setBase(event.target.value)} spellCheck={false} autoComplete="off" placeholder="the repository's current branch" />
        </label>
        {check.state === 'refused' && (
          <p className="review-refused" role="alert">
            {check.message}
          </p>
        )}
        {check.state === 'untrusted' && <SetupTrustPrompt script={check.script} busy={busy} onTrust={() => void trust(check.script)} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || check.state === 'untrusted'}>
            {busy ? 'Checking…' : 'Start run'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
