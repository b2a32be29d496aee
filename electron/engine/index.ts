/**
 * The engine: everything Photon does, in plain Node. Hosts (the Electron main process, the
 * browser host, the CLI) create one and put its contract on a wire; none of them holds behaviour.
 */
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import type { EventEnvelope, EventName, EventPayload, MethodName, MethodParams, MethodResult, ReplyEnvelope, SystemInfo } from '../../shared/api.js';
import type { AccessScope, KeyPrincipal } from '../../shared/access.js';
import { PhotonError } from '../../shared/errors.js';
import { methodScopes } from '../../shared/method-scopes.js';
import type { MetricsExport } from '../../shared/metrics.js';
import type { RunStatus } from '../../shared/runs.js';
import { parseWorkflowText, type ValidationResult } from '../../shared/validate-workflow.js';
import type { Workflow } from '../../shared/workflow.js';
import { AgentGovernor, AgentService, openToolSession, sessionLaunch } from './agents/index.js';
import { ApprovalsService } from './approvals/index.js';
import { SessionService } from './sessions/index.js';
import { createEventBus } from './events/index.js';
import { createMetricsService, type MetricsOptions } from './metrics/index.js';
import { AuditLog, KeyService, type AuditEvent, type AuditOptions, type KeyCheck } from './keys/index.js';
import { preparePrivateDataDir } from './paths/index.js';
import { createDispatcher, type CallContext, type Handlers } from './rpc/index.js';
import { BudgetAsks, RunService, StepSessions } from './runs/index.js';
import { openStorage } from './storage/index.js';
import { TerminalManager } from './terminals/index.js';
import { createKeychain, SecretService } from './secrets/index.js';
import { allToolAdapters, canRun, createToolRegistry } from './tools/index.js';
import { WorkflowService } from './workflows/index.js';
import { HostService } from './hosts/index.js';
import { AutomationService, ServedAddresses, type Clock, type RunTrigger } from './schedules/index.js';
import { RemoteAccess, type RemoteListenConfig, type RemoteListener } from './remote/index.js';
import { createSetupHook, Git, mergeTargets, SetupTrust, WorkspaceActions, WorkspaceService } from './workspaces/index.js';

export { defaultDataDir, resolveDataDir } from './paths/index.js';
export type { CallContext } from './rpc/index.js';
export type { AuditEvent, KeyCheck } from './keys/index.js';
export { isLoopback, isWildcard, type RemoteListenConfig, type RemoteListener } from './remote/index.js';

export interface EngineOptions {
  dataDir: string;
  host: SystemInfo['host'];
  /** better-sqlite3 built for this runtime, when it is not Node (the desktop app). */
  sqliteNativeBinding?: string;
  defaultConcurrency?: number;
  /** Runs at once; more wait `queued`, the highest priority first (the workflow's `priority`). Unlimited by default. */
  maxActiveRuns?: number;
  /**
   * AI agents running at once across all runs (`--max-agents`); wins over the cap saved in
   * Settings while this engine runs. Without it: the saved cap, else the CPU cores.
   */
  maxAgents?: number;
  /** Grace between SIGTERM and SIGKILL when a step is stopped. */
  killGraceMs?: number;
  /** The environment steps start from; the engine's own by default. */
  env?: NodeJS.ProcessEnv;
  /** Characters of recent output each terminal keeps for views that attach later. */
  terminalScrollbackChars?: number;
  /**
   * Ask the user's login shell for its PATH when looking for tools (default: yes, except on
   * Windows). A desktop app started from a dock or menu does not inherit that PATH.
   */
  loginShell?: boolean;
  /** The keychain service secrets are kept under: `Photon`, or a test's own so it never touches the user's. */
  keychainService?: string;
  /** How long a keychain read may take before it counts as unavailable; 20 s by default. */
  keychainTimeoutMs?: number;
  /** Sampling and retention tuning for tests; the defaults suit users. */
  metrics?: MetricsOptions;
  /** An ssh config file instead of ~/.ssh/config ($PHOTON_SSH_CONFIG by default), and whether ~/.ssh/known_hosts counts (tests give their own). */
  hosts?: {
    sshConfig?: string;
    userKnownHosts?: boolean;
    /** Whether the engine looks for Photon's leftovers in each host's clone when it starts (default: all but a CLI command's own engine, which looks when it connects). */
    cleanClonesAtStart?: boolean;
  };
  /** Audit log retention; the defaults suit users. */
  audit?: AuditOptions;
  /**
   * Whether this engine fires schedules and file triggers (default: the desktop app's does; `photon
   * daemon` asks for it), and a clock and tuning for tests; every engine can list and edit them.
   */
  schedules?: { fire?: boolean; clock?: Clock; pollMs?: number; graceMs?: number };
  /**
   * The wire for remote access (electron/server's HTTPS host), from hosts that can serve one. The
   * engine starts it when the saved settings turn remote access on, and on each change of them.
   */
  remoteListener?: (engine: Engine, config: RemoteListenConfig) => Promise<RemoteListener>;
}

