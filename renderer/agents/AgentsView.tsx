import { ViewTitle } from '../components/ViewTitle.js';
import { useDocumentTitle } from '../lib/use-document-title.js';
import { AgentsSection } from './AgentsSection.js';
import { SecretsSection } from './SecretsSection.js';
import { ToolsSection } from './ToolsSection.js';
import './agents.css';

/** `#/agents`: saved agents and their record, the tools found on this machine, and the keychain's secrets. */
export function AgentsView() {
  useDocumentTitle('Agents');
  return (
    <article className="view agents-view">
      <header className="view-head">
        <div className="view-heading">
          <ViewTitle>Agents</ViewTitle>
          <p className="lead">Saved setups of the AI coding tools, what each one is doing, and the keys they use.</p>
        </div>
      </header>
      <AgentsSection />
      <ToolsSection />
      <SecretsSection />
    </article>
  );
}
