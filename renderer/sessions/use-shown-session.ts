import { useEffect } from 'react';
import { usePhoton, useServices } from '../lib/app-context.js';
import type { ShownSession } from '../store/sessions-slice.js';
import { loadSession } from '../sync/sessions-sync.js';

const reading = new Set<string>();

/** A session for a view: read whole when the view has none yet or its events had a gap. */
export function useShownSession(id: string | null): ShownSession | undefined {
  const { client, store } = useServices();
  const session = usePhoton((s) => (id ? s.sessions[id] : undefined));
  const needsReading = id !== null && (!session || session.stale);
  const connected = usePhoton((s) => s.connection.status === 'open');
  useEffect(() => {
    if (!id || !needsReading || !connected || reading.has(id)) return;
    reading.add(id);
    void loadSession(client, store, id).finally(() => reading.delete(id));
  }, [client, store, id, needsReading, connected]);
  return session;
}