/** API keys and the audit log, for the hosts that accept keys (the browser host, the REST API). */
export interface EngineAccess {
  /** Whether a presented text is an API key that opens anything now; the reason when it is not. */
  verifyKey(text: string, address: string): Promise<KeyCheck>;
  /** Throws a `forbidden` PhotonError (and records it) when the key's scope is below `needed`; records the use otherwise. */
  authorize(key: KeyPrincipal, needed: AccessScope, target: string, address: string): void;
  /** Records a security event the host saw (a refused Host or Origin, a failed sign-in, a rate limit). */
  audit(event: AuditEvent): void;
}

export interface Engine {
  readonly dataDir: string;
  /** In-process call with params validated as at any boundary; failures throw a PhotonError. */
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  /** A request envelope from an untrusted client (IPC); never throws. */
  dispatch(request: unknown, context?: CallContext): Promise<ReplyEnvelope>;
  /** A request as text off a wire (WebSocket); never throws. */
  dispatchText(text: string, context?: CallContext): Promise<ReplyEnvelope>;
  /** A client's connection ended: it no longer holds back any terminal's flow. */
  clientDisconnected(clientId: string): void;
  /** Whether a client is attached to a terminal: hosts send its `terminal.data` to that client only. */
  isAttached(terminalId: string, clientId: string): boolean;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  onAny(listener: (envelope: EventEnvelope) => void): () => void;
  /** Resolves with a run's final status once it ends. */
  waitForRun(runId: string): Promise<RunStatus>;
  /** Runs left `running` by an engine that died, now marked `interrupted`. */
  readonly recoveredRuns: readonly string[];
  /** The latest sample and all-time totals, which the browser host publishes at `GET /metrics`. */
  metricsExport(): Promise<MetricsExport>;
  readonly access: EngineAccess;
  /**
   * A call to a webhook trigger's URL (the host serving HTTP passes it on): starts its workflow when
   * `secret` is the trigger's; otherwise an `unauthorized` PhotonError, recorded in the audit log.
   */
  webhook(triggerId: string, secret: string | undefined, address: string): Promise<{ runId: string }>;
  /** A host's HTTP server listens at `base`, where webhooks reach this engine; call the result when it stops. */
  servedAt(base: string): () => void;
  /** Stops every process; active runs are left `interrupted` so they can be resumed. */
  close(): Promise<void>;
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const baseEnv = definedOnly(options.env ?? process.env);
  const tools = createToolRegistry(allToolAdapters, { env: baseEnv, loginShell: options.loginShell });
  preparePrivateDataDir(options.dataDir);
  const storage = openStorage(options.dataDir, { nativeBinding: options.sqliteNativeBinding });
  const events = createEventBus();
  const audit = new AuditLog(storage.audit, options.audit);
  const keys = new KeyService(storage.apiKeys, audit);
  const terminals = new TerminalManager(
    {
      data: (id, data) => events.emit('terminal.data', { id, data }),
      updated: (info) => events.emit('terminal.updated', info),
    },
    { scrollbackChars: options.terminalScrollbackChars },
  );
  const secrets = new SecretService(createKeychain(options.keychainService, undefined, options.keychainTimeoutMs));
  const agents: AgentService = new AgentService({
    repo: storage.agents,
    // Until the tools are looked up an agent counts as unavailable; the callers that need the answer look first.
    toolUsable: (platform) => {
      const found = tools.known(platform);
      return found !== undefined && canRun(found);
    },
    toolProblem: (platform) => tools.known(platform)?.error ?? null,
    changed: (agentId) => {
      if (!events.hasListeners('agent.updated')) return;
      const stats = agents.statsOf(agentId);
      if (stats) events.emit('agent.updated', stats);
    },
    deleted: (agentId) => events.emit('agent.deleted', { agentId }),
    slotFreed: () => runs.agentSlotFreed(),
    governor: new AgentGovernor({ settings: storage.settings, engineLimit: options.maxAgents }),
  });
  const workflows = new WorkflowService(storage.workflows, tools);
  // Written before it is announced, as every transition is.
  const approvals = new ApprovalsService(storage.approvals, (item) => events.emit('approval.updated', item));
  approvals.cancelLeftovers();
  const sessions = new SessionService({
    // An agent's session gets its variables and keychain secrets as its steps and terminals do.
    launch: (request) => sessionLaunch({ agents, tools, secrets, baseEnv, dataDir: options.dataDir }, request),
    broker: (context) => approvals.broker(context),
    updated: (info) => events.emit('session.updated', info),
    entry: (sessionId, index, entry) => events.emit('session.entry', { sessionId, index, entry }),
  });
  const workspaces = new WorkspaceService({
    repo: storage.workspaces,
    events,
    dataDir: options.dataDir,
    env: baseEnv,
    setup: createSetupHook({ git: new Git(baseEnv), trust: new SetupTrust(storage.workspaceRecords), env: baseEnv }),
  });
  // Run steps as ACP sessions: their requests in the same inbox, their conversations kept with their attempts.
  const stepSessions = new StepSessions({
    tools,
    broker: (context) => approvals.broker(context),
    expire: (sessionId, reason) => approvals.expireSession(sessionId, reason),
    store: storage.attemptSessions,
  });
  const hosts = new HostService({
    repo: storage.hosts,
    dataDir: options.dataDir,
    env: baseEnv,
    ssh: { configFile: options.hosts?.sshConfig ?? baseEnv.PHOTON_SSH_CONFIG, userKnownHosts: options.hosts?.userKnownHosts },
    sampleIntervalMs: options.metrics?.sampleIntervalMs,
    // What a host kept of Photon's when it stopped answering goes when it answers again; a queued or running run's is in use.
    cloneReachable: (clone) => workspaces.removeRemoteLeftovers(clone, (runId) => ['queued', 'running'].includes(storage.runs.getRun(runId)?.status ?? '')),
  });
  const runs: RunService = new RunService({
    hosts,
    repo: storage.runs,
    events,
    tools,
    agents,
    secrets,
    terminals,
    dataDir: options.dataDir,
    baseEnv,
    killGraceMs: options.killGraceMs ?? 2000,
    defaultConcurrency: options.defaultConcurrency ?? 4,
    maxActiveRuns: options.maxActiveRuns,
    workspaces,
    sessions: stepSessions,
    gates: approvals,
    savedWorkflows: workflows,
    budgets: new BudgetAsks(approvals),
    spend: storage.spend,
  });
  const recoveredRuns = await runs.recoverInterrupted();
  /** A saved workflow started by a schedule or trigger: as the app starts it, saying what started it. */
  const startTriggered = async (workflowId: string, trigger: RunTrigger): Promise<string> => {
    const saved = workflows.get(workflowId);
    const definition = workflows.requireValid(saved.workflow);
    const resolved = await workspaces.resolve({ config: definition.workspace, baseDir: homedir() });
    if (closed) throw new PhotonError('unavailable', 'Photon is stopping');
    return runs.start({ workflow: definition, workflowId: saved.id, baseDir: homedir(), workspace: resolved, trigger }).runId;
  };
  const served = new ServedAddresses();
  const automation = new AutomationService({
    repo: storage.schedules,
    dataDir: options.dataDir,
    workflowName: (workflowId) => workflows.get(workflowId).name,
    fire: startTriggered,
    waitForRun: (runId) => runs.waitFor(runId),
    refused: (target, address, detail) => audit.record({ kind: 'auth.failed', address, target, detail }),
    fires: options.schedules?.fire ?? options.host === 'electron',
    clock: options.schedules?.clock,
    pollMs: options.schedules?.pollMs,
    graceMs: options.schedules?.graceMs,
  });
  // After the recovery above: a schedule missed while no engine ran is caught up (or not) now.
  automation.start();
  // What a dead engine's remote steps left running on their hosts; a host that does not answer now
  // is asked again before its next step starts. Startup does not wait for slow hosts.
  const leftoversStopped = hosts.stopLeftovers().catch((error: unknown) => console.error(`photon: ${error instanceof Error ? error.message : String(error)}`));
  if (options.hosts?.cleanClonesAtStart ?? options.host !== 'cli') void hosts.visitClones();
  // A pty step waiting for typed input is in the inbox too, beside the agents' permission requests.
  events.on('step.waiting', ({ runId, step, terminalId, waiting }) => {
    if (!waiting) return approvals.inputResumed(terminalId);
    try {
      const state = runs.getStep(runId, step);
      approvals.inputWaiting({ terminalId, runId, step, tool: state.platform, agentName: state.agentId ?? undefined, title: `Step ${step} (${state.title}) waits for input in its terminal` });
    } catch {
      // The run is gone already: nothing to wait for.
    }
  });
  const metrics = createMetricsService({ repo: storage.metrics, events, terminals, activeRuns: () => runs.activeCount(), remote: hosts.metrics }, options.metrics);

