/**
 * A Photon engine for the real ACP agents: the saved agents of the suite's data folder (base URL in
 * their variables, key in the keychain as the Agents page stores it), the adapters' folders first
 * on its PATH, and what it announces collected the way the app's session view and inbox see it.
 */
import { createEngine, type Engine } from '../../electron/engine/index.js';
import type { ApprovalItem } from '../../shared/approvals.js';
import type { SessionEntry, SessionInfo } from '../../shared/sessions.js';
import { photonEnv, type RealCliContext } from './harness.js';

export interface AcpEngine {
  engine: Engine;
  /** Each session's conversation as the events built it. */
  entries(sessionId: string): SessionEntry[];
  /** Every session.entry event, in order, for what was seen while a turn ran. */
  events: { sessionId: string; index: number; entry: SessionEntry }[];
  infos: SessionInfo[];
  approvals: ApprovalItem[];
  turnsEnded(sessionId: string): number;
  lastAgentText(sessionId: string): string;
}

/**
 * Starts the engine on the suite's data folder with `photon run`'s environment (this machine's,
 * without any vendor key or endpoint: the saved agent brings them), the CLIs and adapters on PATH.
 */
export async function acpEngine(context: RealCliContext): Promise<AcpEngine> {
  const engine = await createEngine({ dataDir: context.dataDir, host: 'cli', loginShell: false, env: definedOnly(photonEnv(context, {})) });
  const conversations = new Map<string, SessionEntry[]>();
  const watch: AcpEngine = {
    engine,
    entries: (id) => conversations.get(id) ?? [],
    events: [],
    infos: [],
    approvals: [],
    turnsEnded: (id) => watch.entries(id).filter((e) => e.type === 'turn_end').length,
    lastAgentText: (id) => watch.entries(id).filter((e): e is SessionEntry & { type: 'message' } => e.type === 'message' && e.role === 'agent').at(-1)?.text ?? '',
  };
  engine.on('session.entry', (event) => {
    watch.events.push(structuredClone(event));
    const list = conversations.get(event.sessionId) ?? [];
    list[event.index] = event.entry;
    conversations.set(event.sessionId, list);
  });
  engine.on('session.updated', (info) => watch.infos.push(info));
  engine.on('approval.updated', (item) => watch.approvals.push(item));
  return watch;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Resolves once `check` holds; the real agents are slow on a loaded machine, so the limit is generous. */
export async function until(check: () => boolean, what: string, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The one request of turn number `turn` waiting in the inbox, read from the inbox as the Approvals
 * page lists it; a turn that ends without asking fails at once, with what the agent said.
 */
export async function waitingRequest(acp: AcpEngine, sessionId: string, turn: number): Promise<ApprovalItem> {
  const asked = () => acp.approvals.some((a) => a.sessionId === sessionId && a.status === 'waiting');
  await until(() => asked() || acp.turnsEnded(sessionId) >= turn, 'the permission request in the inbox');
  if (!asked()) throw new Error(`turn ${turn} ended without a permission request; the agent said: ${acp.lastAgentText(sessionId)}`);
  const waiting = (await acp.engine.call('approvals.list', { waitingOnly: true })).filter((a) => a.sessionId === sessionId);
  if (waiting.length !== 1) throw new Error(`expected one request of session ${sessionId} in the inbox, found ${waiting.length}: ${JSON.stringify(waiting)}`);
  return waiting[0]!;
}
