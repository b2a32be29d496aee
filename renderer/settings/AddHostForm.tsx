import { useId, useState } from 'react';
import { hostNameSchema, parseHostAddress, repoPathProblem } from '../../shared/hosts.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

type FieldErrors = { name?: string; address?: string; repoPath?: string; other?: string };

/**
 * The engine's refusal placed at the field it is about: it names the host ("host name ..." or a
 * name that exists) or the address ('host "x": ...'); anything else goes under the form.
 */
function placeError(code: string, message: string): FieldErrors {
  if (code === 'conflict' || message.startsWith('host name')) return { name: message };
  if (code === 'invalid' && /^host "[^"]*": (repository path|the repository path)/.test(message)) return { repoPath: message.replace(/^host "[^"]*": /, '') };
  if (code === 'invalid' && message.startsWith('host "')) return { address: message.replace(/^host "[^"]*": /, '') };
  return { other: message };
}

/** Names an ssh address; the same checks as the engine's run as the user types, the engine's word is final. */
export function AddHostForm({ onAdded }: { onAdded(name: string): Promise<void> }) {
  const { client } = useServices();
  const nameId = useId();
  const addressId = useId();
  const repoId = useId();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [repoPath, setRepoPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<FieldErrors>({});

  const nameCheck = hostNameSchema.safeParse(name.trim());
  const parsed = address.trim() === '' ? null : parseHostAddress(address);
  const errors: FieldErrors = {
    name: refused.name ?? (name.trim() !== '' && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined),
    address: refused.address ?? (typeof parsed === 'string' ? parsed : undefined),
    repoPath: refused.repoPath ?? (repoPath.trim() === '' ? undefined : (repoPathProblem(repoPath.trim()) ?? undefined)),
    other: refused.other,
  };
  const ready = nameCheck.success && parsed !== null && typeof parsed !== 'string' && !errors.repoPath && !busy;

  const add = async () => {
    if (!ready) return;
    setBusy(true);
    try {
      const added = await client.call('hosts.add', { name: name.trim(), address: address.trim(), ...(repoPath.trim() ? { repoPath: repoPath.trim() } : {}) });
      setName('');
      setAddress('');
      setRepoPath('');
      setRefused({});
      await onAdded(added.name);
    } catch (failure) {
      const body = errorBody(failure);
      setRefused(placeError(body.code, body.message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="key-form host-form"
      aria-label="Add a host"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          type="text"
          value={name}
          placeholder="e.g. devbox"
          spellCheck={false}
          aria-invalid={errors.name ? true : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setRefused({});
          }}
        />
        {errors.name && <p className="field-error">{errors.name}</p>}
      </div>
      <div className="field">
        <label htmlFor={addressId}>Address</label>
        <input
          id={addressId}
          type="text"
          value={address}
          placeholder="ssh://user@host:22"
          spellCheck={false}
          aria-invalid={errors.address ? true : undefined}
          onChange={(event) => {
            setAddress(event.target.value);
            setRefused({});
          }}
        />
        {errors.address && <p className="field-error">{errors.address}</p>}
      </div>
      <div className="field">
        <label htmlFor={repoId}>Clone on the host (optional)</label>
        <input
          id={repoId}
          type="text"
          value={repoPath}
          placeholder="~/src/app"
          spellCheck={false}
          aria-invalid={errors.repoPath ? true : undefined}
          onChange={(event) => {
            setRepoPath(event.target.value);
            setRefused({});
          }}
        />
        {errors.repoPath && <p className="field-error">{errors.repoPath}</p>}
      </div>
      <button type="submit" className="button primary" disabled={!ready}>
        {busy ? 'Adding…' : 'Add host'}
      </button>
      {errors.other && (
        <p className="field-error" role="alert">
          {errors.other}
        </p>
      )}
    </form>
  );
}
