import type { SetupScriptInfo } from '../../shared/workspace-review.js';

interface SetupTrustPromptProps {
  script: SetupScriptInfo;
  busy: boolean;
  onTrust(): void;
}

/**
 * A repository's setup script is code from the repository: it runs in each new worktree only once
 * the user has read it and trusted it, pinned to this text's sha256 (a changed script asks again).
 */
export function SetupTrustPrompt({ script, busy, onTrust }: SetupTrustPromptProps) {
  return (
    <div className="setup-trust" role="group" aria-label="Setup script to trust">
      <p>
        <strong>This run would run a setup script in each new worktree</strong>, from {script.source === 'repo' ? <code>{script.location}</code> : script.location}. Photon runs it only once you
        trust it. Read it first:
      </p>
      <pre className="setup-trust-script" tabIndex={0} aria-label="The setup script">
        {script.text}
      </pre>
      <p className="meta">
        sha256 <code className="setup-trust-hash">{script.sha256}</code>. Trust is kept for this text only: if the script changes, you are asked again.
      </p>
      <button type="button" className="button" disabled={busy} onClick={onTrust}>
        Trust this script
      </button>
    </div>
  );
}