  /** The workflow a run was started from, as saved now, checked as a new run would be. */
  const workspaceActions = new WorkspaceActions({
    git: workspaces.git,
    repo: storage.workspaces,
    records: storage.workspaceRecords,
    events,
    dataDir: options.dataDir,
    env: baseEnv,
    run: (runId) => {
      const row = runs.requireRun(runId);
      return { id: row.id, status: row.status, workflowName: row.workflowName };
    },
    drainPool: () => workspaces.drainPool(),
    terminals: workspaces.terminals,
  });
  /** The repository, base and setup text a workflow's runs would have, for the setup-script questions. */
  const setupTarget = async (params: { workflowId?: string; workflow?: unknown; baseDir?: string; workspace?: { repo?: string; base?: string } }) => {
    if ((params.workflowId === undefined) === (params.workflow === undefined)) throw new PhotonError('invalid', 'give exactly one of workflowId or workflow');
    const definition = workflows.requireValid(params.workflowId !== undefined ? workflows.get(params.workflowId).workflow : params.workflow);
    const resolved = await workspaces.resolve({ config: definition.workspace, override: { isolation: 'worktree', ...params.workspace }, baseDir: params.baseDir ?? homedir() });
    return { repo: resolved!.repo, commit: resolved!.baseCommit, setup: definition.workspace?.setup };
  };
  const savedVersionOf = (runId: string): Workflow => {
    const run = runs.requireRun(runId);
    if (!run.workflowId) {
      throw new PhotonError('invalid', `run ${run.id} was started from a file, not a saved workflow, so it has no saved version to resume with; resume it with its own definition`);
    }
    return workflows.requireValid(workflows.get(run.workflowId).workflow);
  };

