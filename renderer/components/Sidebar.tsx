import { AgentsLink } from '../agents/AgentsLink.js';
import { DashboardLink } from '../dashboard/DashboardLink.js';
import { RunsSection } from './RunsSection.js';
import { WorkflowsSection } from './WorkflowsSection.js';

export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Workflows and runs">
      <a className="brand" href="#/">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>
        Photon
      </a>
      <DashboardLink />
      <AgentsLink />
      <WorkflowsSection />
      <RunsSection />
    </nav>
  );
}
