import { useId, useState } from 'react';
import { repoPathProblem } from '../../shared/hosts.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

interface RepoPathDialogProps {
  name: string;
  repoPath: string | null;
  onDone(changed: boolean): void;
}

/**
 * Where the host's clone of the repository is: steps of runs with workspaces get their worktrees
 * there. The engine's checks run as the user types; its word is final (an empty path clears it).
 */
export function RepoPathDialog({ name, repoPath, onDone }: RepoPathDialogProps) {
  const { client } = useServices();
  const titleId = useId();
  const fieldId = useId();
  const [path, setPath] = useState(repoPath ?? '');
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const trimmed = path.trim();
  const problem = refused ?? (trimmed === '' ? null : repoPathProblem(trimmed));

  const save = async () => {
    if (problem || busy) return;
    setBusy(true);
    try {
      await client.call('hosts.setRepoPath', { name, repoPath: trimmed === '' ? null : trimmed });
      onDone(true);
    } catch (failure) {
      setRefused(errorBody(failure).message);
      setBusy(false);
    }
  };

  return (
    <ModalDialog className="dialog" labelledBy={titleId} onCancel={() => onDone(false)}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h2 id={titleId}>Repository on “{name}”</h2>
        <p>
          A step of a run with workspaces that runs on this host works in a worktree of the repository's clone there. Clone the
          repository on the host, then give its folder: absolute, or <code>~/…</code> under the home there. Leave it empty for
          none.
        </p>
        <div className="field">
          <label htmlFor={fieldId}>Clone on the host</label>
          <input
            id={fieldId}
            type="text"
            value={path}
            placeholder="~/src/app"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            onChange={(event) => {
              setPath(event.target.value);
              setRefused(null);
            }}
          />
          {problem && <p className="field-error">{problem}</p>}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onDone(false)}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={Boolean(problem) || busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
