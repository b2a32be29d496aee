import { useId, useState } from 'react';
import { TerminalProgramField, useInstalledTools } from '../agents/TerminalProgramField.js';
import { useAgentActions } from '../agents/use-agent-actions.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { loadRecentFolders, rememberFolder } from './preferences.js';

interface NewTerminalDialogProps {
  /** `worktree`: start in a new worktree of the repository the folder is in. */
  onOpen(folder: string, worktree: boolean): Promise<void>;
  onCancel(): void;
}

/**
 * Asks for the folder a new terminal starts in (empty: the home folder; recent folders are one
 * click) and what it runs: the user's shell, or an installed AI tool's interactive session; either
 * can start in a new worktree (branch photon/term-<id>) of the folder's repository, kept after the
 * terminal closes until `photon workspaces prune`.
 */
export function NewTerminalDialog({ onOpen, onCancel }: NewTerminalDialogProps) {
  const titleId = useId();
  const listId = useId();
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [recent] = useState(loadRecentFolders);
  const [tool, setTool] = useState<string | null>(null);
  const [worktree, setWorktree] = useState(false);
  const worktreeId = useId();
  const installed = useInstalledTools();
  const agentActions = useAgentActions();
  const toolLabel = installed.choices.find((choice) => choice.platform === tool)?.label ?? null;

  const open = async (chosen: string) => {
    setBusy(true);
    if (tool !== null) {
      const cwd = chosen.trim();
      // Failures are reported as notices; the dialog stays for another try.
      if (!(await agentActions.openInTerminal({ tool, ...(cwd === '' ? {} : { cwd }), ...(worktree ? { worktree: {} } : {}) }))) return setBusy(false);
      if (cwd !== '') rememberFolder(cwd);
      // The tab is open already: the dialog only has to close.
      return onCancel();
    }
    try {
      await onOpen(chosen, worktree);
    } catch {
      // Reported as a notice; the dialog stays for another try.
      setBusy(false);
    }
  };

  return (
    <ModalDialog className="dialog terminal-dialog" labelledBy={titleId} onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void open(folder);
        }}
      >
        <h2 id={titleId}>New terminal</h2>
        <label className="field">
          <span>Folder</span>
          <input
            type="text"
            value={folder}
            list={listId}
            placeholder="Home folder"
            spellCheck={false}
            autoFocus
            onChange={(event) => setFolder(event.target.value)}
          />
        </label>
        <TerminalProgramField value={tool} choices={installed.choices} error={installed.error} disabled={busy} onChange={setTool} />
        <div className="terminal-dialog-check">
          <input id={worktreeId} type="checkbox" checked={worktree} disabled={busy} onChange={(event) => setWorktree(event.target.checked)} />
          <label htmlFor={worktreeId}>In a new worktree</label>
        </div>
        {worktree && <p className="meta">A worktree and branch photon/term-… of the folder&apos;s repository; it stays after the terminal closes, until Prune.</p>}
        <datalist id={listId}>
          {recent.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        {recent.length > 0 && (
          <div className="recent-folders">
            <p className="meta">Recent folders</p>
            <ul>
              {recent.map((f) => (
                <li key={f}>
                  <button type="button" className="link-button" disabled={busy} onClick={() => void open(f)}>
                    <code>{f}</code>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Opening…' : toolLabel ? `Open ${toolLabel} here` : 'Open'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
