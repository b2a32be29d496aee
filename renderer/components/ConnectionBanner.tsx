import { useServices, usePhoton } from '../lib/app-context.js';
import { useNow } from '../lib/use-now.js';
import './connection-banner.css';

/**
 * The lost link, said at the top of the page the user is reading (the status bar alone is easy to
 * miss): what this page shows is no longer live, and when it reconnects. Nothing while connected,
 * nor before the first connection (the page says it is loading then).
 */
export function ConnectionBanner() {
  const { actions } = useServices();
  const connection = usePhoton((s) => s.connection);
  const lost = connection.status === 'closed' || (connection.status === 'connecting' && connection.attempt > 0);
  const retrying = connection.status === 'closed' && connection.retryAt !== null;
  const now = useNow(retrying, 500);
  if (!lost) return null;

  const seconds = retrying ? Math.max(0, Math.ceil((connection.retryAt! - now) / 1000)) : null;
  const when = connection.status === 'connecting' ? 'Reconnecting now…' : seconds !== null ? `Photon reconnects by itself in ${seconds} s.` : '';
  return (
    <div className="connection-banner" role="alert">
      <p>
        <strong>Not connected to Photon.</strong> What this page shows is how things stood when the connection was lost: times are
        stopped and actions wait until it is back. {when}
      </p>
      {retrying && (
        <button type="button" className="button small" onClick={actions.reconnect}>
          Reconnect now
        </button>
      )}
    </div>
  );
}
