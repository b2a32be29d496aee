import { useState } from 'react';
import type { StepState } from '../../shared/runs.js';
import { useTerminals } from './use-terminals.js';

/** On a step's row: opens the terminal of its latest attempt in the dock, to watch it or answer it. */
export function StepTerminalButton({ runId, step }: { runId: string; step: StepState }) {
  const terminals = useTerminals();
  const [busy, setBusy] = useState(false);
  if (step.attempts === 0) return null;
  return (
    <button
      type="button"
      className="button small step-terminal-button"
      disabled={busy}
      title={`Open the terminal of step ${step.step}`}
      aria-label={`Open the terminal of step ${step.step}`}
      onClick={() => {
        setBusy(true);
        void terminals.openForStep(runId, step.step).finally(() => setBusy(false));
      }}
    >
      <span aria-hidden="true">›_ </span>Terminal
    </button>
  );
}
