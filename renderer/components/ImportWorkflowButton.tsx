import { useId, type ChangeEvent } from 'react';
import { useServices, usePhoton } from '../lib/app-context.js';

/** A real file input (visually hidden, still focusable) with a label styled as a button. */
export function ImportWorkflowButton() {
  const { actions } = useServices();
  const busy = usePhoton((s) => Boolean(s.busy.import));
  const id = useId();

  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared so choosing the same file again (after fixing it) fires a change.
    input.value = '';
    if (!file) return;
    await actions.importWorkflowFile({ name: file.name, text: await file.text() });
  };

  return (
    <div className="import">
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        className="visually-hidden file-input"
        aria-label="Import a workflow file"
        disabled={busy}
        onChange={(event) => void onChange(event)}
      />
      <label htmlFor={id} className="button small" aria-hidden="true">
        {busy ? 'Importing…' : 'Import…'}
      </label>
    </div>
  );
}
