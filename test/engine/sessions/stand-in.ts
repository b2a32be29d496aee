/** Starting the stand-in ACP agent (test/fixtures/acp-agent.mjs) as an engine session. */
import { join } from 'node:path';
import { AgentSession, type AgentSessionOptions, type PermissionBroker } from '../../../electron/engine/sessions/index.js';
import { repoRoot } from '../helpers.js';

export const standInAgent = join(repoRoot, 'test', 'fixtures', 'acp-agent.mjs');

let next = 0;

export function standInSession(cwd: string, permissions: PermissionBroker, options: Partial<AgentSessionOptions> & { flags?: string[] } = {}): AgentSession {
  const { flags = [], ...rest } = options;
  return new AgentSession({
    id: `session-${++next}`,
    tool: 'stand-in',
    command: process.execPath,
    args: [standInAgent, ...flags],
    cwd,
    env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') },
    permissions,
    ...rest,
  });
}

/** Resolves once `check` holds, polling; the machine is loaded, so the limit is generous. */
export async function until(check: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
