import { useEffect, useState } from 'react';
import type { HostInfo } from '../../shared/hosts.js';
import { errorBody } from '../sync/report-error.js';
import { useServices } from './app-context.js';

/**
 * The configured remote hosts, for a "Runs on" picker: read once as stored, without connecting to
 * each (Settings → Remote hosts checks them). `hosts` is null until read.
 */
export function useHostChoices(): { hosts: HostInfo[] | null; problem: string | null } {
  const { client } = useServices();
  const [hosts, setHosts] = useState<HostInfo[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('hosts.list').then(
      (rows) => live && setHosts(rows),
      (error: unknown) => live && setProblem(errorBody(error).message),
    );
    return () => {
      live = false;
    };
  }, [client]);
  return { hosts, problem };
}
