import { PhotonError } from '../../../shared/errors.js';
import type { Agent } from '../../../shared/agents.js';
import type { SessionEntry, SessionInfo, StepMode } from '../../../shared/sessions.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { ApprovalContext } from '../approvals/index.js';
import type { PermissionBroker } from '../sessions/index.js';
import type { AttemptSessionsRepository } from '../storage/index.js';
import { acpModes, type ToolRegistry } from '../tools/index.js';

/**
 * What AI steps that run as ACP sessions need from the rest of the engine, and the sessions of
 * attempts running now (their conversation is read live; an ended one from the database).
 */
export interface StepSessionsDeps {
  /** Where each tool's ACP adapter is installed (`acp` of its detection). */
  tools: ToolRegistry;
  /** The approvals inbox's broker for one step's session. */
  broker(context: ApprovalContext): PermissionBroker;
  /** Expires the requests a step's session still has waiting when the step times out. */
  expire(sessionId: string, reason: string): void;
  store: AttemptSessionsRepository;
}

/** A live step session as the registry reads and drives it. */
export interface LiveStepSession {
  readonly info: SessionInfo;
  entries(): SessionEntry[];
  /** A follow-up from the run page: sent when the turn ends, before the step finishes. */
  send(text: string): void;
  /** Stop turn from the run page: the attempt ends failed, and its retry policy applies. */
  stopTurn(): Promise<void>;
}

/** How an attempt of an AI step runs, and why, when it is not what was asked for. */
export type ModeChoice<D> = { mode: 'session'; acp: AcpFound } | { mode: 'headless'; detection: D; notice?: string };

/** The tool's ACP executable as found, and the PATH it was found on. */
export interface AcpFound {
  binaryPath: string;
  searchPath?: string;
}

export class StepSessions {
  private readonly live = new Map<string, LiveStepSession>();

  constructor(readonly deps: StepSessionsDeps) {}

  /**
   * The step's mode, else its agent's; unset, a session where the tool's ACP adapter is installed,
   * except for an agent given full autonomy: it runs headless as before, asking nothing.
   * Headless whenever the adapter is missing (`headless` finds the tool's CLI then): a step that
   * asked for a session says why it runs headless, in its log or in its error.
   */
  async choose<D>(step: WorkflowStep, agent: Agent | null, platform: string, headless: () => Promise<D>): Promise<ModeChoice<D>> {
    const asked: StepMode | undefined = step.mode ?? agent?.mode;
    let notice: string | undefined;
    const unattended = asked === undefined && agent?.autonomy === 'full';
    if (asked !== 'headless' && !unattended && acpModes[platform]) {
      const { acp: found, searchPath } = await this.deps.tools.detection(platform);
      if (found?.available && found.path) return { mode: 'session', acp: { binaryPath: found.path, searchPath } };
      notice = `${(found?.error ?? `${platform}'s ACP adapter is not installed: ${acpModes[platform].install}`).replace(/\.$/, '')}; this step runs headless instead`;
    } else if (asked === 'session') {
      notice = `${platform} has no ACP mode, so this step runs headless`;
    }
    if (asked !== 'session') notice = undefined;
    try {
      return { mode: 'headless', detection: await headless(), notice };
    } catch (error) {
      if (!notice || !(error instanceof PhotonError)) throw error;
      throw new PhotonError(error.code, `${notice}, but: ${error.message}`, error.details);
    }
  }

  add(session: LiveStepSession): void {
    this.live.set(session.info.id, session);
  }

  remove(id: string): void {
    this.live.delete(id);
  }

  /** A step session's state and conversation, live or stored; undefined when no step ran as it. */
  get(id: string): { info: SessionInfo; entries: SessionEntry[] } | undefined {
    const live = this.live.get(id);
    if (live) return { info: live.info, entries: live.entries() };
    return this.deps.store.get(id);
  }

  /** Sends a follow-up to a step's live session; undefined when `id` is not one. */
  send(id: string, text: string): SessionInfo | undefined {
    const live = this.live.get(id);
    if (!live) return this.refuseEnded(id);
    live.send(text);
    return live.info;
  }

  /** Stops the turn of a step's live session; undefined when `id` is not one. */
  async stopTurn(id: string): Promise<SessionInfo | undefined> {
    const live = this.live.get(id);
    if (!live) return this.refuseEnded(id);
    await live.stopTurn();
    return live.info;
  }

  /** A step's session ends with its attempt: closing one alone would leave the step without its agent. */
  refuseClose(id: string): void {
    if (this.live.has(id) || this.deps.store.get(id)) {
      throw new PhotonError('conflict', `session ${id} is a run step's: it ends with its step; cancel the run (runs.cancel) to stop it`);
    }
  }

  private refuseEnded(id: string): undefined {
    const stored = this.deps.store.get(id);
    if (stored) throw new PhotonError('conflict', `session ${id} has ended with its step (${stored.info.status}); resume the run to run the step again`);
    return undefined;
  }

  /** Every session a run's steps ran as, oldest attempt first; a live one as it is now. */
  forRun(runId: string): SessionInfo[] {
    return this.deps.store.forRun(runId).map((stored) => this.live.get(stored.id)?.info ?? stored);
  }
}
