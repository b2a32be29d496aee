import { useId, useState, type ReactNode } from 'react';
import { parseRate, rateForm, type RemoteAccessRefusal, type RemoteAccessSettings, type RemoteAccessState, type RemoteTls } from '../../shared/remote-access.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { followUrl } from './follow-listener.js';

type Field = RemoteAccessRefusal['field'];
type Refused = Partial<Record<Field | 'other', string>>;

const tlsChoices: { kind: RemoteTls['kind']; label: string }[] = [
  { kind: 'generated', label: "Photon's own certificate (its fingerprint is shown to pin)" },
  { kind: 'files', label: 'My certificate and key files' },
  { kind: 'none', label: 'None: plain HTTP, on 127.0.0.1 only' },
];

interface Draft {
  enabled: boolean;
  address: string;
  port: string;
  tls: RemoteTls['kind'];
  certFile: string;
  keyFile: string;
  keyRate: string;
  addressRate: string;
}

function draftOf(settings: RemoteAccessSettings): Draft {
  return {
    enabled: settings.enabled,
    address: settings.address,
    port: String(settings.port),
    tls: settings.tls.kind,
    certFile: settings.tls.kind === 'files' ? settings.tls.certFile : '',
    keyFile: settings.tls.kind === 'files' ? settings.tls.keyFile : '',
    keyRate: settings.keyRate,
    addressRate: settings.addressRate,
  };
}

function settingsOf(draft: Draft): RemoteAccessSettings {
  const tls: RemoteTls = draft.tls === 'files' ? { kind: 'files', certFile: draft.certFile.trim(), keyFile: draft.keyFile.trim() } : { kind: draft.tls };
  return { enabled: draft.enabled, address: draft.address.trim(), port: Number(draft.port), tls, keyRate: draft.keyRate.trim(), addressRate: draft.addressRate.trim() };
}

/** What can be told before asking the engine; the engine's word (the address, the port, the files) is final. */
function localProblems(draft: Draft): Refused {
  const problems: Refused = {};
  if (draft.address.trim() === '') problems.address = 'give an IP address of this machine, or 0.0.0.0 for all';
  if (!/^\d{1,5}$/.test(draft.port.trim()) || Number(draft.port) > 65535) problems.port = 'a port is 0 to 65535 (0: any free one)';
  if (draft.tls === 'files' && draft.certFile.trim() === '') problems.certFile = 'give the certificate file (PEM)';
  if (draft.tls === 'files' && draft.keyFile.trim() === '') problems.keyFile = 'give the private key file (PEM)';
  if (parseRate(draft.keyRate) === undefined) problems.keyRate = `not a rate; write ${rateForm}`;
  if (parseRate(draft.addressRate) === undefined) problems.addressRate = `not a rate; write ${rateForm}`;
  return problems;
}

/**
 * The listener's settings. Saving starts, restarts or stops it; a refusal from the engine is shown
 * at the field it names and nothing changes, so the draft stays for the user to fix.
 */
export function RemoteAccessForm({ state, onSaved }: { state: RemoteAccessState; onSaved(next: RemoteAccessState): void }) {
  const { client } = useServices();
  const [draft, setDraft] = useState<Draft>(() => draftOf(state.settings));
  const [refused, setRefused] = useState<Refused>({});
  const [busy, setBusy] = useState(false);
  const ids = { enabled: useId(), address: useId(), port: useId(), tls: useId(), certFile: useId(), keyFile: useId(), keyRate: useId(), addressRate: useId() };

  const problems = { ...localProblems(draft), ...refused };
  const ready = Object.keys(localProblems(draft)).length === 0 && !busy;
  const change = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    // A refusal was about what the user has now changed.
    setRefused({});
  };

  const save = async () => {
    if (!ready) return;
    setBusy(true);
    try {
      const next = await client.call('remote.configure', { settings: settingsOf(draft) });
      setRefused({});
      setDraft(draftOf(next.settings));
      onSaved(next);
      // Served by the listener this save moved (a phone): its old address stops answering now.
      const target = followUrl(next.moved, new URL(window.location.href));
      if (target) window.location.assign(target);
    } catch (failure) {
      const body = errorBody(failure);
      // The engine names the field a refusal is about (PhotonError details).
      const field = ((failure as { details?: Partial<RemoteAccessRefusal> }).details ?? {}).field;
      setRefused(field ? { [field]: body.message } : { other: body.message });
    } finally {
      setBusy(false);
    }
  };

  const text = (field: 'address' | 'port' | 'certFile' | 'keyFile' | 'keyRate' | 'addressRate', label: string, hint?: ReactNode, placeholder?: string) => (
    <div className="field">
      <label htmlFor={ids[field]}>{label}</label>
      <input
        id={ids[field]}
        type="text"
        inputMode={field === 'port' ? 'numeric' : undefined}
        value={draft[field]}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={problems[field] ? true : undefined}
        onChange={(event) => change({ [field]: event.target.value })}
      />
      {problems[field] ? <p className="field-error">{problems[field]}</p> : hint && <p className="meta">{hint}</p>}
    </div>
  );

  return (
    <form
      className="remote-form"
      aria-label="Remote access settings"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label className="remote-enable" htmlFor={ids.enabled}>
        <input id={ids.enabled} type="checkbox" checked={draft.enabled} onChange={(event) => change({ enabled: event.target.checked })} />
        Serve Photon to other machines
      </label>
      {text('address', 'Listen address', "0.0.0.0: all of this machine's addresses", '0.0.0.0')}
      {text('port', 'Port', '0: any free port')}
      <div className="field">
        <label htmlFor={ids.tls}>Certificate</label>
        <select id={ids.tls} value={draft.tls} aria-invalid={problems.tls ? true : undefined} onChange={(event) => change({ tls: event.target.value as RemoteTls['kind'] })}>
          {tlsChoices.map((choice) => (
            <option key={choice.kind} value={choice.kind}>
              {choice.label}
            </option>
          ))}
        </select>
        {problems.tls && <p className="field-error">{problems.tls}</p>}
      </div>
      {draft.tls === 'files' && (
        <>
          {text('certFile', 'Certificate file', undefined, '/path/to/cert.pem')}
          {text('keyFile', 'Private key file', undefined, '/path/to/key.pem')}
        </>
      )}
      {text('keyRate', 'Rate per API key', 'e.g. 600/min, 20/s, or off')}
      {text('addressRate', 'Rate per client address', "for requests without the app's own token; e.g. 120/min, or off")}
      <div className="remote-form-actions">
        <button type="submit" className="button primary" disabled={!ready}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {problems.other && (
        <p className="field-error" role="alert">
          {problems.other}
        </p>
      )}
    </form>
  );
}
