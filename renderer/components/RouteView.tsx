import { useRef } from 'react';
import { AgentsView } from '../agents/AgentsView.js';
import { ApprovalsView } from '../approvals/ApprovalsView.js';
import { usePhoton } from '../lib/app-context.js';
import type { Route } from '../lib/route.js';
import { TitleFocusContext } from '../lib/title-focus.js';
import { DashboardView } from '../dashboard/DashboardView.js';
import { SessionView } from '../sessions/SessionView.js';
import { SettingsView } from '../settings/SettingsView.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { HomeView } from './HomeView.js';
import { RunView } from './RunView.js';
import { WorkflowView } from './WorkflowView.js';

/** The main area for the route in the URL hash. */
export function RouteView() {
  const route = usePhoton((s) => s.route);
  const focus = useRef({ pending: false });
  const shown = useRef(route);
  // Marked during render, so the new view's title sees it when it mounts (child effects run first).
  if (shown.current !== route) {
    shown.current = route;
    focus.current.pending = true;
  }

  return (
    <TitleFocusContext.Provider value={focus.current}>
      <ConnectionBanner />
      {viewFor(route)}
    </TitleFocusContext.Provider>
  );
}

function viewFor(route: Route) {
  switch (route.view) {
    case 'home':
      return <HomeView />;
    case 'dashboard':
      return <DashboardView />;
    case 'agents':
      return <AgentsView />;
    case 'approvals':
      return <ApprovalsView />;
    case 'settings':
      return <SettingsView />;
    case 'workflow':
      return <WorkflowView key={route.id} id={route.id} />;
    case 'run':
      return <RunView key={route.id} runId={route.id} />;
    case 'session':
      return <SessionView key={route.id} id={route.id} />;
  }
}
