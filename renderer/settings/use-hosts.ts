import { useCallback, useEffect, useRef, useState } from 'react';
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
  // A check connects to every host and can take seconds: a list read after it started (a host
  // removed or added meanwhile) is newer, and the check's answer must not put back what it replaced.
  const latest = useRef(0);
  const reload = useCallback(
    async (check = false) => {
      const asked = ++latest.current;
      if (check) setChecking(true);
      try {
        const rows = await client.call('hosts.list', { check });
        if (asked === latest.current) setHosts({ state: 'ready', rows });
      } catch (error) {
        const body = errorBody(error);
        if (asked === latest.current) setHosts({ state: 'failed', message: `${body.code}: ${body.message}` });
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
