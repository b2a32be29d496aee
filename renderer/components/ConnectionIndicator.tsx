import { useServices, usePhoton } from '../lib/app-context.js';
import { useNow } from '../lib/use-now.js';

/** The link to the engine: a symbol and words, a countdown while it retries, and a way to retry now. */
export function ConnectionIndicator() {
  const { actions } = useServices();
  const connection = usePhoton((s) => s.connection);
  const retrying = connection.status === 'closed' && connection.retryAt !== null;
  const now = useNow(retrying, 500);

  let icon = '●';
  let text = 'Connected';
  if (connection.status === 'connecting') {
    icon = '◌';
    text = connection.attempt > 0 ? 'Reconnecting…' : 'Connecting…';
  } else if (connection.status === 'closed') {
    icon = '✕';
    const seconds = retrying ? Math.max(0, Math.ceil((connection.retryAt! - now) / 1000)) : null;
    text = `Disconnected${connection.reason ? ` (${connection.reason})` : ''}${seconds !== null ? `, retrying in ${seconds} s` : ''}`;
  }

  return (
    <span className={`status-item connection connection-${connection.status}`}>
      <span role="status" aria-live="polite">
        <span aria-hidden="true">{icon}</span> {text}
      </span>
      {retrying && (
        <button type="button" className="link-button" onClick={actions.reconnect}>
          Reconnect now
        </button>
      )}
    </span>
  );
}
