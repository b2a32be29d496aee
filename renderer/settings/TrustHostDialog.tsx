import { useEffect, useId, useState } from 'react';
import { ModalDialog } from '../components/ModalDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

interface TrustHostDialogProps {
  name: string;
  address: string;
  /** The host's key changed: the fingerprints trusted before, which the new key would replace. */
  replaces?: string[];
  onDone(trusted: boolean): void;
}

type Presented = { state: 'reading' } | { state: 'shown'; type: string; fingerprint: string } | { state: 'failed'; message: string };

/**
 * Accepting a host key: the key is read from the host again when the dialog opens, shown with its
 * fingerprint, and accepted only after the user says they compared it with the host's own. The
 * engine accepts exactly that fingerprint, so a key that changes meanwhile is refused. For a key
 * that changed, the old fingerprints are shown beside the new one, and replacing the old key is a
 * separate, deliberate confirmation: a changed key is what an attacker in the middle looks like.
 */
export function TrustHostDialog({ name, address, replaces, onDone }: TrustHostDialogProps) {
  const changed = replaces !== undefined;
  const { client } = useServices();
  const titleId = useId();
  const [presented, setPresented] = useState<Presented>({ state: 'reading' });
  const [compared, setCompared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.call('hosts.trust', { name }).then(
      (key) => live && setPresented({ state: 'shown', type: key.type, fingerprint: key.fingerprint }),
      (failure: unknown) => live && setPresented({ state: 'failed', message: errorBody(failure).message }),
    );
    return () => {
      live = false;
    };
  }, [client, name]);

  const trust = async () => {
    if (presented.state !== 'shown' || !compared || busy) return;
    setBusy(true);
    try {
      await client.call('hosts.trust', { name, fingerprint: presented.fingerprint, ...(changed ? { replace: true } : {}) });
      onDone(true);
    } catch (failure) {
      setError(errorBody(failure).message);
      setBusy(false);
    }
  };

  return (
    <ModalDialog className="dialog trust-dialog" labelledBy={titleId} onCancel={() => onDone(false)}>
      <h2 id={titleId}>{changed ? `Replace the host key of “${name}”?` : `Trust the host key of “${name}”?`}</h2>
      {changed ? (
        <p className="field-error">
          <code>{address}</code> now presents a different key from the one you trusted. That happens when the server is
          reinstalled, and also when someone is between you and it. Replace the old key only after its administrator confirmed
          the new fingerprint (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the host).
        </p>
      ) : (
        <p>
          <code>{address}</code> presents this key. Compare its fingerprint with the host's own before you accept it: on the
          host, <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> (or the key file of this type), or ask whoever
          runs it. A different fingerprint means you may be talking to another machine.
        </p>
      )}
      {presented.state === 'reading' && <p className="loading">Reading the key the host presents…</p>}
      {presented.state === 'failed' && (
        <p className="field-error" role="alert">
          Could not read the host's key: {presented.message}
        </p>
      )}
      {presented.state === 'shown' && (
        <>
          <dl className="host-key">
            {changed && (
              <>
                <dt>Trusted before</dt>
                <dd>
                  {replaces.map((old) => (
                    <code key={old} aria-label="Old fingerprint">
                      {old}
                    </code>
                  ))}
                </dd>
              </>
            )}
            <dt>Type</dt>
            <dd>{presented.type}</dd>
            <dt>{changed ? 'Presented now' : 'Fingerprint'}</dt>
            <dd>
              <code aria-label={changed ? 'New fingerprint' : 'Fingerprint'}>{presented.fingerprint}</code>
            </dd>
          </dl>
          <label className="check-row">
            <input type="checkbox" checked={compared} onChange={(event) => setCompared(event.target.checked)} />
            {changed ? "The host's administrator confirmed this new fingerprint" : "I compared it: it is the host's fingerprint"}
          </label>
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => onDone(false)} autoFocus>
          Cancel
        </button>
        <button type="button" className={changed ? 'button danger' : 'button primary'} disabled={presented.state !== 'shown' || !compared || busy} onClick={() => void trust()}>
          {busy ? (changed ? 'Replacing…' : 'Trusting…') : changed ? 'Replace the old key' : 'Trust this key'}
        </button>
      </div>
    </ModalDialog>
  );
}
