import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { PhotonError } from '../../shared/errors.js';
import type { Workflow } from '../../shared/workflow.js';
import { openToolSession, type AgentService } from './agents/index.js';
import type { ApprovalsService } from './approvals/index.js';
import type { EngineOptions } from './engine-types.js';
import type { HostService } from './hosts/index.js';
import type { AuditLog, KeyService } from './keys/index.js';
import type { MetricsService } from './metrics/index.js';
import type { RemoteAccess } from './remote/index.js';
import type { Handlers } from './rpc/index.js';
import type { RunService, StepSessions } from './runs/index.js';
import type { AutomationService, ServedAddresses } from './schedules/index.js';
import type { SecretService } from './secrets/index.js';
import type { SessionService } from './sessions/index.js';
import type { Storage } from './storage/index.js';
import type { TerminalManager } from './terminals/index.js';
import type { ToolRegistry } from './tools/index.js';
import type { WorkflowService } from './workflows/index.js';
import { mergeTargets, type WorkspaceActions, type WorkspaceService } from './workspaces/index.js';

/** The engine's parts, as createEngine wired them: what the contract's methods are answered by. */
export interface EngineParts {
  options: EngineOptions;
  baseEnv: Record<string, string>;
  storage: Storage;
  tools: ToolRegistry;
  workflows: WorkflowService;
  runs: RunService;
  workspaces: WorkspaceService;
  workspaceActions: WorkspaceActions;
  terminals: TerminalManager;
  agents: AgentService;
  secrets: SecretService;
  hosts: HostService;
  automation: AutomationService;
  served: ServedAddresses;
  sessions: SessionService;
  stepSessions: StepSessions;
  approvals: ApprovalsService;
  metrics: MetricsService;
  keys: KeyService;
  audit: AuditLog;
  remote: RemoteAccess;
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Each method of the contract (shared/api.ts) onto the part that does it. The dispatcher is typed
 * from the contract, so a method left out here is a compile error.
 */
export function contractHandlers(parts: EngineParts): Handlers {
  const { options, baseEnv, storage, tools, workflows, runs, workspaces, workspaceActions, terminals, agents, secrets, hosts, automation, served, sessions, stepSessions, approvals, metrics, keys, audit, remote } = parts;

  /** The repository, base and setup text a workflow's runs would have, for the setup-script questions. */
  const setupTarget = async (params: { workflowId?: string; workflow?: unknown; baseDir?: string; workspace?: { repo?: string; base?: string } }) => {
    if ((params.workflowId === undefined) === (params.workflow === undefined)) throw new PhotonError('invalid', 'give exactly one of workflowId or workflow');
    const definition = workflows.requireValid(params.workflowId !== undefined ? workflows.get(params.workflowId).workflow : params.workflow);
    const resolved = await workspaces.resolve({ config: definition.workspace, override: { isolation: 'worktree', ...params.workspace }, baseDir: params.baseDir ?? homedir() });
    return { repo: resolved!.repo, commit: resolved!.baseCommit, setup: definition.workspace?.setup };
  };
  /** The workflow a run was started from, as saved now, checked as a new run would be. */
  const savedVersionOf = (runId: string): Workflow => {
    const run = runs.requireRun(runId);
    if (!run.workflowId) {
      throw new PhotonError('invalid', `run ${run.id} was started from a file, not a saved workflow, so it has no saved version to resume with; resume it with its own definition`);
    }
    return workflows.requireValid(workflows.get(run.workflowId).workflow);
  };

  return {
    'workflows.list': () => workflows.list(),
    'workflows.get': ({ id }) => workflows.get(id),
    'workflows.save': ({ id, workflow }) => workflows.save(workflow, id),
    'workflows.delete': ({ id }) => ({ deleted: workflows.delete(id) }),
    'workflows.pin': ({ id, pinned }) => workflows.pin(id, pinned),
    'workflows.validate': ({ workflow }) => {
      const result = workflows.validate(workflow);
      return result.ok ? { ok: true, issues: [] } : { ok: false, issues: result.issues };
    },
    'runs.start': async ({ workflowId, workflow, concurrency, baseDir, steps, workspace }) => {
      const saved = workflowId !== undefined ? workflows.get(workflowId) : undefined;
      // A saved workflow is checked again: the engine may have lost a tool since it was saved.
      const definition = workflows.requireValid(saved ? saved.workflow : workflow);
      const folder = baseDir ?? homedir();
      // The repository and base are checked before anything is written.
      const resolved = await workspaces.resolve({ config: definition.workspace, override: workspace, baseDir: folder });
      const { runId } = runs.start({ workflow: definition, workflowId: saved?.id ?? null, concurrency, baseDir: folder, selection: steps, workspace: resolved });
      return { runId };
    },
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.list': (params) => runs.list(params ?? {}),
    'runs.cancel': async ({ runId }) => ({ cancelled: await runs.cancel(runId) }),
    'runs.update': ({ runId, ...patch }) => runs.update(runId, patch),
    'runs.resume': ({ runId, definition }) => ({ runId: runs.resume(runId, definition === 'saved' ? { workflow: savedVersionOf(runId) } : {}).runId }),
    'runs.cancelAll': async () => ({ cancelled: await runs.cancelAll() }),
    'runs.timeline': ({ runId }) => runs.timeline(runId),
    'steps.get': ({ runId, step }) => runs.getStep(runId, step),
    'workspaces.diff': (request) => workspaceActions.diff(request),
    'workspaces.merge': (request) => workspaceActions.merge(request),
    'workspaces.branches': ({ runId }) => {
      const run = runs.requireRun(runId);
      const workspace = storage.workspaces.getRunWorkspace(run.id);
      if (!workspace) throw new PhotonError('not_found', `run ${run.id} has no workspace: it ran without isolation, so it has nothing to merge`);
      return mergeTargets(workspaces.git, workspace.repo);
    },
    'workspaces.pullRequest': (request) => workspaceActions.pullRequest(request),
    'workspaces.discard': ({ runId }) => workspaceActions.discard(runId),
    'workspaces.usage': () => workspaceActions.usage(),
    'workspaces.cleanup': (params) => workspaceActions.cleanup(params?.runIds),
    'workspaces.prune': () => workspaceActions.prune(),
    'workspaces.setupScript': async (params) => {
      const target = await setupTarget(params);
      return workspaceActions.setupScript(target.repo, target.commit, target.setup);
    },
    'workspaces.trustSetup': async ({ sha256, ...params }) => {
      const target = await setupTarget(params);
      return workspaceActions.trustSetup(target.repo, target.commit, target.setup, sha256);
    },
    'terminals.create': (request) =>
      openToolSession({ agents, tools, secrets, terminals, baseEnv, dataDir: options.dataDir, inWorktree: (folder, base) => workspaces.terminals.make(folder, base) }, request),
    'terminals.list': () => terminals.list(),
    'terminals.attach': ({ id }, { clientId }) => terminals.attach(id, clientId),
    'terminals.detach': ({ id }, { clientId }) => (terminals.detach(id, clientId), null),
    'terminals.ack': ({ id, chars }, { clientId }) => (terminals.ack(id, clientId, chars), null),
    'terminals.write': ({ id, data }) => (terminals.write(id, data), null),
    'terminals.resize': ({ id, cols, rows }) => (terminals.resize(id, cols, rows), null),
    'terminals.kill': async ({ id }) => (await terminals.kill(id), null),
    'terminals.close': async ({ id }) => (await terminals.close(id), null),
    'terminals.forStep': ({ runId, step }) => terminals.forStep(runs.requireRun(runId).id, step),
    'tools.list': () => tools.list(),
    'tools.detect': async () => {
      const found = await tools.detect();
      // An agent's tool may have appeared, gone or been updated.
      for (const agent of agents.list()) agents.announce(agent.id);
      return found;
    },
    'agents.list': () => agents.list(),
    'agents.get': ({ id }) => agents.get(id),
    'agents.save': async ({ agent }) => {
      await tools.list();
      return agents.save(agent);
    },
    'agents.delete': ({ id }) => ({ deleted: agents.delete(id) }),
    'agents.cap': () => agents.governor.cap(),
    'agents.setCap': ({ maxAgents }) => agents.saveCap(maxAgents),
    'agents.heartbeat': async ({ id }) => {
      await tools.list();
      return agents.heartbeat(id);
    },
    'agents.stats': async () => {
      await tools.list();
      return agents.stats();
    },
    'secrets.list': () => secrets.list(),
    'secrets.set': async ({ name, value }) => (await secrets.set(name, value), null),
    'secrets.delete': async ({ name }) => ({ deleted: await secrets.delete(name) }),
    'hosts.list': (params) => hosts.list(params?.check),
    'hosts.add': ({ name, address, repoPath }) => hosts.add(name, address, repoPath),
    'hosts.setRepoPath': ({ name, repoPath }) => hosts.setRepoPath(name, repoPath),
    'hosts.remove': ({ name }) => hosts.remove(name),
    'hosts.trust': ({ name, fingerprint, replace }) => hosts.trust(name, fingerprint, replace),
    'hosts.tools': ({ name }) => hosts.tools(name),
    'schedules.list': (params) => automation.listSchedules(params?.workflowId),
    'schedules.add': (params) => automation.addSchedule(params),
    'schedules.remove': ({ id }) => automation.removeSchedule(id),
    'schedules.setEnabled': ({ id, enabled }) => automation.setScheduleEnabled(id, enabled),
    'triggers.list': (params) => automation.listTriggers(params?.workflowId),
    'triggers.add': (params) => automation.addTrigger(params),
    'triggers.remove': ({ id }) => automation.removeTrigger(id),
    'triggers.setEnabled': ({ id, enabled }) => automation.setTriggerEnabled(id, enabled),
    'triggers.webhookBase': () => ({ url: served.current }),
    'sessions.start': (request) => sessions.start(request),
    'sessions.send': ({ id, text }) => stepSessions.send(id, text) ?? sessions.send(id, text),
    'sessions.cancel': async ({ id }) => (await stepSessions.stopTurn(id)) ?? sessions.cancel(id),
    'sessions.close': ({ id }) => (stepSessions.refuseClose(id), sessions.close(id)),
    'sessions.list': (params) => (params?.runId !== undefined ? stepSessions.forRun(runs.requireRun(params.runId).id) : sessions.list()),
    'sessions.get': ({ id }) => stepSessions.get(id) ?? sessions.get(id),
    'approvals.list': (params) => approvals.list(params ?? {}),
    'approvals.answer': ({ ids, answer, message }) => approvals.answer(ids, answer, message),
    'approvals.rules': ({ scope, target }) => approvals.rules(scope, target),
    'approvals.setRules': ({ scope, target, rules }) => approvals.setRules(scope, target, rules),
    'metrics.snapshot': () => metrics.snapshot(),
    'metrics.series': (query) => metrics.series(query),
    'keys.list': () => keys.list(),
    'keys.create': (request, { address }) => keys.create(request, address),
    'keys.revoke': ({ key }, { address }) => keys.revoke(key, address),
    'audit.list': (query) => audit.list(query ?? {}),
    'remote.get': () => remote.get(),
    'remote.configure': ({ settings }) => remote.configure(settings),
    'system.info': () => ({
      version,
      dataDir: options.dataDir,
      platform: process.platform,
      runnablePlatforms: [...tools.runnablePlatforms()],
      host: options.host,
    }),
  };
}
