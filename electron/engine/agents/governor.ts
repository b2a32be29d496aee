import { availableParallelism } from 'node:os';
import { maxAgentsLimit, type AgentCap } from '../../../shared/agents.js';
import { PhotonError } from '../../../shared/errors.js';
import type { SettingsRepository } from '../storage/index.js';

/** Platforms that start no AI agent: a command, a person's gate, a sub-workflow (whose own steps count). */
const notAgents = new Set(['shell', 'approval', 'workflow']);

/** Whether a step run by this tool is an AI agent that counts against the cap. */
export function runsAnAgent(platform: string): boolean {
  return !notAgents.has(platform);
}

const settingName = 'maxAgents';

export interface GovernorOptions {
  /** Saved settings; without them (a test's bare AgentService) only `engineLimit` or the default applies. */
  settings?: Pick<SettingsRepository, 'get' | 'set'>;
  /** The engine's own limit (`--max-agents`): wins over the saved setting while this engine runs. */
  engineLimit?: number;
  /** This machine's CPU cores by default: past that, agents (and their tests and builds) slow each other and the laptop. */
  defaultLimit?: number;
}

/**
 * The cap on AI agents running at once across every run of the engine. An AI step holds a place
 * from the moment its attempt is launched (its tool is looked up, its secrets read) until the
 * attempt has ended, so the cap bounds processes, not just starts; places are keyed by run and
 * step (and attempt, for a fan-out's items, which run side by side), so releasing one twice frees nothing.
 */
export class AgentGovernor {
  private readonly running = new Set<string>();
  private readonly defaultLimit: number;
  /** Read once: the engine is the one that saves it, and the executor asks for it on every start. */
  private savedLimit: number | null;

  constructor(private readonly options: GovernorOptions = {}) {
    if (options.engineLimit !== undefined) checkLimit(options.engineLimit, '--max-agents');
    this.defaultLimit = options.defaultLimit ?? Math.max(1, availableParallelism());
    const value = options.settings?.get<number>(settingName);
    this.savedLimit = typeof value === 'number' && Number.isInteger(value) && value >= 1 ? Math.min(value, maxAgentsLimit) : null;
  }

  limit(): number {
    return this.options.engineLimit ?? this.saved() ?? this.defaultLimit;
  }

  hasRoom(): boolean {
    return this.running.size < this.limit();
  }

  take(runId: string, step: number, attempt?: number): void {
    this.running.add(key(runId, step, attempt));
  }

  /** Whether the step held a place (and now no longer does). */
  release(runId: string, step: number, attempt?: number): boolean {
    return this.running.delete(key(runId, step, attempt));
  }

  cap(): AgentCap {
    const saved = this.saved();
    return {
      maxAgents: this.limit(),
      source: this.options.engineLimit !== undefined ? 'engine' : saved !== null ? 'saved' : 'default',
      saved,
      defaultMaxAgents: this.defaultLimit,
      running: this.running.size,
    };
  }

  /** Saves the cap (null: back to the default). */
  save(maxAgents: number | null): AgentCap {
    if (!this.options.settings) throw new PhotonError('unavailable', 'this engine keeps no settings');
    if (maxAgents !== null) checkLimit(maxAgents, 'maxAgents');
    this.options.settings.set(settingName, maxAgents ?? undefined);
    this.savedLimit = maxAgents;
    return this.cap();
  }

  private saved(): number | null {
    return this.savedLimit;
  }
}

function checkLimit(value: number, place: string): void {
  if (!Number.isInteger(value) || value < 1 || value > maxAgentsLimit) {
    throw new PhotonError('invalid', `${place}: the number of AI agents running at once must be a whole number from 1 to ${maxAgentsLimit} (got ${value})`);
  }
}

function key(runId: string, step: number, attempt?: number): string {
  return attempt === undefined ? `${runId}\u0000${step}` : `${runId}\u0000${step}\u0000${attempt}`;
}
