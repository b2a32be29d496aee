/**
 * Liveness of agents that send heartbeats: the time of each one's last, and a watchdog that says
 * when an agent has gone quiet for `missedHeartbeatsAllowed` intervals, so its status can be
 * announced as `inactive` the moment it becomes so rather than when someone next looks.
 *
 * Kept in memory: liveness is about this engine's life. An engine that starts counts as a heartbeat
 * from every agent, which then has its allowance to send the next one.
 */
import { missedHeartbeatsAllowed, type Agent } from '../../../shared/agents.js';

export class Heartbeats {
  private readonly last = new Map<string, number>();
  private readonly watchdogs = new Map<string, NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private closed = false;

  /** `quiet`: called once when an agent passes its allowance without a heartbeat. */
  constructor(private readonly quiet: (agentId: string) => void) {}

  /** Records a heartbeat (or a save, which counts as one) and restarts the agent's watchdog. */
  beat(agent: Agent, now = Date.now()): void {
    this.last.set(agent.id, now);
    this.watch(agent);
  }

  /** Starts the watchdog of an agent that has not beaten since the engine started. */
  watch(agent: Agent): void {
    clearTimeout(this.watchdogs.get(agent.id));
    this.watchdogs.delete(agent.id);
    const allowance = allowanceMs(agent);
    if (allowance === undefined || this.closed) return;
    const due = this.lastBeat(agent.id) + allowance - Date.now();
    // A little past the allowance, so the status read in the callback is already inactive.
    const timer = setTimeout(() => {
      this.watchdogs.delete(agent.id);
      this.quiet(agent.id);
    }, Math.max(0, due) + 20);
    timer.unref();
    this.watchdogs.set(agent.id, timer);
  }

  inactive(agent: Agent, now = Date.now()): boolean {
    const allowance = allowanceMs(agent);
    return allowance !== undefined && now - this.lastBeat(agent.id) > allowance;
  }

  /** ISO time of the last heartbeat this engine received, or null. */
  lastAt(agentId: string): string | null {
    const at = this.last.get(agentId);
    return at === undefined ? null : new Date(at).toISOString();
  }

  forget(agentId: string): void {
    clearTimeout(this.watchdogs.get(agentId));
    this.watchdogs.delete(agentId);
    this.last.delete(agentId);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.watchdogs.values()) clearTimeout(timer);
    this.watchdogs.clear();
  }

  private lastBeat(agentId: string): number {
    return this.last.get(agentId) ?? this.startedAt;
  }
}

function allowanceMs(agent: Agent): number | undefined {
  return agent.heartbeatIntervalSeconds === undefined ? undefined : agent.heartbeatIntervalSeconds * 1000 * missedHeartbeatsAllowed;
}
