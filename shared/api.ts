import { z } from 'zod';
import { auditListParams, keyCreateParams, keyRevokeParams, type ApiKeyInfo, type AuditEntry, type CreatedApiKey } from './access.js';
import { remoteAccessSettingsSchema, type RemoteAccessState, type RemoteConfigureResult } from './remote-access.js';
import { maxAgentsLimit, type AgentCap, type AgentStats, type SavedAgent } from './agents.js';
import { approvalAnswers, approvalRuleSchema, ruleScopes, type ApprovalAnswerResult, type ApprovalItem, type ApprovalRule } from './approvals.js';
import type { ErrorBody } from './errors.js';
import { hostNameSchema, type HostInfo, type RemoteToolInfo } from './hosts.js';
import { metricNames, type MetricSeries, type MetricsSnapshot } from './metrics.js';
import { runStatuses, type RunDetail, type RunSummary, type RunTimeline, type StepDetail, type StepState } from './runs.js';
import { scheduleAddParams, triggerAddParams, type CreatedTrigger, type ScheduleInfo, type TriggerInfo } from './schedules.js';
import type { SessionEntry, SessionInfo } from './sessions.js';
import type { TerminalInfo } from './terminals.js';
import type { ToolDetection } from './tools.js';
import type { Workflow } from './workflow.js';
import {
  mergeStrategies,
  type MergeOutcome,
  type MergeTargets,
  type PullRequestOutcome,
  type RemovedWorkspaces,
  type SetupScriptInfo,
  type WorkspaceDiff,
  type WorkspacesUsage,
} from './workspace-review.js';
import { isolationModes, type RunWorkspace } from './workspaces.js';

/**
 * The one contract between the engine and every client (the renderer over IPC or WebSocket,
 * the CLI in-process). Each method names its params schema, validated at every host boundary,
 * and its result type; each event names its payload type. Nothing else declares a channel name.
 */

/** Marks a result or payload type without a runtime schema: results come from the engine, which is trusted. */
function returns<T>(): T {
  return undefined as T;
}

const id = z.string().min(1).max(200);
const noParams = z.object({}).strict().optional();
/** Epoch milliseconds of a date JavaScript can hold (a later one would fail deep inside the engine, not here). */
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000, 'must be epoch milliseconds no later than the year 275760');
/** A keychain entry's name: also how agents refer to it. */
const secretName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, dot, dash or underscore (up to 128)');

/** Which workflow and repository a setup script question is about: as runs.start names them. */
const setupParams = z
  .object({
    workflowId: id.optional(),
    workflow: z.unknown().optional(),
    baseDir: z.string().min(1).max(4096).optional(),
    workspace: z.object({ repo: z.string().min(1).max(4096).optional(), base: z.string().min(1).max(1000).optional() }).strict().optional(),
  })
  .strict();

