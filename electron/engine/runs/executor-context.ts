import type { AgentService } from '../agents/index.js';
import type { EventBus } from '../events/index.js';
import type { HostService } from '../hosts/index.js';
import type { SecretService } from '../secrets/index.js';
import type { RunsRepository } from '../storage/index.js';
import type { TerminalManager } from '../terminals/index.js';
import type { ToolRegistry } from '../tools/index.js';
import type { RunWorkspaces } from '../workspaces/index.js';
import type { BudgetAsks } from './budget-asks.js';
import type { SpendSource } from './budget-scopes.js';
import type { ChildRuns } from './child-runs.js';
import type { GateInbox } from './gate-step.js';
import type { StepSessions } from './step-sessions.js';

/** What a run's executor works with: the engine's services, shared by every run. */
export interface ExecutorContext {
  repo: RunsRepository;
  events: EventBus;
  tools: ToolRegistry;
  /** Which agent runs a step, its free slots, its record. */
  agents: AgentService;
  /** Read right before a process starts, into its environment only. */
  secrets: SecretService;
  /** Attempts run as terminals, so a running step can be watched and answered from the UI. */
  terminals: TerminalManager;
  dataDir: string;
  /** The environment every step starts from. */
  baseEnv: Record<string, string>;
  /** SIGTERM-to-SIGKILL grace when a step is killed. */
  killGraceMs: number;
  /** The run's git worktrees (a no-op without isolation): each attempt's folder, its commit, the run's result branch. */
  workspaces: RunWorkspaces;
  /** AI steps that run as ACP sessions: the adapters, the approvals inbox, their conversations. */
  sessions: StepSessions;
  /** Steps placed on remote hosts (a step's `host`, a remote agent's): the attempt's ssh and its stopping. */
  hosts: HostService;
  /** Approval gates (`"platform": "approval"`) wait in the approvals inbox. */
  gates: GateInbox;
  /** Questions about budgets in the approvals inbox, one per budget, shared by every run. */
  budgets: BudgetAsks;
  /** What runs and agents spent so far, for their budgets. */
  spend: SpendSource;
  /** Sub-workflow steps (`"platform": "workflow"`) run their workflow as a child run. */
  children: ChildRuns;
}
