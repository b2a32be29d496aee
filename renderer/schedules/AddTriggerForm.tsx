import { useState } from 'react';
import { automationNameMaxChars, type CreatedTrigger, type TriggerKind } from '../../shared/schedules.js';
import { useServices } from '../lib/app-context.js';
import { AddForm } from './AddForm.js';

/** A new trigger: a file or folder that starts a run when it changes, or a webhook with its own secret. */
export function AddTriggerForm({ workflowId, onAdded }: { workflowId: string; onAdded(created: CreatedTrigger): void }) {
  const { client } = useServices();
  const [kind, setKind] = useState<TriggerKind>('webhook');
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [debounce, setDebounce] = useState('1000');

  const add = async () => {
    const created =
      kind === 'webhook'
        ? await client.call('triggers.add', { kind, workflowId, name: name.trim() || 'webhook' })
        : await client.call('triggers.add', { kind, workflowId, name: name.trim() || path.trim().split(/[\\/]/).filter(Boolean).at(-1) || 'files', path: path.trim(), debounceMs: Number(debounce) });
    setName('');
    setPath('');
    onAdded(created);
  };

  return (
    <AddForm title="Add a trigger" submitLabel="Add trigger" add={add}>
      <label className="review-field">
        Starts when
        <select value={kind} onChange={(event) => setKind(event.target.value as TriggerKind)}>
          <option value="webhook">its webhook is called</option>
          <option value="file">a file or folder changes</option>
        </select>
      </label>
      {kind === 'file' && (
        <>
          <label className="review-field">
            File or folder
            <input value={path} onChange={(event) => setPath(event.target.value)} spellCheck={false} autoComplete="off" placeholder="/home/you/project/src" required />
            <span className="meta">An absolute path; a folder is watched with everything in it (but .git).</span>
          </label>
          <label className="review-field">
            Wait after the last change (ms)
            <input type="number" min={50} max={3_600_000} value={debounce} onChange={(event) => setDebounce(event.target.value)} required />
          </label>
        </>
      )}
      <label className="review-field">
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" placeholder={kind === 'webhook' ? 'webhook' : 'the file\'s name'} maxLength={automationNameMaxChars} />
        <span className="meta">Shown on the runs it starts.</span>
      </label>
    </AddForm>
  );
}
