import { useCallback, useEffect, useState } from 'react';
import type { ApiKeyInfo, AuditEntry } from '../../shared/access.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

/** What a list shows: the rows, or why they could not be read. */
export type Loaded<T> = { state: 'loading' } | { state: 'ready'; rows: T[] } | { state: 'failed'; message: string };

/**
 * Keys and the audit log are read when the page opens and after each change made here; nothing
 * else announces them (a key made by the CLI shows after Refresh), so no store slice holds them.
 */
function useList<T>(read: () => Promise<T[]>): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ state: 'ready', rows: await read() });
    } catch (error) {
      const body = errorBody(error);
      setLoaded({ state: 'failed', message: `${body.code}: ${body.message}` });
    }
  }, [read]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [loaded, reload];
}

export function useApiKeys(): [Loaded<ApiKeyInfo>, () => Promise<void>] {
  const { client } = useServices();
  return useList(useCallback(() => client.call('keys.list'), [client]));
}

/** The newest entries of the audit log (the export takes the whole log, page by page). */
export const shownAuditEntries = 200;

export function useAuditLog(): [Loaded<AuditEntry>, () => Promise<void>] {
  const { client } = useServices();
  return useList(useCallback(() => client.call('audit.list', { limit: shownAuditEntries }), [client]));
}
