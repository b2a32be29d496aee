import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';

/** The sidebar's way to the Agents page, marked as the current page while it is open. */
export function AgentsLink() {
  const active = usePhoton((s) => s.route.view === 'agents');
  return (
    <ul className="nav-list">
      <li className={active ? 'nav-item active' : 'nav-item'}>
        <a href={routeHref({ view: 'agents' })} aria-current={active ? 'page' : undefined}>
          <span className="nav-title">
            <span aria-hidden="true">◎ </span>Agents
          </span>
        </a>
      </li>
    </ul>
  );
}
