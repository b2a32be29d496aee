/** Starting the stand-in ACP agent (test/fixtures/acp-agent.mjs) as an engine session. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../../electron/engine/index.js';
import { AgentSession, type AgentSessionOptions, type PermissionBroker } from '../../../electron/engine/sessions/index.js';
import { makeTempDir, repoRoot, startEngine } from '../helpers.js';

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

/**
 * An engine whose tool registry finds the stand-in agent as Claude Code's ACP adapter
 * (claude-agent-acp, first on its PATH), in a fresh temporary `root` with an empty `work` folder.
 */
export async function startEngineWithStandIn(label: string): Promise<{ root: string; work: string; engine: Engine }> {
  const root = makeTempDir(label);
  const work = join(root, 'work');
  const bin = join(root, 'bin');
  mkdirSync(work);
  mkdirSync(bin);
  const adapter = join(bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" "$@"\n`);
  chmodSync(adapter, 0o755);
  const engine = await startEngine(join(root, 'data'), { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, loginShell: false });
  return { root, work, engine };
}

/** Resolves once `check` holds, polling; the machine is loaded, so the limit is generous. */
export async function until(check: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
