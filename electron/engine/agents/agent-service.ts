import { agentSchema, missedHeartbeatsAllowed, type Agent, type AgentCap, type AgentStats, type SavedAgent } from '../../../shared/agents.js';
import { PhotonError } from '../../../shared/errors.js';
import type { AgentHistory, AgentsRepository } from '../storage/index.js';
import { AgentGovernor, runsAnAgent } from './governor.js';
import { Heartbeats } from './heartbeats.js';
import { rankAgents, type ScoredCandidate } from './scoring.js';

/** What the run executor needs to know about the agent that runs a step. */
export interface AgentChoice {
  agent: Agent | null;
  /** The tool that runs the step: the agent's, or the step's platform when no saved agent applies. */
  platform: string;
  /** Written into the run: which agent and why. */
  note: string;
}

export interface AgentServiceOptions {
  repo: AgentsRepository;
  /** Whether a platform's tool is installed; an agent whose tool is missing is unavailable. */
  toolUsable: (platform: string) => boolean;
  /** What is wrong with a platform's tool (missing, too old), as detection said it. */
  toolProblem?: (platform: string) => string | null;
  /** An agent's status or record changed (a step started or ended on it, it was saved). */
  changed?: (agentId: string) => void;
  deleted?: (agentId: string) => void;
  /** A step ended on an agent, or an AI step ended (null): steps waiting for one of its slots, or for the cap, may start now. */
  slotFreed?: (agentId: string | null) => void;
  /** The cap on AI agents running at once across all runs; unlimited without one. */
  governor?: AgentGovernor;
}

/** Why a ready step cannot start now: its agent has no free slot, or the engine runs as many AI agents as it may. */
export type HeldBack = 'agent' | 'agent-cap';

/** Saved agents, their live load, their record, and picking one for a step. */
export class AgentService {
  private readonly running = new Map<string, { runId: string; step: number; attempt?: number }[]>();
  private readonly lastError = new Map<string, string>();
  private readonly heartbeats: Heartbeats;
  readonly governor: AgentGovernor;

  constructor(private readonly options: AgentServiceOptions) {
    this.governor = options.governor ?? new AgentGovernor({ defaultLimit: Number.MAX_SAFE_INTEGER });
    // Going quiet changes an agent's status, so it is announced like any other change.
    this.heartbeats = new Heartbeats((agentId) => this.options.changed?.(agentId));
    for (const agent of this.list()) this.heartbeats.watch(agent);
  }

  list(): SavedAgent[] {
    return this.options.repo.list().map(toSaved);
  }

  get(id: string): SavedAgent {
    const row = this.options.repo.get(id);
    if (!row) throw new PhotonError('not_found', `no agent "${id}"`);
    return toSaved(row);
  }

  find(id: string): Agent | undefined {
    const row = this.options.repo.get(id);
    return row ? toSaved(row) : undefined;
  }

