import { usePhoton } from '../lib/app-context.js';
import { routeHref } from '../lib/route.js';
import { waitingApprovals } from '../store/approvals-slice.js';
import { waitingBadge } from './approval-words.js';
import './approvals.css';

/** The sidebar's way to the Approvals page, with the count of requests waiting for an answer. */
export function ApprovalsLink() {
  const active = usePhoton((s) => s.route.view === 'approvals');
  const count = usePhoton((s) => waitingApprovals(s.approvals.byId).length);
  const badge = waitingBadge(count);
  return (
    <ul className="nav-list">
      <li className={active ? 'nav-item active' : 'nav-item'}>
        <a href={routeHref({ view: 'approvals' })} aria-current={active ? 'page' : undefined}>
          <span className="nav-title">
            <span aria-hidden="true">⚑ </span>Approvals
          </span>
          {badge && (
            <span className="approvals-badge" role="status" aria-label={`${badge} for an answer`}>
              {badge}
            </span>
          )}
        </a>
      </li>
    </ul>
  );
}
