import { useCallback, useEffect, useState } from 'react';
import type { HostInfo } from '../../shared/hosts.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import type { Loaded } from './use-access-data.js';

/**
 * The configured hosts. The page shows the stored health at once, then connects to each host and
 * measures it (`check`), since a stored "connected" may be hours old; each change made here reads
 * them again. Nothing announces hosts, so no store slice holds them.
 */
export function useHosts(): { hosts: Loaded<HostInfo>; checking: boolean; reload(check?: boolean): Promise<void> } {
  const { client } = useServices();
  const [hosts, setHosts] = useState<Loaded<HostInfo>>({ state: 'loading' });
  const [checking, setChecking] = useState(false);
  const reload = useCallback(
    async (check = false) => {
      if (check) setChecking(true);
      try {
        setHosts({ state: 'ready', rows: await client.call('hosts.list', { check }) });
      } catch (error) {
        const body = errorBody(error);
        setHosts({ state: 'failed', message: `${body.code}: ${body.message}` });
      } finally {
        if (check) setChecking(false);
      }
    },
    [client],
  );
  useEffect(() => {
    void reload(false).then(() => reload(true));
  }, [reload]);
  return { hosts, checking, reload };
}
