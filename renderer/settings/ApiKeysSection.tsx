import { useId, useState } from 'react';
import { accessScopes, keyNameSchema, type AccessScope, type ApiKeyInfo, type CreatedApiKey } from '../../shared/access.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { keyLifetimes, keyStateText, lastUseText, shortDate } from './access-words.js';
import { LoadedRows } from './LoadedRows.js';
import { RowsTable, SettingsSection } from './SettingsSection.js';
import { useApiKeys } from './use-access-data.js';

const scopeWords: Record<AccessScope, string> = {
  read: 'read: sees everything but secrets',
  run: 'run: also starts and cancels runs, answers approvals',
  admin: 'admin: also agents, secrets, keys and settings',
};

/**
 * API keys for scripts, CI and other machines. A new key is shown once, here, until the user
 * closes it; the engine keeps only its hash, so nothing can show it again.
 */
export function ApiKeysSection() {
  const { client } = useServices();
  const [keys, reload] = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const revoke = async (key: ApiKeyInfo) => {
    setRevoking(null);
    try {
      await client.call('keys.revoke', { key: key.prefix });
      setProblem(null);
    } catch (error) {
      const body = errorBody(error);
      setProblem(`Could not revoke "${key.name}": ${body.message}`);
    }
    await reload();
  };

  return (
    <SettingsSection
      className="api-keys-section"
      title="API keys"
      note={
        <>
          For scripts, CI jobs and other machines using the REST API or the WebSocket, sent as <code>X-API-Key</code> or{' '}
          <code>Authorization: Bearer</code>. Photon keeps only a hash of each key: copy a new one when it is shown.
        </>
      }
      actions={
        <button type="button" className="button small" onClick={() => void reload()}>
          Refresh
        </button>
      }
      problem={problem}
    >
      {created && <NewKeyPanel created={created} onDone={() => setCreated(null)} />}
      <LoadedRows loaded={keys} reading="Reading the keys…" failed="Could not list the keys" empty="No API keys yet.">
        {(rows) => (
          <RowsTable label="API keys" columns={['Name', 'Prefix', 'Scope', 'State', 'Last used']} withActions>
            {rows.map((key) => (
              <tr key={key.id} className={key.status === 'active' ? undefined : 'inactive'}>
                <th scope="row">{key.name}</th>
                <td>
                  <code>{key.prefix}</code>
                </td>
                <td>{key.scope}</td>
                <td title={`Made ${shortDate(key.createdAt)}`}>{keyStateText(key, Date.now())}</td>
                <td>{lastUseText(key)}</td>
                <td>
                  {key.status !== 'revoked' && (
                    <button type="button" className="button small danger" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </RowsTable>
        )}
      </LoadedRows>
      <NewKeyForm
        onCreated={async (made) => {
          setCreated(made);
          setProblem(null);
          await reload();
        }}
      />
      {revoking && (
        <ConfirmDialog
          title={`Revoke "${revoking.name}"?`}
          message={`Key ${revoking.prefix} stops working at once, for every script and machine that uses it. This cannot be undone.`}
          confirmLabel="Revoke"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </SettingsSection>
  );
}

function NewKeyForm({ onCreated }: { onCreated(created: CreatedApiKey): Promise<void> }) {
  const { client } = useServices();
  const nameId = useId();
  const scopeId = useId();
  const lifetimeId = useId();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<AccessScope>('read');
  const [lifetime, setLifetime] = useState(2);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const trimmed = name.trim();
  const nameCheck = keyNameSchema.safeParse(trimmed);
  const nameError = trimmed !== '' && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined;

  const create = async () => {
    if (!nameCheck.success || busy) return;
    setBusy(true);
    try {
      const made = await client.call('keys.create', { name: trimmed, scope, expiresInMs: keyLifetimes[lifetime]!.ms });
      setName('');
      setError(null);
      await onCreated(made);
    } catch (failure) {
      setError(errorBody(failure).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="key-form"
      aria-label="Make an API key"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} type="text" value={name} placeholder="e.g. ci or phone" spellCheck={false} aria-invalid={nameError ? true : undefined} onChange={(event) => setName(event.target.value)} />
        {nameError && <p className="field-error">{nameError}</p>}
      </div>
      <div className="field">
        <label htmlFor={scopeId}>Scope</label>
        <select id={scopeId} value={scope} onChange={(event) => setScope(event.target.value as AccessScope)}>
          {accessScopes.map((s) => (
            <option key={s} value={s}>
              {scopeWords[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={lifetimeId}>Expires</label>
        <select id={lifetimeId} value={lifetime} onChange={(event) => setLifetime(Number(event.target.value))}>
          {keyLifetimes.map((choice, index) => (
            <option key={choice.label} value={index}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button primary" disabled={!nameCheck.success || busy}>
        {busy ? 'Making…' : 'Make key'}
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function NewKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="new-key" role="group" aria-label={`New key ${created.key.name}`}>
      <p>
        <strong>
          Key “{created.key.name}” ({created.key.scope}). Copy it now: it is not shown again.
        </strong>
      </p>
      <div className="new-key-value">
        <input type="text" readOnly value={created.secret} aria-label="The new key" onFocus={(event) => event.target.select()} />
        <button
          type="button"
          className="button small"
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <button type="button" className="button small" onClick={onDone}>
        Done, hide it
      </button>
    </div>
  );
}