  // Bound to the engine once it exists (below): the listener serves this very engine.
  const bound: { engine?: Engine } = {};
  const remoteListener = options.remoteListener;
  const remote = new RemoteAccess({ dataDir: options.dataDir, listen: remoteListener && ((config) => remoteListener(bound.engine!, config)) });

  const handlers: Handlers = {
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
  const dispatcher = createDispatcher(handlers, {
    authorize: (method, { key, address }) => {
      if (key) keys.authorize(key, methodScopes[method], method, address ?? 'unknown');
    },
  });
  let nextId = 1;
  let closed: Promise<void> | undefined;

  const engine: Engine = {
    dataDir: options.dataDir,
    recoveredRuns,
    metricsExport: () => metrics.exportAll(),
    access: {
      verifyKey: (text, address) => keys.verify(text, address),
      authorize: (key, needed, target, address) => keys.authorize(key, needed, target, address),
      audit: (event) => audit.record(event),
    },
    async call(method, params) {
      const reply = await dispatcher.dispatch({ id: nextId++, method, params });
      if (!reply.ok) throw new PhotonError(reply.error.code, reply.error.message, reply.error.details);
      return reply.value as MethodResult<typeof method>;
    },
    dispatch: (request, context) => dispatcher.dispatch(request, context),
    dispatchText: (text, context) => dispatcher.dispatchText(text, context),
    clientDisconnected: (clientId) => terminals.detachClient(clientId),
    isAttached: (terminalId, clientId) => terminals.isAttached(terminalId, clientId),
    on: (event, handler) => events.on(event, handler),
    onAny: (listener) => events.onAny(listener),
    waitForRun: (runId) => runs.waitFor(runId),
    webhook: (triggerId, secret, address) => automation.webhook(triggerId, secret, address),
    servedAt: (base) => served.add(base),
    close() {
      agents.close();
      // Synchronously first: no schedule or trigger starts a run once closing began.
      const stopFiring = automation.close();
      // Nobody from elsewhere reaches an engine that is stopping.
      closed ??= remote
        .close()
        .then(() => runs.interruptAll())
        .then(() => terminals.killAll())
        .then(() => workspaces.close())
        .finally(() => sessions.closeAll())
        .finally(() => approvals.close())
        .finally(() => metrics.close())
        .finally(() => leftoversStopped)
        .finally(() => hosts.close())
        .finally(() => audit.close())
        .finally(() => stopFiring)
        .finally(() => storage.close());
      return closed;
    },
  };
  bound.engine = engine;
  // Not awaited: the app opens while a certificate is made; `remote.get` waits for it.
  void remote.start();
  return engine;
}

/** Validates a workflow file's text without opening any storage: nothing is written for a bad file. */
export function validateWorkflowText(text: string): ValidationResult {
  return parseWorkflowText(text, { runnablePlatforms: createToolRegistry(allToolAdapters).runnablePlatforms() });
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
