/** What the main area shows; kept in the URL hash so a reload keeps the view. */
export type Route =
  | { view: 'home' }
  | { view: 'dashboard' }
  | { view: 'agents' }
  | { view: 'approvals' }
  | { view: 'settings' }
  | { view: 'workflow'; id: string }
  | { view: 'run'; id: string }
  | { view: 'session'; id: string };

export const homeRoute: Route = { view: 'home' };

/** `#/dashboard`, `#/agents`, `#/approvals`, `#/settings`, `#/workflows/ID`, `#/runs/ID` and `#/sessions/ID`; anything else is home. */
export function parseRoute(hash: string): Route {
  const page = /^#?\/(dashboard|agents|approvals|settings)\/?$/.exec(hash);
  if (page) return { view: page[1] as 'dashboard' | 'agents' | 'approvals' | 'settings' };
  const match = /^#?\/(workflows|runs|sessions)\/([^/?#]+)\/?$/.exec(hash);
  if (!match) return homeRoute;
  let id: string;
  try {
    id = decodeURIComponent(match[2]!);
  } catch {
    return homeRoute;
  }
  if (id === '') return homeRoute;
  if (match[1] === 'sessions') return { view: 'session', id };
  return match[1] === 'workflows' ? { view: 'workflow', id } : { view: 'run', id };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'dashboard':
      return '#/dashboard';
    case 'agents':
      return '#/agents';
    case 'approvals':
      return '#/approvals';
    case 'settings':
      return '#/settings';
    case 'workflow':
      return `#/workflows/${encodeURIComponent(route.id)}`;
    case 'run':
      return `#/runs/${encodeURIComponent(route.id)}`;
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
  }
}

export function sameRoute(a: Route, b: Route): boolean {
  if (a.view !== b.view) return false;
  return 'id' in a ? a.id === (b as { id: string }).id : true;
}
