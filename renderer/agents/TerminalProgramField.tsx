import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePhoton, useServices } from '../lib/app-context.js';
import { loadTools } from '../sync/agents-sync.js';
import { errorBody } from '../sync/report-error.js';
import './agents.css';

export interface ToolChoice {
  platform: string;
  label: string;
}

/**
 * The AI tools a terminal can open besides the shell: those installed and new enough (an
 * interactive session does not need the flags a headless step does). Fetched once if no view has.
 */
export function useInstalledTools(): { choices: ToolChoice[]; error: string | null } {
  const { client, store } = useServices();
  const loaded = usePhoton((s) => s.agents.toolsLoaded);
  const installed = usePhoton(useShallow((s) => s.agents.tools.filter((t) => t.platform !== 'shell' && t.installed && !t.tooOld)));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!loaded) loadTools(client, store).catch((failure: unknown) => setError(errorBody(failure).message));
  }, [client, store, loaded]);
  return { choices: installed.map((t) => ({ platform: t.platform, label: t.label })), error };
}

/** Picks what a new terminal runs: the shell (default) or an installed AI tool, interactively. */
export function TerminalProgramField({ value, choices, error, disabled, onChange }: { value: string | null; choices: ToolChoice[]; error: string | null; disabled?: boolean; onChange(tool: string | null): void }) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="terminal-program">
      <label htmlFor={id}>Open</label>
      <select id={id} aria-describedby={hintId} disabled={disabled} value={value ?? ''} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}>
        <option value="">Shell (default)</option>
        {choices.map((choice) => (
          <option key={choice.platform} value={choice.platform}>
            {choice.label}
          </option>
        ))}
      </select>
      <p className={error ? 'field-error' : 'field-hint'} id={hintId}>
        {error
          ? `Only the shell for now: could not list the AI tools (${error}).`
          : choices.length === 0
            ? 'No AI tool was found on this machine (see Detect tools on the Agents page).'
            : 'An AI tool opens its interactive session with its default settings.'}
      </p>
    </div>
  );
}
