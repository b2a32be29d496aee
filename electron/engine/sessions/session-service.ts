import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { SessionEntry, SessionInfo } from '../../../shared/sessions.js';
import { AgentSession, type PermissionBroker } from './agent-session.js';
import type { TextRedactor } from './conversation.js';

/** How a tool's ACP agent is started, as the tool registry resolves it. */
export interface AcpLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  authMethod?: string;
  startTimeoutMs: number;
  /** The agent's model, selected over ACP once the session exists (AgentSessionOptions.model). */
  model?: string;
}

/** A standalone session's agent, as the tool registry and the saved agent resolve it. */
export interface StandaloneLaunch extends AcpLaunch {
  /** The tool the agent runs through (the saved agent's, when there is one). */
  tool: string;
  /** The saved agent's name, when the session is one of an agent's. */
  agentName?: string;
  /** Hides the secrets in `env` from the conversation. */
  redactor?: TextRedactor;
  /** Removes what was made for the session; called once, when it has ended or could not start. */
  cleanup?: () => Promise<void>;
}

export interface StandaloneSessionRequest {
  /** A tool with an ACP mode, run with the inherited environment; or the saved agent's with `agentId`. */
  tool?: string;
  /** A saved agent: its tool, variables and secrets, and its rules. */
  agentId?: string;
  cwd: string;
  /** Whose rules apply, for a session without `agentId`. */
  agentName?: string;
}

export interface SessionServiceDeps {
  /** Resolves the ACP command, or throws `unavailable` saying how to install it. */
  launch(request: { tool?: string; agentId?: string }): Promise<StandaloneLaunch>;
  /** The approvals inbox's broker for a session of this tool and agent in this folder. */
  broker(context: { tool: string; agentName?: string; cwd: string }): PermissionBroker;
  updated(info: SessionInfo): void;
  entry(sessionId: string, index: number, entry: SessionEntry): void;
}

/** Live sessions at once: each is an agent process with its model's context behind it. */
const maxLiveSessions = 32;
/** Ended sessions kept for their views; older ones are forgotten (steps keep theirs with the attempt). */
const maxEndedSessions = 50;

/**
 * Standalone sessions ("New session" with an agent, structured): started, prompted, cancelled and
 * closed through the contract, their conversation announced entry by entry, their permission
 * requests in the approvals inbox.
 */
export class SessionService {
  private readonly sessions = new Map<string, AgentSession>();
  /** Sessions' cleanups under way, which closing the service waits for. */
  private readonly cleanups = new Set<Promise<void>>();

  constructor(private readonly deps: SessionServiceDeps) {}

  /** Starts the agent and its ACP session; resolves once it is ready for a prompt. */
  async start(request: StandaloneSessionRequest): Promise<SessionInfo> {
    const live = [...this.sessions.values()].filter((s) => !isOver(s.info.status)).length;
    if (live >= maxLiveSessions) throw new PhotonError('conflict', `${live} sessions are open, Photon's limit: close one first`);
    if (!isAbsolute(request.cwd) || !statSync(request.cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw new PhotonError('invalid', `cwd: ${request.cwd} is not a folder; give the absolute path of the folder the agent works in`);
    }
    const launch = await this.deps.launch({ tool: request.tool, agentId: request.agentId });
    const { tool } = launch;
    const agentName = launch.agentName ?? request.agentName;
    const id = randomUUID();
    const session = new AgentSession({
      id,
      tool,
      agentName,
      cwd: request.cwd,
      command: launch.command,
      args: launch.args,
      env: launch.env,
      authMethod: launch.authMethod,
      model: launch.model,
      startTimeoutMs: launch.startTimeoutMs,
      redactor: launch.redactor,
      permissions: this.deps.broker({ tool, agentName, cwd: request.cwd }),
    });
    let cleanup = launch.cleanup;
    session.subscribe({
      info: (info) => {
        if (isOver(info.status) && cleanup) {
          // Once its processes are gone: codex-acp writes into its own home until it exits.
          const done = cleanup;
          cleanup = undefined;
          const cleaning = session
            .close()
            .finally(() => done())
            .catch(() => undefined);
          this.cleanups.add(cleaning);
          void cleaning.then(() => this.cleanups.delete(cleaning));
        }
        this.deps.updated(info);
      },
      entry: (index, entry) => this.deps.entry(id, index, entry),
    });
    this.sessions.set(id, session);
    this.forgetOldest();
    try {
      await session.start();
    } catch (error) {
      throw new PhotonError('unavailable', `the ${tool} session could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return session.info;
  }

  /** Sends a prompt; while a turn runs it is queued. Resolves at once with the session's state. */
  send(id: string, text: string): SessionInfo {
    const session = this.require(id);
    const { status, error } = session.info;
    if (isOver(status)) throw new PhotonError('conflict', `session ${id} has ${status === 'failed' ? `failed (${error})` : 'ended'}: start a new one`);
    // The turn's end (or the session's failure) arrives as events; the call does not wait for it.
    session.send(text).catch(() => undefined);
    return session.info;
  }

  async cancel(id: string): Promise<SessionInfo> {
    const session = this.require(id);
    await session.cancel().catch(() => undefined);
    return session.info;
  }

  async close(id: string): Promise<SessionInfo> {
    const session = this.require(id);
    await session.close();
    return session.info;
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info).sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): { info: SessionInfo; entries: SessionEntry[] } {
    const session = this.require(id);
    return { info: session.info, entries: structuredClone(session.conversation.entries) };
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close().catch(() => undefined)));
    await Promise.all(this.cleanups);
  }

  private require(id: string): AgentSession {
    const session = this.sessions.get(id);
    if (!session) throw new PhotonError('not_found', `no session ${id}: it was never started here, or Photon has forgotten it since it ended`);
    return session;
  }

  private forgetOldest(): void {
    const ended = [...this.sessions.values()].filter((s) => isOver(s.info.status)).sort((a, b) => (a.info.endedAt ?? 0) - (b.info.endedAt ?? 0));
    for (const session of ended.slice(0, Math.max(0, ended.length - maxEndedSessions))) this.sessions.delete(session.info.id);
  }
}

function isOver(status: SessionInfo['status']): boolean {
  return status === 'ended' || status === 'failed';
}
