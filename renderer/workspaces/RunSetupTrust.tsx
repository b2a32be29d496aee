import { useEffect, useState } from 'react';
import { isResumableRunStatus, type RunDetail } from '../../shared/runs.js';
import type { SetupScriptInfo } from '../../shared/workspace-review.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { SetupTrustPrompt } from './SetupTrustPrompt.js';

/**
 * On a run's page: the setup script its worktrees would run, when the user has not trusted it (the
 * engine then fails each step before its worktree is made, and says to trust it here). Trusting it
 * offers to resume the run, so the steps that could not start run now.
 */
export function RunSetupTrust({ run }: { run: RunDetail }) {
  const { client, actions } = useServices();
  const workspace = run.workspace!;
  const [script, setScript] = useState<SetupScriptInfo | null>(null);
  const [trusted, setTrusted] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { repo, baseCommit } = workspace;
  // The run's own definition, repository and base commit: the script its worktrees would run.
  const params = { workflow: run.workflow as unknown, workspace: { repo, base: baseCommit } };
  const ended = isResumableRunStatus(run.status);

  useEffect(() => {
    // Asked when the run ends: only then can a script the user has not trusted have stopped steps.
    if (!ended) return;
    let current = true;
    client
      .call('workspaces.setupScript', { workflow: run.workflow as unknown, workspace: { repo, base: baseCommit } })
      .then((found) => current && setScript(found && !found.trusted ? found : null))
      // No script or a repository gone since: nothing to trust here.
      .catch(() => current && setScript(null));
    return () => {
      current = false;
    };
  }, [client, ended, run.workflow, repo, baseCommit]);

  // Once resumed (or ended some other way), the question is settled.
  if (!script || !ended) return null;

  const trust = async () => {
    setBusy(true);
    try {
      await client.call('workspaces.trustSetup', { ...params, sha256: script.sha256 });
      setTrusted(true);
      setProblem(null);
    } catch (error) {
      setProblem(errorBody(error).message);
    } finally {
      setBusy(false);
    }
  };

  if (trusted) {
    return (
      <div className="setup-trust" role="status">
        <p>Trusted (sha256 {script.sha256.slice(0, 12)}…). Resume the run to start the steps that were waiting for it.</p>
        <button type="button" className="button primary" onClick={() => void actions.resumeRun(run.runId)}>
          Resume run
        </button>
      </div>
    );
  }
  return (
    <>
      <SetupTrustPrompt script={script} busy={busy} onTrust={() => void trust()} />
      {problem && (
        <p className="review-refused" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