  save(raw: unknown): { id: string } {
    const parsed = agentSchema.safeParse(raw);
    if (!parsed.success) {
      // Each issue keeps its place apart from its words, so a form can put it on the field it names.
      const issues = parsed.error.issues.map((i) => ({ path: `agent${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: i.message }));
      throw new PhotonError('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
    }
    const now = new Date().toISOString();
    const existing = this.options.repo.get(parsed.data.id);
    this.options.repo.upsert({ id: parsed.data.id, definition: JSON.stringify(parsed.data), createdAt: existing?.createdAt ?? now, updatedAt: now });
    // Registering is the agent's first sign of life; a changed interval applies from now.
    this.heartbeats.beat(parsed.data);
    this.options.changed?.(parsed.data.id);
    // A larger maxConcurrentSteps may let waiting steps start.
    this.options.slotFreed?.(parsed.data.id);
    return { id: parsed.data.id };
  }

  delete(id: string): boolean {
    if ((this.running.get(id)?.length ?? 0) > 0) throw new PhotonError('conflict', `agent "${id}" is running a step; wait for it or cancel the run`);
    const deleted = this.options.repo.delete(id);
    this.heartbeats.forget(id);
    if (deleted) this.options.deleted?.(id);
    return deleted;
  }

  /**
   * The agent for a step: a saved agent by id; for `"auto"`, the best-scoring agent for the
   * capabilities the step requires; otherwise the step's platform with default settings.
   */
  choose(step: { agent?: string; platform: string; requires?: string[] }): AgentChoice {
    if (step.agent === 'auto') {
      const ranked = this.rank(step.requires ?? []);
      const best = ranked[0];
      if (!best) throw new PhotonError('invalid', `no saved agent can run this step ("agent": "auto"): add an agent with the capabilities ${JSON.stringify(step.requires ?? [])} and an installed tool`);
      const agent = this.find(best.agentId)!;
      const others = ranked.slice(1, 4).map((c) => `${c.agentId} ${c.score.toFixed(3)}`).join(', ');
      return { agent, platform: agent.tool, note: `picked agent "${agent.id}" (${best.why})${others ? `; next: ${others}` : ''}` };
    }
    const saved = step.agent ? this.find(step.agent) : undefined;
    if (saved) return { agent: saved, platform: saved.tool, note: `agent "${saved.id}" (${saved.name}) with ${saved.tool}` };
    return {
      agent: null,
      platform: step.platform,
      note: step.agent
        ? `"${step.agent}" is not a saved agent: ran ${step.platform} with its default settings`
        : `no agent named: ran ${step.platform} with its default settings`,
    };
  }

  rank(requires: readonly string[]): ScoredCandidate[] {
    const histories = this.options.repo.histories();
    return rankAgents(
      this.list().map((agent) => ({
        agent,
        history: histories.get(agent.id),
        running: this.running.get(agent.id)?.length ?? 0,
        // An agent that stopped sending heartbeats may be gone: not a candidate until it sends one.
        usable: this.options.toolUsable(agent.tool) && !this.heartbeats.inactive(agent),
      })),
      requires,
    );
  }

  /** The agent's process is alive: an inactive agent is active again. */
  heartbeat(id: string): AgentStats {
    const agent = this.get(id);
    if (agent.heartbeatIntervalSeconds === undefined) {
      throw new PhotonError('invalid', `agent "${id}" has no heartbeatIntervalSeconds; set one (seconds between heartbeats) to have its liveness watched`);
    }
    const wasInactive = this.heartbeats.inactive(agent);
    this.heartbeats.beat(agent);
    if (wasInactive) this.options.changed?.(id);
    return this.statsOf(id)!;
  }

  /** Stops the heartbeat watchdogs (the engine is closing). */
  close(): void {
    this.heartbeats.close();
  }

  /** Tells listeners an agent's status may have changed (its tool was looked up again). */
  announce(agentId: string): void {
    this.options.changed?.(agentId);
  }

  /** Saves the cap on running AI agents; a higher one lets waiting steps start at once. */
  saveCap(maxAgents: number | null): AgentCap {
    const cap = this.governor.save(maxAgents);
    this.options.slotFreed?.(null);
    return cap;
  }

  /** Whether a step can start now on this choice, and if not, what it waits for. */
  heldBack(choice: AgentChoice): HeldBack | null {
    if (choice.agent && !this.hasSlot(choice.agent)) return 'agent';
    if (runsAnAgent(choice.platform) && !this.governor.hasRoom()) return 'agent-cap';
    return null;
  }

  /**
   * An attempt was launched: it holds its agent's slot (if any) and, run by an AI tool, a place under
   * the cap. `attempt` tells apart attempts of one step that run at once (a fan-out's items).
   */
  started(agentId: string | null, runId: string, step: number, platform?: string, attempt?: number): void {
    if (platform !== undefined && runsAnAgent(platform)) this.governor.take(runId, step, attempt);
    if (agentId === null) return;
    const list = this.running.get(agentId) ?? [];
    list.push({ runId, step, attempt });
    this.running.set(agentId, list);
    this.options.changed?.(agentId);
  }

  /** The attempt ended: its slot and its place under the cap are free. */
  finished(agentId: string | null, runId: string, step: number, error: string | null, attempt?: number): void {
    const heldPlace = this.governor.release(runId, step, attempt);
    if (agentId === null) {
      if (heldPlace) this.options.slotFreed?.(null);
      return;
    }
    const list = (this.running.get(agentId) ?? []).filter((r) => !(r.runId === runId && r.step === step && r.attempt === attempt));
    this.running.set(agentId, list);
    if (error) this.lastError.set(agentId, error);
    else this.lastError.delete(agentId);
    this.options.changed?.(agentId);
    this.options.slotFreed?.(agentId);
  }

  /** Whether the agent has a free slot for one more step. */
  hasSlot(agent: Agent): boolean {
    return (this.running.get(agent.id)?.length ?? 0) < agent.maxConcurrentSteps;
  }

  /** One agent's stats; undefined once it is deleted. */
  /** One agent's stats, reading only its own record (this runs on every step it starts or ends). */
  statsOf(agentId: string): AgentStats | undefined {
    const agent = this.find(agentId);
    return agent && this.statsFor(agent, this.options.repo.histories(agentId).get(agentId));
  }

  stats(): AgentStats[] {
    const histories = this.options.repo.histories();
    return this.list().map((agent) => this.statsFor(agent, histories.get(agent.id)));
  }

  private statsFor(agent: Agent, history: AgentHistory | undefined): AgentStats {
    const running = this.running.get(agent.id) ?? [];
    const finished = history ? history.succeeded + history.failed : 0;
    const usable = this.options.toolUsable(agent.tool);
    const error = this.lastError.get(agent.id) ?? null;
    const inactive = this.heartbeats.inactive(agent);
    const quiet = `no heartbeat for ${agent.heartbeatIntervalSeconds! * missedHeartbeatsAllowed} s (one every ${agent.heartbeatIntervalSeconds} s expected)`;
    return {
      agentId: agent.id,
      status: !usable ? 'unavailable' : inactive ? 'inactive' : running.length > 0 ? 'busy' : error ? 'error' : 'idle',
      reason: !usable ? (this.options.toolProblem?.(agent.tool) ?? `${agent.tool} is not installed or too old; see Detect tools`) : inactive ? quiet : error,
      running: running.map(({ runId, step }) => ({ runId, step })),
      stepsDone: history?.finished ?? 0,
      succeeded: history?.succeeded ?? 0,
      failed: history?.failed ?? 0,
      successRate: finished > 0 ? history!.succeeded / finished : null,
      averageDurationMs: history && history.finished > 0 ? Math.round(history.totalDurationMs / history.finished) : null,
      costUsd: history?.costUsd ?? 0,
      tokens: { input: history?.inputTokens ?? 0, output: history?.outputTokens ?? 0 },
      ...(agent.heartbeatIntervalSeconds !== undefined ? { lastHeartbeatAt: this.heartbeats.lastAt(agent.id) } : {}),
    };
  }
}

function toSaved(row: { definition: string; createdAt: string; updatedAt: string }): SavedAgent {
  return { ...(JSON.parse(row.definition) as Agent), createdAt: row.createdAt, updatedAt: row.updatedAt };
}
