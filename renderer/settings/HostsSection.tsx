import { useState } from 'react';
import type { HostInfo, RemoteToolInfo } from '../../shared/hosts.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { AddHostForm } from './AddHostForm.js';
import { LoadedRows } from './LoadedRows.js';
import { RepoPathDialog } from './RepoPathDialog.js';
import { RowsTable, SettingsSection } from './SettingsSection.js';
import { TrustHostDialog } from './TrustHostDialog.js';
import { useHosts } from './use-hosts.js';

function stateText(host: HostInfo): string {
  switch (host.status) {
    case 'connected':
      return 'Connected';
    case 'unknown_key':
      return 'Unknown host key';
    case 'changed_key':
      return 'Host key changed';
    case 'error':
      return 'Cannot connect';
    case 'disconnected':
      return host.checkedAt ? 'Not connected' : 'Not checked';
  }
}

type ToolsShown = { host: string } & ({ state: 'reading' } | { state: 'shown'; tools: RemoteToolInfo[] } | { state: 'failed'; message: string });

/**
 * Remote hosts steps and agents run on (through the user's own OpenSSH): their health, adding one,
 * accepting an unknown host key after comparing it, the tools found there, and removing one.
 */
export function HostsSection() {
  const { client } = useServices();
  const { hosts, checking, reload } = useHosts();
  const [trusting, setTrusting] = useState<HostInfo | null>(null);
  const [placing, setPlacing] = useState<HostInfo | null>(null);
  const [removing, setRemoving] = useState<HostInfo | null>(null);
  const [tools, setTools] = useState<ToolsShown | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const remove = async (host: HostInfo) => {
    setRemoving(null);
    try {
      await client.call('hosts.remove', { name: host.name });
      setProblem(null);
      if (tools?.host === host.name) setTools(null);
    } catch (error) {
      setProblem(`Could not remove "${host.name}": ${errorBody(error).message}`);
    }
    await reload();
  };

  const showTools = async (host: HostInfo) => {
    setTools({ host: host.name, state: 'reading' });
    try {
      setTools({ host: host.name, state: 'shown', tools: await client.call('hosts.tools', { name: host.name }) });
    } catch (error) {
      setTools({ host: host.name, state: 'failed', message: errorBody(error).message });
    }
    // Reaching the host (or not) updated its health.
    await reload();
  };

  return (
    <SettingsSection
      className="hosts-section"
      title="Remote hosts"
      note={
        <>
          Machines where steps and agents run over your own OpenSSH (your <code>~/.ssh/config</code>, keys and agent). Photon never asks for a
          password, and accepts a host key only after you compare its fingerprint.
        </>
      }
      actions={
        <button type="button" className="button small" disabled={checking} onClick={() => void reload(true)}>
          {checking ? 'Checking…' : 'Check connections'}
        </button>
      }
      problem={problem}
    >
      <LoadedRows loaded={hosts} reading="Reading the hosts…" failed="Could not list the hosts" empty="No remote hosts yet.">
        {(rows) => (
          <RowsTable label="Remote hosts" className="hosts-table" columns={['Name', 'Address', 'Repository', 'State', 'Latency', 'Last error']} withActions>
            {rows.map((host) => (
              <tr key={host.name} className={host.status === 'connected' ? undefined : 'inactive'}>
                <th scope="row">{host.name}</th>
                <td>
                  <code>{host.address}</code>
                </td>
                <td>{host.repoPath === null ? '—' : <code>{host.repoPath}</code>}</td>
                <td>
                  <span>{stateText(host)}</span>
                  {host.presentedKey && <PresentedKey host={host} />}
                </td>
                <td>{host.latencyMs === null ? '—' : `${host.latencyMs} ms`}</td>
                <td className="host-error">{host.lastError ?? '—'}</td>
                <td className="row-actions">
                  {host.status === 'unknown_key' && (
                    <button type="button" className="button small primary" onClick={() => setTrusting(host)} aria-label={`Trust the key of ${host.name}…`}>
                      Trust key…
                    </button>
                  )}
                  {host.status === 'changed_key' && host.presentedKey?.replaces && (
                    <button type="button" className="button small danger" onClick={() => setTrusting(host)} aria-label={`Replace the key of ${host.name}…`}>
                      Replace key…
                    </button>
                  )}
                  <button type="button" className="button small" onClick={() => setPlacing(host)} aria-label={`Repository on ${host.name}…`}>
                    Repository…
                  </button>
                  <button type="button" className="button small" onClick={() => void showTools(host)} aria-label={`Tools on ${host.name}`}>
                    Tools
                  </button>
                  <button type="button" className="button small danger" onClick={() => setRemoving(host)} aria-label={`Remove ${host.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </RowsTable>
        )}
      </LoadedRows>
      {tools && <HostTools shown={tools} onClose={() => setTools(null)} />}
      <AddHostForm onAdded={() => reload(true)} />
      {trusting && (
        <TrustHostDialog
          name={trusting.name}
          address={trusting.address}
          replaces={trusting.status === 'changed_key' ? trusting.presentedKey?.replaces : undefined}
          onDone={(trusted) => {
            setTrusting(null);
            if (trusted) void reload();
          }}
        />
      )}
      {placing && (
        <RepoPathDialog
          name={placing.name}
          repoPath={placing.repoPath}
          onDone={(changed) => {
            setPlacing(null);
            if (changed) void reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove host "${removing.name}"?`}
          message={`Steps and agents that name "${removing.name}" will be refused until a host of that name is added again. Its accepted host key stays in Photon's known_hosts.`}
          confirmLabel="Remove"
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </SettingsSection>
  );
}

/** The key the host presents: for a changed key, the old fingerprints it differs from too. */
function PresentedKey({ host }: { host: HostInfo }) {
  const key = host.presentedKey!;
  if (host.status === 'changed_key' && key.replaces) {
    return (
      <dl className="meta host-key-change">
        <dt>Trusted</dt>
        <dd>
          {key.replaces.map((old) => (
            <code key={old}>{old}</code>
          ))}
        </dd>
        <dt>Now</dt>
        <dd>
          {key.type} <code>{key.fingerprint}</code>
        </dd>
      </dl>
    );
  }
  return (
    <div className="meta">
      {key.type} <code>{key.fingerprint}</code>
    </div>
  );
}

function HostTools({ shown, onClose }: { shown: ToolsShown; onClose(): void }) {
  return (
    <div className="host-tools" role="group" aria-label={`Tools on ${shown.host}`}>
      <p>
        <strong>Tools on {shown.host}</strong>
      </p>
      {shown.state === 'reading' && <p className="loading">Looking on the host…</p>}
      {shown.state === 'failed' && (
        <p className="field-error" role="alert">
          {shown.message}
        </p>
      )}
      {shown.state === 'shown' && (
        <ul>
          {shown.tools.map((tool) => (
            <li key={tool.platform}>
              {tool.label}: {tool.installed ? `${tool.version ?? 'installed'}${tool.path ? ` (${tool.path})` : ''}` : 'not installed'}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button small" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
