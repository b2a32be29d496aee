import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';

/** The sidebar's way to the dashboard, marked as the current page while it is open. */
export function DashboardLink() {
  const active = usePhoton((s) => s.route.view === 'dashboard');
  return (
    <ul className="nav-list">
      <li className={active ? 'nav-item active' : 'nav-item'}>
        <a href={routeHref({ view: 'dashboard' })} aria-current={active ? 'page' : undefined}>
          <span className="nav-title">
            <span aria-hidden="true">▦ </span>Dashboard
          </span>
        </a>
      </li>
    </ul>
  );
}
