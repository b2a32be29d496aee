import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ModalDialog } from '../components/ModalDialog.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import type { PhotonStore } from '../store/store.js';
import { loadAgents, loadTools } from '../sync/agents-sync.js';
import { errorBody } from '../sync/report-error.js';
import { loadRecentFolders, rememberFolder } from '../terminals/preferences.js';
import { sessionChoices } from './session-choices.js';

/** What the dialog opens with when asked from an agent's panel: that agent, in its folder. */
interface NewSessionPreset {
  choice: string;
  folder: string;
}
let preset: NewSessionPreset | null = null;

/** Opens New session, chosen for a saved agent (in its folder, if it has one). */
export function openNewSession(store: PhotonStore, agent?: { id: string; cwd: string | null }): void {
  // The choices are keyed by the agent's id (sessionChoices), which sessions.start takes.
  preset = agent ? { choice: `agent:${agent.id}`, folder: agent.cwd ?? '' } : null;
  store.getState().setOverlay('new-session');
}

/**
 * "New session": like "Open <tool> here", but a structured session over ACP: a tool with an ACP
 * mode (or a saved agent of one, whose environment, secrets and rules then apply), and the folder it works in.
 */
export function NewSessionDialog({ onClose }: { onClose(): void }) {
  const { client, store, actions } = useServices();
  const titleId = useId();
  const listId = useId();
  const tools = usePhoton((s) => s.agents.tools);
  const agents = usePhoton(useShallow((s) => s.agents.list));
  const choices = useMemo(() => sessionChoices(tools, agents), [tools, agents]);
  // Taken once: the next New session opened elsewhere starts blank.
  const [start0] = useState(() => {
    const taken = preset;
    preset = null;
    return taken;
  });
  const [choice, setChoice] = useState(start0?.choice ?? '');
  const [folder, setFolder] = useState(start0?.folder ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recent] = useState(loadRecentFolders);

  useEffect(() => {
    const state = store.getState();
    if (!state.agents.toolsLoaded) loadTools(client, store).catch((e: unknown) => setError(errorBody(e).message));
    if (!state.agents.loaded) loadAgents(client, store).catch(() => undefined);
  }, [client, store]);

  const chosen = choices.find((c) => c.key === choice) ?? choices.find((c) => c.available);
  const start = async () => {
    if (!chosen?.available) return;
    const cwd = folder.trim();
    if (!cwd) return setError('Give the folder the agent works in.');
    setBusy(true);
    setError(null);
    try {
      const info = await client.call('sessions.start', chosen.agentId ? { agentId: chosen.agentId, cwd } : { tool: chosen.tool, cwd });
      store.getState().sessionLoaded(info, []);
      rememberFolder(cwd);
      onClose();
      actions.navigate({ view: 'session', id: info.id });
    } catch (failure) {
      // The dialog stays, with what was typed, for another try.
      setError(errorBody(failure).message);
      setBusy(false);
    }
  };

  return (
    <ModalDialog className="dialog terminal-dialog" labelledBy={titleId} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2 id={titleId}>New session</h2>
        <label className="field">
          <span>Agent</span>
          <select value={chosen?.key ?? ''} onChange={(e) => setChoice(e.target.value)} disabled={busy}>
            {choices.length === 0 && <option value="">Looking for tools…</option>}
            {choices.map((c) => (
              <option key={c.key} value={c.key} disabled={!c.available}>
                {c.label}
                {c.available ? '' : ` (${c.why})`}
              </option>
            ))}
          </select>
        </label>
        {chosen && !chosen.available && <p className="meta">{chosen.why}</p>}
        <label className="field">
          <span>Folder</span>
          <input type="text" value={folder} list={listId} placeholder="/path/to/project" spellCheck={false} autoFocus onChange={(e) => setFolder(e.target.value)} />
        </label>
        <datalist id={listId}>
          {recent.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        {error && (
          <p className="session-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || !chosen?.available}>
            {busy ? 'Starting…' : chosen ? `Start ${chosen.label} here` : 'Start'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
