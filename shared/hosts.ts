import { z } from 'zod';

/**
 * Remote hosts: machines a step or an agent runs on through the user's own OpenSSH. A host is a
 * name for an `ssh://` address; its connection, host key and health are the engine's to report.
 */

/** A host's name: what a step's `host` and an agent's `host` refer to. */
export const hostNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use letters, digits, dot, dash or underscore (up to 64)');

export interface HostAddress {
  /** Empty when the address names no user: the ssh config's `User`, else the local user name. */
  user: string;
  hostname: string;
  /** Null: the ssh config's `Port`, else 22. */
  port: number | null;
  /**
   * The host's clone of the repository, where steps of runs with workspaces get their worktrees:
   * the path of git's own `ssh://host/path` URL (`~/...` for one under the remote home). Null: none.
   */
  path: string | null;
}

/**
 * Reads `ssh://[user@]host[:port]`. A bare `host` or `user@host` is what ssh itself takes, and so
 * is a name from ~/.ssh/config (its HostName, Port, User and ProxyJump apply).
 */
export function parseHostAddress(text: string): HostAddress | string {
  const trimmed = text.trim();
  const rest = trimmed.startsWith('ssh://') ? trimmed.slice('ssh://'.length) : trimmed;
  const match = /^(?:([^@/:\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@/:\s[\]]+)(?::(\d{1,5}))?(\/.*)?$/.exec(rest);
  if (!match) return `"${text}" is not an ssh address; write ssh://user@host or ssh://user@host:port`;
  // git's URL form: `ssh://host/~/repo` is under the remote home, `ssh://host/srv/repo` absolute.
  const rawPath = match[4] === undefined || match[4] === '/' ? null : match[4].startsWith('/~') ? match[4].slice(1) : match[4];
  if (rawPath !== null && !trimmed.startsWith('ssh://')) return `"${text}": a repository path goes in an ssh:// address (ssh://host${rawPath.startsWith('~') ? '/' : ''}${rawPath})`;
  const pathProblem = rawPath === null ? null : repoPathProblem(rawPath);
  if (pathProblem) return pathProblem;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65535)) return `port ${port} is out of range (1 to 65535)`;
  const hostname = match[2]!.replace(/^\[(.*)\]$/, '$1');
  if (hostname.startsWith('-') || match[1]?.startsWith('-')) return `"${text}": a host or user may not start with "-"`;
  return { user: match[1] ?? '', hostname, port, path: rawPath === null ? null : rawPath.replace(/\/+$/, '') || '/' };
}

/**
 * Why a path cannot name the host's clone, or null: it is read by the remote shell and put in git
 * URLs, so it is absolute or under the remote home (`~/...`), on one line.
 */
export function repoPathProblem(path: string): string | null {
  if (!path.startsWith('/') && path !== '~' && !path.startsWith('~/')) return `repository path "${path}" on the host must be absolute (/srv/repo) or under the home there (~/repo)`;
  if (/[\0\r\n]/.test(path)) return 'the repository path on the host may not hold a line break';
  return null;
}

/** The address as `ssh://user@host:port`, with the clone's path when it has one (git's URL for it). */
export function formatHostAddress(address: HostAddress, withPath = true): string {
  const host = address.hostname.includes(':') ? `[${address.hostname}]` : address.hostname;
  const path = withPath && address.path !== null ? (address.path.startsWith('~') ? `/${address.path}` : address.path) : '';
  return `ssh://${address.user ? `${address.user}@` : ''}${host}${address.port !== null ? `:${address.port}` : ''}${path}`;
}

export type HostStatus = 'connected' | 'disconnected' | 'unknown_key' | 'changed_key' | 'error';

export interface HostInfo {
  name: string;
  /** As given to `hosts.add`, normalised: `ssh://user@host:port`. */
  address: string;
  /**
   * The host's clone of the repository (absolute, or `~/...`): steps of a run with workspaces get
   * their worktrees there. Null: such steps cannot run on the host.
   */
  repoPath: string | null;
  status: HostStatus;
  /** Round trip of a command over the shared connection, when last measured. */
  latencyMs: number | null;
  /** Why the last connection failed, with the fix. */
  lastError: string | null;
  /**
   * The key the host presented and Photon does not know yet, for the user to compare and accept;
   * with `replaces` (status `changed_key`), the fingerprints of the key trusted before, which it
   * would take the place of.
   */
  presentedKey: { type: string; fingerprint: string; replaces?: string[] } | null;
  checkedAt: string | null;
  createdAt: string;
}

/** A tool as found on a host: enough to say whether its steps could run there. */
export interface RemoteToolInfo {
  platform: string;
  label: string;
  installed: boolean;
  path: string | null;
  version: string | null;
}
