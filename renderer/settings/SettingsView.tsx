import { ViewTitle } from '../components/ViewTitle.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { ApiKeysSection } from './ApiKeysSection.js';
import { AgentCapSection } from './AgentCapSection.js';
import { AuditSection } from './AuditSection.js';
import { HostsSection } from './HostsSection.js';
import { RemoteAccessSection } from './RemoteAccessSection.js';
import './settings.css';

/**
 * `#/settings`: whether other machines may reach Photon (remote access) and with which keys (API
 * keys), the machines it reaches (remote hosts), and what was tried (the audit log).
 */
export function SettingsView() {
  useDocumentTitle('Settings');
  return (
    <article className="view settings-view">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>Settings</ViewTitle>
          <p className="lead">Remote access and API keys for scripts and other machines, remote hosts for steps and agents, and the security log.</p>
        </div>
      </header>
      <RemoteAccessSection />
      <ApiKeysSection />
      <HostsSection />
      <AgentCapSection />
      <AuditSection />
    </article>
  );
}
