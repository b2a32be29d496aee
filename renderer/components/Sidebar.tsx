import { useEffect } from 'react';
import { AgentsLink } from '../agents/AgentsLink.js';
import { ApprovalsLink } from '../approvals/ApprovalsLink.js';
import { DashboardLink } from '../dashboard/DashboardLink.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { keyLabel } from '../palette/shortcuts.js';
import { SessionsSection } from '../sessions/SessionsSection.js';
import { SettingsLink } from '../settings/SettingsLink.js';
import { NewWorkflowButton } from './NewWorkflowButton.js';
import { RunsSection } from './RunsSection.js';
import { WorkflowsSection } from './WorkflowsSection.js';
import './navigation.css';

const collapsedKey = 'photon.sidebarCollapsed';
/** Where the sidebar moves above the view (styles.css): there it would take much of the height. */
const narrowWidth = 720;

/** Folded, the sidebar keeps a narrow rail: unfold, the palette, a new workflow. */
function SidebarRail() {
  const { store } = useServices();
  return (
    <nav className="sidebar sidebar-rail" aria-label="Workflows and runs (folded)">
      <button type="button" className="rail-button" aria-label="Show the sidebar" title={`Show the sidebar (${keyLabel('Mod+B')})`} onClick={() => store.getState().setSidebarCollapsed(false)}>
        <span aria-hidden="true">»</span>
      </button>
      <button type="button" className="rail-button" aria-label="Open the command palette" title={`Command palette (${keyLabel('Mod+K')})`} onClick={() => store.getState().setOverlay('palette')}>
        <span aria-hidden="true">⌕</span>
      </button>
      <NewWorkflowButton variant="rail" />
    </nav>
  );
}

export function Sidebar() {
  const { store } = useServices();
  const collapsed = usePhoton((s) => s.sidebarCollapsed);

  // Remembered across reloads: someone who folded it away for the canvas wants it to stay so. A
  // narrow window (or 200 % zoom) starts folded; only the user's own changes are remembered.
  useEffect(() => {
    const stored = localStorage.getItem(collapsedKey);
    if (stored === 'true' || (stored === null && window.innerWidth <= narrowWidth)) store.getState().setSidebarCollapsed(true);
    return store.subscribe((state, previous) => {
      if (state.sidebarCollapsed !== previous.sidebarCollapsed) localStorage.setItem(collapsedKey, String(state.sidebarCollapsed));
    });
  }, [store]);

  if (collapsed) return <SidebarRail />;
  return (
    <nav className="sidebar" aria-label="Workflows and runs">
      <div className="sidebar-top">
        <a className="brand" href="#/">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>
          Photon
        </a>
        <button type="button" className="rail-button" aria-label="Hide the sidebar" title={`Hide the sidebar (${keyLabel('Mod+B')})`} onClick={() => store.getState().setSidebarCollapsed(true)}>
          <span aria-hidden="true">«</span>
        </button>
      </div>
      <button type="button" className="palette-opener" onClick={() => store.getState().setOverlay('palette')}>
        <span>Search and commands…</span>
        <kbd>{keyLabel('Mod+K')}</kbd>
      </button>
      <DashboardLink />
      <AgentsLink />
      <ApprovalsLink />
      <SettingsLink />
      <WorkflowsSection />
      <SessionsSection />
      <RunsSection />
    </nav>
  );
}
