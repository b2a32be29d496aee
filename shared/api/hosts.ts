import { z } from 'zod';
import { hostNameSchema, type HostInfo, type RemoteToolInfo } from '../hosts.js';
import { lazyMethods, returns } from './schema.js';

/** Remote hosts over OpenSSH: name, check, trust, and the tools found there. */
export const hostMethods = lazyMethods({
  /** Remote hosts with their health; with `check`, each connection is made and measured first. */
  'hosts.list': { params: () => z.object({ check: z.boolean().optional() }).strict().optional(), result: returns<HostInfo[]>() },
  /**
   * Names an `ssh://user@host[:port]` address (or a name from ~/.ssh/config) for steps and agents;
   * `repoPath`: the host's clone of the repository, where steps with workspaces get their worktrees.
   */
  'hosts.add': { params: () => z.object({ name: hostNameSchema, address: z.string().min(1).max(1000), repoPath: z.string().max(1000).optional() }).strict(), result: returns<HostInfo>() },
  /** Sets where the host's clone of the repository is (absolute or `~/...`); null clears it. */
  'hosts.setRepoPath': { params: () => z.object({ name: hostNameSchema, repoPath: z.string().max(1000).nullable() }).strict(), result: returns<HostInfo>() },
  'hosts.remove': { params: () => z.object({ name: hostNameSchema }).strict(), result: returns<{ removed: boolean }>() },
  /**
   * Without a fingerprint: the host key the host presents, to compare. With one: accepts that key if
   * the host still presents it (a key already known as another one is refused: it changed). With
   * `replace`, the user's deliberate answer to a changed key: that key takes the old one's place.
   */
  'hosts.trust': {
    params: () => z
      .object({ name: hostNameSchema, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/=]+$/, 'must be a SHA256:... fingerprint').optional(), replace: z.boolean().optional() })
      .strict()
      .refine((params) => !params.replace || params.fingerprint !== undefined, { message: 'replace needs the fingerprint of the new key', path: ['fingerprint'] }),
    result: returns<{ trusted: boolean; type: string; fingerprint: string }>(),
  },
  /** The AI tools found on a host, over its connection. */
  'hosts.tools': { params: () => z.object({ name: hostNameSchema }).strict(), result: returns<RemoteToolInfo[]>() },
});
