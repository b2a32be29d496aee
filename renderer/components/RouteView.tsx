import { useEffect, useRef } from 'react';
import { usePhoton } from '../lib/app-context.js';
import { HomeView } from './HomeView.js';
import { RunView } from './RunView.js';
import { WorkflowView } from './WorkflowView.js';

/** The main area for the route in the URL hash; moving to another view moves focus to its title. */
export function RouteView() {
  const route = usePhoton((s) => s.route);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    return () => cancelAnimationFrame(frame);
  }, [route]);

  switch (route.view) {
    case 'home':
      return <HomeView />;
    case 'workflow':
      return <WorkflowView key={route.id} id={route.id} />;
    case 'run':
      return <RunView key={route.id} runId={route.id} />;
  }
}
