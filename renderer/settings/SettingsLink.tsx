import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';

/** The sidebar's way to the Settings page, marked as the current page while it is open. */
export function SettingsLink() {
  const active = usePhoton((s) => s.route.view === 'settings');
  return (
    <ul className="nav-list">
      <li className={active ? 'nav-item active' : 'nav-item'}>
        <a href={routeHref({ view: 'settings' })} aria-current={active ? 'page' : undefined}>
          <span className="nav-title">
            <span aria-hidden="true">⚙ </span>Settings
          </span>
        </a>
      </li>
    </ul>
  );
}
