import { statusIcon, statusLabel, type AnyStatus } from '../lib/status.js';

/** A status as a symbol and a word (never colour alone); the colour only repeats it. */
export function StatusBadge({ status }: { status: AnyStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span className="badge-icon" aria-hidden="true">
        {statusIcon(status)}
      </span>
      <span className="badge-label">{statusLabel(status)}</span>
    </span>
  );
}