export const methods = {
  /** Saved workflows, most recently updated first. */
  'workflows.list': { params: noParams, result: returns<WorkflowSummary[]>() },
  'workflows.get': { params: z.object({ id }).strict(), result: returns<SavedWorkflow>() },
  /** Creates (no id) or replaces (with id) a workflow; an invalid definition is refused with its issues. */
  'workflows.save': {
    params: z.object({ id: id.optional(), workflow: z.unknown() }).strict(),
    result: returns<{ id: string }>(),
  },
  'workflows.delete': { params: z.object({ id }).strict(), result: returns<{ deleted: boolean }>() },
  /** Pinned workflows are offered first in the tray and the sidebar. */
  'workflows.pin': { params: z.object({ id, pinned: z.boolean() }).strict(), result: returns<{ pinned: boolean }>() },
  /** Checks a definition without saving it; the same checks the engine makes before a run. */
  'workflows.validate': {
    params: z.object({ workflow: z.unknown() }).strict(),
    result: returns<{ ok: boolean; issues: { path: string; message: string }[] }>(),
  },

  /** Starts a saved workflow (`workflowId`) or a definition given inline (`workflow`). */
  'runs.start': {
    params: z
      .object({
        workflowId: id.optional(),
        workflow: z.unknown().optional(),
        concurrency: z.number().int().min(1).max(64).optional(),
        /** Folder that relative step folders resolve against; the user's home when absent. */
        baseDir: z.string().min(1).max(4096).optional(),
        /**
         * Runs only some steps: `only` the steps named, or `from` them on (they and every step
         * after them). Steps before them take their outputs from `outputsFrom` (by default the
         * workflow's latest run), where they must have succeeded; the rest are skipped.
         */
        steps: z
          .object({
            steps: z.array(z.number().int().min(1)).min(1).max(10_000),
            mode: z.enum(['only', 'from']),
            outputsFrom: id.optional(),
          })
          .strict()
          .optional(),
        /**
         * Each step in its own git worktree, whatever the workflow's `workspace` says: `repo`
         * relative to `baseDir` (the workflow's own, else `baseDir` itself), `base` a branch, tag or
         * commit (the workflow's, else the repository's current branch).
         */
        workspace: z
          .object({ isolation: z.enum(isolationModes), repo: z.string().min(1).max(4096).optional(), base: z.string().min(1).max(1000).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine((p) => (p.workflowId === undefined) !== (p.workflow === undefined), {
        message: 'give exactly one of workflowId or workflow',
      }),
    result: returns<{ runId: string }>(),
  },
  'runs.get': { params: z.object({ runId: id }).strict(), result: returns<RunDetail>() },
  /**
   * Runs, newest first: `status` any of those given, created in `since`..`until` (epoch ms, `until`
   * excluded), after skipping `offset` of them (pages).
   */
  'runs.list': {
    params: z
      .object({
        limit: z.number().int().min(1).max(1000).optional(),
        workflowId: id.optional(),
        status: z.array(z.enum(runStatuses)).min(1).max(runStatuses.length).optional(),
        since: epochMs.optional(),
        until: epochMs.optional(),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    result: returns<RunSummary[]>(),
  },
  'runs.cancel': { params: z.object({ runId: id }).strict(), result: returns<{ cancelled: boolean }>() },
  /**
   * Changes a run's priority, deadline (an ISO 8601 date; null removes it) or metadata, kept in its
   * definition as a workflow file holds them. A running run is cancelled when its deadline passes.
   */
  'runs.update': {
    params: z
      .object({
        runId: id,
        priority: z.string().min(1).max(50).optional(),
        deadline: z.string().min(1).max(100).nullable().optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    result: returns<RunDetail>(),
  },
  /**
   * Re-runs the steps of an ended run that did not succeed, keeping the outputs of those that did.
   * `definition: 'saved'` resumes with the workflow as saved since the run started: unfinished steps
   * run as it now defines them, and succeeded steps run again only when they or a step they depend
   * on changed. The default, `'run'`, keeps the run's own definition.
   */
  'runs.resume': {
    params: z.object({ runId: id, definition: z.enum(['run', 'saved']).optional() }).strict(),
    result: returns<{ runId: string }>(),
  },
  /** Stops every running run. */
  'runs.cancelAll': { params: noParams, result: returns<{ cancelled: number }>() },
  /** Every attempt of every step, retries included, in start order: the run's Gantt chart. */
  'runs.timeline': { params: z.object({ runId: id }).strict(), result: returns<RunTimeline>() },
  'steps.get': {
    params: z.object({ runId: id, step: z.number().int().min(1) }).strict(),
    result: returns<StepDetail>(),
  },

  /**
   * What a run with workspaces changed: a step's latest attempt against its starting point (`step`),
   * or the run's result against its base; per-file stats and, unless `stat`, the unified diff.
   */
  'workspaces.diff': {
    params: z.object({ runId: id, step: z.number().int().min(1).optional(), stat: z.boolean().optional() }).strict(),
    result: returns<WorkspaceDiff>(),
  },
  /**
   * Merges an ended run's result into a branch (`into`, the run's base branch by default), then
   * removes the run's worktrees and branches. Only that branch moves; a working tree that has it
   * checked out is fast-forwarded, and refused when the merge would touch its uncommitted changes.
   * `dryRun` says what it would do and changes nothing.
   */
  'workspaces.merge': {
    params: z.object({ runId: id, into: z.string().min(1).max(255).optional(), strategy: z.enum(mergeStrategies), dryRun: z.boolean().optional() }).strict(),
    result: returns<MergeOutcome>(),
  },
  /** The branches of the run's repository that its result can be merged into. */
  'workspaces.branches': { params: z.object({ runId: id }).strict(), result: returns<MergeTargets>() },
  /** Pushes the run's result branch to the repository's GitHub remote and opens a pull request with `gh` (against `base`, the run's base by default). */
  'workspaces.pullRequest': {
    params: z.object({ runId: id, base: z.string().min(1).max(255).optional(), title: z.string().min(1).max(256).optional() }).strict(),
    result: returns<PullRequestOutcome>(),
  },
  /** Removes an ended run's worktrees and the branches Photon made for it. */
  'workspaces.discard': { params: z.object({ runId: id }).strict(), result: returns<RemovedWorkspaces>() },
  /** The disk space Photon's worktrees take, by run. */
  'workspaces.usage': { params: noParams, result: returns<WorkspacesUsage>() },
  /** Removes the worktrees of ended runs (those named, else all), keeping their branches so results stay reviewable. */
  'workspaces.cleanup': { params: z.object({ runIds: z.array(id).min(1).max(1000).optional() }).strict().optional(), result: returns<RemovedWorkspaces>() },
  /** Removes every worktree and branch Photon made for runs that are not running, and nothing else. */
  'workspaces.prune': { params: noParams, result: returns<RemovedWorkspaces>() },
  /** The setup script a run of this workflow would run in each new worktree, and whether it is trusted (null when there is none). */
  'workspaces.setupScript': { params: setupParams, result: returns<SetupScriptInfo | null>() },
  /** Trusts that setup script, pinned to its sha256: refused when the script no longer has the hash the user was shown. */
  'workspaces.trustSetup': {
    params: setupParams.safeExtend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex (64 characters)') }),
    result: returns<SetupScriptInfo>(),
  },

  /**
   * Opens a terminal: the user's shell in a folder, a command in it, or an AI tool's interactive
   * session (`tool` with its default settings, or `agentId` with that agent's model, environment
   * and secrets).
   */
  'terminals.create': {
    params: z
      .object({
        cwd: z.string().min(1).max(4096).optional(),
        command: z.string().min(1).max(100_000).optional(),
        tool: z.string().min(1).max(64).optional(),
        agentId: id.optional(),
        title: z.string().max(200).optional(),
        cols: z.number().int().min(2).max(1000).optional(),
        rows: z.number().int().min(1).max(1000).optional(),
        /**
         * Start in a new worktree (branch `photon/term-<id>`) of the repository `cwd` is in, from
         * `base` (default its current branch), with PHOTON_WORKTREE, PHOTON_BRANCH and
         * PHOTON_PORT_BASE; the worktree stays after the terminal closes, until prune.
         */
        worktree: z.object({ base: z.string().min(1).max(256).optional() }).strict().optional(),
      })
      .strict()
      .refine((p) => [p.command, p.tool, p.agentId].filter((v) => v !== undefined).length <= 1, {
        message: 'give at most one of command, tool or agentId',
      }),
    result: returns<TerminalInfo>(),
  },
  'terminals.list': { params: noParams, result: returns<TerminalInfo[]>() },
  /** Starts receiving a terminal's output (and counting in its flow control); returns what was missed. */
  'terminals.attach': { params: z.object({ id }).strict(), result: returns<{ terminal: TerminalInfo; scrollback: string }>() },
  'terminals.detach': { params: z.object({ id }).strict(), result: returns<null>() },
  /** Characters of `terminal.data` the view has consumed since its last acknowledgement. */
  'terminals.ack': { params: z.object({ id, chars: z.number().int().min(0).max(100_000_000) }).strict(), result: returns<null>() },
  'terminals.write': { params: z.object({ id, data: z.string().max(65_536) }).strict(), result: returns<null>() },
  'terminals.resize': {
    params: z.object({ id, cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
    result: returns<null>(),
  },
  /** Kills the terminal's whole process group. */
  'terminals.kill': { params: z.object({ id }).strict(), result: returns<null>() },
  /** Kills it if it runs and forgets it (closing its tab). */
  'terminals.close': { params: z.object({ id }).strict(), result: returns<null>() },
  /** The terminal of a step's latest attempt, while the engine still holds it. */
  'terminals.forStep': { params: z.object({ runId: id, step: z.number().int().min(1) }).strict(), result: returns<TerminalInfo | null>() },

  /** Each tool Photon can run: installed or not, where, which version, what it supports. Looked up once, then remembered. */
  'tools.list': { params: noParams, result: returns<ToolDetection[]>() },
  /** Looks for the tools again (the login shell's PATH included). */
  'tools.detect': { params: noParams, result: returns<ToolDetection[]>() },

  'agents.list': { params: noParams, result: returns<SavedAgent[]>() },
  'agents.get': { params: z.object({ id }).strict(), result: returns<SavedAgent>() },
  /** Creates or replaces the agent with the definition's id; an invalid one is refused naming the field. */
  'agents.save': { params: z.object({ agent: z.unknown() }).strict(), result: returns<{ id: string }>() },
  'agents.delete': { params: z.object({ id }).strict(), result: returns<{ deleted: boolean }>() },
  /** Each saved agent's status, current steps and record. */
  'agents.stats': { params: noParams, result: returns<AgentStats[]>() },
  /** The agent's process is alive: an agent with a heartbeat interval is active again (refused for one without). */
  'agents.heartbeat': { params: z.object({ id }).strict(), result: returns<AgentStats>() },
  /** The cap on AI agents running at once across all runs: its value, where it comes from, how many run now. */
  'agents.cap': { params: noParams, result: returns<AgentCap>() },
  /** Saves the cap (null: back to the default, the CPU cores); applies at once, to steps already waiting too. */
  'agents.setCap': { params: z.object({ maxAgents: z.number().int().min(1).max(maxAgentsLimit).nullable() }).strict(), result: returns<AgentCap>() },

  /** Names in the OS keychain, never values; `available` is false (with the fix in `reason`) without a keychain. */
  'secrets.list': { params: noParams, result: returns<{ available: boolean; reason: string | null; names: string[] }>() },
  /** Stores a value in the OS keychain. It is never sent back by any method or event. */
  'secrets.set': { params: z.object({ name: secretName, value: z.string().min(1).max(10_000) }).strict(), result: returns<null>() },
  'secrets.delete': { params: z.object({ name: secretName }).strict(), result: returns<{ deleted: boolean }>() },

  /** Remote hosts with their health; with `check`, each connection is made and measured first. */
  'hosts.list': { params: z.object({ check: z.boolean().optional() }).strict().optional(), result: returns<HostInfo[]>() },
  /**
   * Names an `ssh://user@host[:port]` address (or a name from ~/.ssh/config) for steps and agents;
   * `repoPath`: the host's clone of the repository, where steps with workspaces get their worktrees.
   */
  'hosts.add': { params: z.object({ name: hostNameSchema, address: z.string().min(1).max(1000), repoPath: z.string().max(1000).optional() }).strict(), result: returns<HostInfo>() },
  /** Sets where the host's clone of the repository is (absolute or `~/...`); null clears it. */
  'hosts.setRepoPath': { params: z.object({ name: hostNameSchema, repoPath: z.string().max(1000).nullable() }).strict(), result: returns<HostInfo>() },
  'hosts.remove': { params: z.object({ name: hostNameSchema }).strict(), result: returns<{ removed: boolean }>() },
  /**
   * Without a fingerprint: the host key the host presents, to compare. With one: accepts that key if
   * the host still presents it (a key already known as another one is refused: it changed). With
   * `replace`, the user's deliberate answer to a changed key: that key takes the old one's place.
   */
  'hosts.trust': {
    params: z
      .object({ name: hostNameSchema, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/=]+$/, 'must be a SHA256:... fingerprint').optional(), replace: z.boolean().optional() })
      .strict()
      .refine((params) => !params.replace || params.fingerprint !== undefined, { message: 'replace needs the fingerprint of the new key', path: ['fingerprint'] }),
    result: returns<{ trusted: boolean; type: string; fingerprint: string }>(),
  },
  /** The AI tools found on a host, over its connection. */
  'hosts.tools': { params: z.object({ name: hostNameSchema }).strict(), result: returns<RemoteToolInfo[]>() },

  /** Cron schedules of saved workflows (one workflow's with `workflowId`), with when each fires next. */
  'schedules.list': { params: z.object({ workflowId: id.optional() }).strict().optional(), result: returns<ScheduleInfo[]>() },
  /** Adds a schedule; a bad cron expression or time zone is refused naming it. `catchUp`: a time missed while Photon was not running runs once at the next start. */
  'schedules.add': { params: scheduleAddParams, result: returns<ScheduleInfo>() },
  'schedules.remove': { params: z.object({ id }).strict(), result: returns<{ removed: boolean }>() },
  'schedules.setEnabled': { params: z.object({ id, enabled: z.boolean() }).strict(), result: returns<ScheduleInfo>() },
  /** File and webhook triggers of saved workflows (one workflow's with `workflowId`). */
  'triggers.list': { params: z.object({ workflowId: id.optional() }).strict().optional(), result: returns<TriggerInfo[]>() },
  /** Adds a trigger; a webhook's secret is in this answer only (it is kept hashed). */
  'triggers.add': { params: triggerAddParams, result: returns<CreatedTrigger>() },
  'triggers.remove': { params: z.object({ id }).strict(), result: returns<{ removed: boolean }>() },
  'triggers.setEnabled': { params: z.object({ id, enabled: z.boolean() }).strict(), result: returns<TriggerInfo>() },
  /** Where this engine's webhooks are called: the address its HTTP server listens on (`http://127.0.0.1:PORT`), or null while none does. */
  'triggers.webhookBase': { params: noParams, result: returns<{ url: string | null }>() },

  /**
   * The approvals inbox: waiting requests first (oldest first), then answered ones (newest first).
   * `waitingOnly` for what needs an answer now (the badge's count); `runId` for one run's record.
   */
  'approvals.list': {
    params: z.object({ waitingOnly: z.boolean().optional(), runId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict().optional(),
    result: returns<ApprovalItem[]>(),
  },
  /**
   * Answers one request or a batch with the same answer: `once`, `run` (same kind of call for the
   * rest of the run), `always` (adds a rule for the agent), `deny` (`message` goes to the agent).
   * Each id gets its own result: one already answered, expired or whose session ended is refused
   * with the reason, and the others still apply.
   */
  'approvals.answer': {
    params: z.object({ ids: z.array(id).min(1, 'name at least one request (ids from approvals.list)').max(200, 'answer at most 200 requests at once'), answer: z.enum(approvalAnswers), message: z.string().min(1).max(4000).optional() }).strict(),
    result: returns<ApprovalAnswerResult[]>(),
  },
  /** An agent's (`target`: its name) or a workflow's (`target`: its id) ordered rules. */
  'approvals.rules': { params: z.object({ scope: z.enum(ruleScopes), target: id }).strict(), result: returns<ApprovalRule[]>() },
  /** Replaces that scope's rules, in order: the first that matches a request decides (allow, deny or ask). */
  'approvals.setRules': {
    params: z.object({ scope: z.enum(ruleScopes), target: id, rules: z.array(approvalRuleSchema).max(100) }).strict(),
    result: returns<ApprovalRule[]>(),
  },

  /**
   * Opens a structured session with an agent over ACP (the tool's adapter, see `tools.list`'s
   * `acp`) in `cwd`; resolves once the agent is ready. With `agentId`, the saved agent's tool runs
   * with its variables and keychain secrets (as its steps and terminals get them, the secrets'
   * values hidden in the conversation) under its rules; with `tool` alone, with the inherited
   * environment (`agentName` then picks whose rules apply). A tool without an ACP mode, or whose
   * adapter is not installed, is refused saying how to get it.
   */
  'sessions.start': {
    params: z
      .object({ tool: id.optional(), agentId: id.optional(), cwd: z.string().min(1).max(4096), agentName: z.string().min(1).max(200).optional() })
      .strict()
      .refine((p) => p.tool !== undefined || p.agentId !== undefined, { message: 'give agentId (a saved agent) or tool' }),
    result: returns<SessionInfo>(),
  },
  /** Sends a message; while a turn runs it is queued (`queued`) and sent when the turn ends. */
  'sessions.send': { params: z.object({ id, text: z.string().min(1).max(100_000) }).strict(), result: returns<SessionInfo>() },
  /** Stops the current turn, not the session: its pending permission requests are cancelled. */
  'sessions.cancel': { params: z.object({ id }).strict(), result: returns<SessionInfo>() },
  /** Ends the session and stops the agent's processes. */
  'sessions.close': { params: z.object({ id }).strict(), result: returns<SessionInfo>() },
  /**
   * Standalone sessions this engine holds, newest first; with `runId`, the sessions that run's AI
   * steps ran as (one per attempt, stored with it), by step and attempt.
   */
  'sessions.list': { params: z.object({ runId: id.optional() }).strict().optional(), result: returns<SessionInfo[]>() },
  /** A session's state and its whole conversation (a run step's too, after it ended), for a view that opens after it started. */
  'sessions.get': { params: z.object({ id }).strict(), result: returns<{ info: SessionInfo; entries: SessionEntry[] }>() },

  /** The latest sample and today's counters. */
  'metrics.snapshot': { params: noParams, result: returns<MetricsSnapshot>() },
  /** A metric over time, in buckets of `step` seconds; `from` and `to` are epoch milliseconds. */
  'metrics.series': {
    params: z
      .object({
        metric: z.enum(metricNames),
        from: epochMs,
        to: epochMs,
        step: z.number().int().min(1).max(86_400),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'from must not be after to' })
      .refine((p) => (p.to - p.from) / 1000 / p.step <= 10_000, { message: 'too many buckets: widen step or narrow from..to (at most 10,000)' }),
    result: returns<MetricSeries>(),
  },

  'system.info': { params: noParams, result: returns<SystemInfo>() },

  /** API keys by name, prefix, scope and last use (revoked and expired ones included, marked so). */
  'keys.list': { params: noParams, result: returns<ApiKeyInfo[]>() },
  /** Makes a key; the answer is the only place its secret ever appears. A name already in use by an active key is refused. */
  'keys.create': { params: keyCreateParams, result: returns<CreatedApiKey>() },
  /** Revokes the active key with this name or prefix, at once: its next request is refused. */
  'keys.revoke': { params: keyRevokeParams, result: returns<ApiKeyInfo>() },
  /** The audit log of security events, newest first. */
  'audit.list': { params: auditListParams, result: returns<AuditEntry[]>() },
  /** Remote access (the API, the app and the contract served beyond this app): its saved settings and what its listener is doing. */
  'remote.get': { params: noParams, result: returns<RemoteAccessState>() },
  /**
   * Saves remote access settings and starts, restarts or stops the listener to match. A refusal
   * (an address not on this machine, plain HTTP beyond loopback, a port in use, a certificate that
   * cannot be read) is `invalid` with `details.field`, and changes nothing. The answer is delivered
   * before the old listener closes, even to a caller that came through it; `moved` says where to reconnect.
   */
  'remote.configure': { params: z.object({ settings: remoteAccessSettingsSchema }).strict(), result: returns<RemoteConfigureResult>() },
} as const;

export const events = {
  /** A run changed status or its step counts moved. */
  'run.updated': returns<RunSummary>(),
  /** A step changed status or attempt (its `workspace` included). */
  'step.updated': returns<{ runId: string; step: StepState }>(),
  /** A run's workspace changed: its result branch was made, or could not be. */
  'workspace.updated': returns<{ runId: string; workspace: RunWorkspace }>(),
  /** New terminal text of a running step, batched. */
  'step.output': returns<{ runId: string; step: number; attempt: number; data: string }>(),
  /** A terminal started, was resized or exited. */
  'terminal.updated': returns<TerminalInfo>(),
  /** Terminal output, batched; views acknowledge it with `terminals.ack`. */
  'terminal.data': returns<{ id: string; data: string }>(),
  /** A running step's terminal started or stopped waiting for the user to type. */
  'step.waiting': returns<{ runId: string; step: number; attempt: number; terminalId: string; waiting: boolean }>(),
  /** An agent's status or record changed. */
  'agent.updated': returns<AgentStats>(),
  /** An agent was deleted (by any client). */
  'agent.deleted': returns<{ agentId: string }>(),
  /** A request entered the approvals inbox, was answered (by a person or a rule), expired or was cancelled. */
  'approval.updated': returns<ApprovalItem>(),
  /** A session changed status, queue or usage. */
  'session.updated': returns<SessionInfo>(),
  /**
   * A session's conversation entry was added (`index` is the next one) or changed in place (a
   * message growing as it streams, a tool call's status, the plan): views replace entry `index`.
   */
  'session.entry': returns<{ sessionId: string; index: number; entry: SessionEntry }>(),
  /** Once a second while anything runs (and once more when it all stops). */
  'metrics.tick': returns<MetricsSnapshot>(),
} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = (typeof methods)[M]['result'];
export type EventPayload<E extends EventName> = (typeof events)[E];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  stepCount: number;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  pinned: boolean;
}

export interface SavedWorkflow extends WorkflowSummary {
  workflow: Workflow;
}

export interface SystemInfo {
  version: string;
  dataDir: string;
  platform: string;
  /** Platforms this engine can run now. */
  runnablePlatforms: string[];
  /** Where the engine runs: the desktop app, the browser host (`photon serve`), `photon daemon` (which desktop windows may use too) or a command. */
  host: 'electron' | 'server' | 'daemon' | 'cli';
}

/** Wire envelopes: the same over IPC and WebSocket. */
export interface RequestEnvelope {
  id: number | string;
  method: string;
  params?: unknown;
}
export type ReplyEnvelope =
  | { id: number | string | null; ok: true; value: unknown }
  | { id: number | string | null; ok: false; error: ErrorBody };
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

/** The largest request a host accepts; larger ones get an `invalid` reply. */
export const maxMessageBytes = 1024 * 1024;

/**
 * The longest request id a host echoes back in its reply. A longer one is refused with id null, so
 * a client's megabyte-long id is not sent back to it (an error reply stays small on every wire).
 */
export const maxRequestIdChars = 128;

/** An unknown method as an error message names it: quoted and cut to 100 characters, or only its kind if it is no name at all. */
export function quotedMethodName(method: unknown): string {
  if (typeof method !== 'string') return `(${method === null ? 'null' : Array.isArray(method) ? 'an array' : typeof method}, not a name)`;
  return JSON.stringify(method.length > 100 ? `${method.slice(0, 100)}…` : method);
}

/** What every client of the contract offers, whatever its transport. */
export interface PhotonClient {
  call<M extends MethodName>(method: M, ...params: undefined extends MethodParams<M> ? [MethodParams<M>?] : [MethodParams<M>]): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}
