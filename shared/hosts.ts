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
}

/**
 * Reads `ssh://[user@]host[:port]`. A bare `host` or `user@host` is what ssh itself takes, and so
 * is a name from ~/.ssh/config (its HostName, Port, User and ProxyJump apply).
 */
export function parseHostAddress(text: string): HostAddress | string {
  const trimmed = text.trim();
  const rest = trimmed.startsWith('ssh://') ? trimmed.slice('ssh://'.length) : trimmed;
  const match = /^(?:([^@/:\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@/:\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(rest);
  if (!match) return `"${text}" is not an ssh address; write ssh://user@host or ssh://user@host:port`;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65535)) return `port ${port} is out of range (1 to 65535)`;
  const hostname = match[2]!.replace(/^\[(.*)\]$/, '$1');
  if (hostname.startsWith('-') || match[1]?.startsWith('-')) return `"${text}": a host or user may not start with "-"`;
  return { user: match[1] ?? '', hostname, port };
}

export function formatHostAddress(address: HostAddress): string {
  const host = address.hostname.includes(':') ? `[${address.hostname}]` : address.hostname;
  return `ssh://${address.user ? `${address.user}@` : ''}${host}${address.port !== null ? `:${address.port}` : ''}`;
}

export type HostStatus = 'connected' | 'disconnected' | 'unknown_key' | 'changed_key' | 'error';

export interface HostInfo {
  name: string;
  /** As given to `hosts.add`, normalised: `ssh://user@host:port`. */
  address: string;
  status: HostStatus;
  /** Round trip of a command over the shared connection, when last measured. */
  latencyMs: number | null;
  /** Why the last connection failed, with the fix. */
  lastError: string | null;
  /** The key the host presented and Photon does not know yet, for the user to compare and accept. */
  presentedKey: { type: string; fingerprint: string } | null;
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
