import { useId, useState } from 'react';
import { methods } from '../../shared/api.js';
// The variables the AI tools read their keys from (CODEX_API_KEY for Codex 0.171): offered as names, typed freely otherwise.
import { usualSecretNames } from '../../shared/tool-keys.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { TrashIcon } from '../components/TrashIcon.js';
import { usePhoton } from '../lib/app-context.js';
import { InlineCode } from '../components/InlineCode.js';
import { checkKeychainBusyKey, secretBusyKey, setSecretBusyKey } from './agent-actions.js';
import { FormField } from './FormField.js';
import { useAgentActions } from './use-agent-actions.js';


/** The contract's own check of a secret's name, so the form refuses what the engine would. */
const nameSchema = methods['secrets.set'].params.shape.name;

/**
 * Secrets in the OS keychain, by name. A value goes from the password field straight to the
 * engine and is forgotten here: it is never shown, never put in the store, never read back.
 */
export function SecretsSection() {
  const actions = useAgentActions();
  const secrets = usePhoton((s) => s.agents.secrets);
  const saving = usePhoton((s) => Boolean(s.busy[setSecretBusyKey]));
  const checking = usePhoton((s) => Boolean(s.busy[checkKeychainBusyKey]));
  const listId = useId();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<{ ok: true; name: string } | { ok: false; message: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const available = secrets?.available ?? false;
  const trimmed = name.trim();
  const nameCheck = nameSchema.safeParse(trimmed);
  const nameError = trimmed !== '' && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined;
  const replaces = secrets?.names.includes(trimmed) ?? false;
  const canSave = available && !saving && nameCheck.success && value !== '';

  const save = async () => {
    if (!canSave) return;
    const outcome = await actions.setSecret(trimmed, value);
    if (outcome.ok) {
      setValue('');
      setName('');
      setResult({ ok: true, name: trimmed });
    } else {
      setResult({ ok: false, message: `${outcome.error.code}: ${outcome.error.message}` });
    }
  };

  return (
    <section className="secrets-section" aria-labelledby="secrets-heading">
      <header className="section-bar">
        <div>
          <h2 id="secrets-heading">Secrets</h2>
          <p className="meta section-note">
            API keys live in the OS keychain (service <code>Photon</code>). Photon lists their names; a value is never shown again, and goes only into the
            environment of the tool that needs it.
          </p>
        </div>
      </header>
      {secrets === null ? (
        <p className="loading">Reading the keychain…</p>
      ) : (
        <>
          {!secrets.available && (
            <div className="keychain-unavailable" role="alert">
              <p>
                <strong>
                  <span aria-hidden="true">⚠ </span>No keychain available: secrets cannot be set.
                </strong>
              </p>
              <p>
                <InlineCode text={secrets.reason ?? 'The OS keychain could not be reached.'} />
              </p>
              <p>
                <button type="button" className="button small" disabled={checking} onClick={() => void actions.checkKeychain()}>
                  {checking ? 'Checking…' : 'Check again'}
                </button>
              </p>
            </div>
          )}
          {secrets.available &&
            (secrets.names.length === 0 ? (
              <p className="empty-state">No secrets yet.</p>
            ) : (
              <ul className="secret-list" aria-label="Secrets in the keychain">
                {secrets.names.map((secretName) => (
                  <SecretItem key={secretName} name={secretName} onDelete={() => setDeleting(secretName)} />
                ))}
              </ul>
            ))}
          <form
            className="secret-form"
            aria-label="Set a secret"
            autoComplete="off"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <FormField label="Name" error={nameError} hint={replaces ? 'A secret of this name exists: saving replaces its value.' : undefined}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  list={listId}
                  spellCheck={false}
                  placeholder="e.g. ANTHROPIC_API_KEY"
                  disabled={!available}
                  value={name}
                  onChange={(event) => {
                    setName(event.target.value);
                    setResult(null);
                  }}
                />
              )}
            </FormField>
            <datalist id={listId}>
              {usualSecretNames.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
            <FormField label="Value" hint="Stored in the keychain only; the field is cleared once it is saved.">
              {(control) => (
                <input
                  {...control}
                  type="password"
                  autoComplete="new-password"
                  spellCheck={false}
                  disabled={!available}
                  value={value}
                  onChange={(event) => {
                    setValue(event.target.value);
                    setResult(null);
                  }}
                />
              )}
            </FormField>
            <button type="submit" className="button primary" disabled={!canSave}>
              {saving ? 'Saving…' : 'Save secret'}
            </button>
          </form>
          <div aria-live="polite">
            {result?.ok === true && (
              <p className="form-success">
                <span aria-hidden="true">✓ </span>Saved “{result.name}” in the keychain.
              </p>
            )}
          </div>
          {result?.ok === false && (
            <p className="form-refusal" role="alert">
              <span aria-hidden="true">⚠ </span>Could not save the secret: {result.message}
            </p>
          )}
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete secret “${deleting}”?`}
          message="It is removed from the OS keychain. Agents that use it will start their tool without it."
          confirmLabel="Delete secret"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const chosen = deleting;
            setDeleting(null);
            setResult(null);
            void actions.deleteSecret(chosen);
          }}
        />
      )}
    </section>
  );
}

function SecretItem({ name, onDelete }: { name: string; onDelete(): void }) {
  const busy = usePhoton((s) => Boolean(s.busy[secretBusyKey(name)]));
  return (
    <li className="secret-item">
      <code>{name}</code>
      <span className="meta">value hidden</span>
      <button type="button" className="icon-button" aria-label={`Delete secret ${name}`} title="Delete" disabled={busy} onClick={onDelete}>
        <TrashIcon />
      </button>
    </li>
  );
}
