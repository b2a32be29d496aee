/**
 * A host's clone of the repository as the workspaces reach it (workspaces' RemoteClone): shell
 * scripts there over the host's shared connection, and git's own ssh transport from here riding
 * the same connection (GIT_SSH_COMMAND is Photon's ssh with its options, so the host key check,
 * the known_hosts files and the control socket are the ones every step uses).
 */
import { formatHostAddress, type HostAddress } from '../../../shared/hosts.js';
import type { RemoteClone } from '../workspaces/index.js';
import type { HostConnection } from './connection.js';
import { quote } from './remote-script.js';
import { clientOptions, type SshSettings } from './ssh-options.js';

/** A checkout or a push of a large repository takes a while; a host that stops answering is given up at this. */
const gitTimeoutMs = 15 * 60_000;

/** RemoteClone.found of each connection, by clone path, for its current shared connection. */
const foundOver = new WeakMap<HostConnection, Map<string, { generation: number; found: RemoteClone['found'] }>>();

function foundOf(connection: HostConnection, path: string): RemoteClone['found'] {
  let byPath = foundOver.get(connection);
  if (!byPath) foundOver.set(connection, (byPath = new Map()));
  let entry = byPath.get(path);
  if (entry?.generation !== connection.generation) byPath.set(path, (entry = { generation: connection.generation, found: {} }));
  return entry.found;
}

export function remoteClone(connection: HostConnection, settings: SshSettings, address: HostAddress, path: string): RemoteClone {
  return {
    where: `host "${connection.name}"`,
    host: connection.name,
    path,
    async sh(script, args, env = {}) {
      // Only non-secret variables come here (a commit's author): they are on the host's command line.
      const exports = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}; export ${name}\n`);
      const result = await connection.run(`exec /bin/sh -c ${quote(exports.join('') + script)} photon-git ${args.map(quote).join(' ')}`, { timeoutMs: gitTimeoutMs });
      return { code: result.code, stdout: result.stdout, stderr: result.timedOut ? `${result.stderr}\ngave no answer in ${gitTimeoutMs / 60_000} minutes` : result.stderr };
    },
    url: (top) => formatHostAddress({ ...address, path: top }),
    // git runs it through a shell, so each option is quoted for one; git adds the port and the host.
    gitEnv: { GIT_SSH_COMMAND: ['ssh', ...clientOptions(settings)].map(quote).join(' '), GIT_SSH_VARIANT: 'ssh' },
    get found() {
      return foundOf(connection, path);
    },
  };
}
