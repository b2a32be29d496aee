import { useCallback, useEffect, useState } from 'react';
import type { RemoteAccessState, RemoteAccessStatus } from '../../shared/remote-access.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { RemoteAccessForm } from './RemoteAccessForm.js';

type Loaded = { state: 'loading' } | { state: 'ready'; value: RemoteAccessState } | { state: 'failed'; message: string };

/**
 * Remote access: the app, its contract and the REST API served to other machines (a phone, a CI
 * job), over HTTPS with API keys. The engine holds the settings and runs the listener; this section
 * shows where it listens and the certificate's fingerprint to pin, and saves changes.
 */
export function RemoteAccessSection() {
  const { client } = useServices();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ state: 'ready', value: await client.call('remote.get') });
    } catch (error) {
      const body = errorBody(error);
      setLoaded({ state: 'failed', message: `${body.code}: ${body.message}` });
    }
  }, [client]);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className="remote-section" aria-labelledby="remote-heading">
      <header className="section-bar">
        <div>
          <h2 id="remote-heading">Remote access</h2>
          <p className="meta section-note">
            Serves this app, the REST API (<code>/api/v1</code>) and its events to other machines, over HTTPS. They sign in with an API key (below); the app&apos;s own
            token works from this machine only. Off until you turn it on.
          </p>
        </div>
        <button type="button" className="button small" onClick={() => void reload()}>
          Refresh
        </button>
      </header>
      {loaded.state === 'loading' && <p className="loading">Reading the settings…</p>}
      {loaded.state === 'failed' && (
        <p className="field-error" role="alert">
          Could not read the remote access settings: {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <RemoteStatus status={loaded.value.status} />
          <RemoteAccessForm state={loaded.value} onSaved={(value) => setLoaded({ state: 'ready', value })} />
        </>
      )}
    </section>
  );
}

function RemoteStatus({ status }: { status: RemoteAccessStatus }) {
  const [copied, setCopied] = useState(false);
  if (status.state === 'off') return <p className="remote-status" role="status">Off: nothing listens beyond this app.</p>;
  if (status.state === 'unavailable') return <p className="remote-status" role="status">Saved. {status.reason}.</p>;
  if (status.state === 'failed') {
    return (
      <p className="remote-status field-error" role="status">
        Not listening: {status.reason}
      </p>
    );
  }
  return (
    <div className="remote-status listening" role="status" aria-label="Remote access status">
      <p>
        Listening at{' '}
        {status.urls.map((url, index) => (
          <span key={url}>
            {index > 0 && ', '}
            <code>{url}</code>
          </span>
        ))}
      </p>
      {status.fingerprint256 ? (
        <div className="remote-fingerprint">
          <span>
            Certificate SHA-256 fingerprint ({status.certificate === 'generated' ? "Photon's own" : 'your file'}, valid until {status.validTo}). Check or pin it on the other machine:
          </span>
          <code aria-label="Certificate fingerprint">{status.fingerprint256}</code>
          <button
            type="button"
            className="button small"
            onClick={() => {
              void navigator.clipboard?.writeText(status.fingerprint256!).then(() => setCopied(true), () => setCopied(false));
            }}
          >
            {copied ? 'Copied' : 'Copy fingerprint'}
          </button>
        </div>
      ) : (
        <p className="meta">Plain HTTP, on this machine only.</p>
      )}
    </div>
  );
}
