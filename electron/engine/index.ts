/**
 * The engine: everything Photon does, in plain Node. Hosts (the Electron main process, the
 * browser host, the CLI) create one and put its contract on a wire; none of them holds behaviour.
 * Read it as the engine's table of contents: the parts made in order of need, the contract's
 * methods handed to them (handlers.ts), and the order they stop in.
 */
import { homedir } from 'node:os';
import type { MethodResult } from '../../shared/api.js';
import { PhotonError } from '../../shared/errors.js';
import { methodScopes } from '../../shared/method-scopes.js';
import { parseWorkflowText, type ValidationResult } from '../../shared/validate-workflow.js';
import { AgentGovernor, AgentService, sessionLaunch } from './agents/index.js';
import { ApprovalsService } from './approvals/index.js';
import type { Engine, EngineOptions } from './engine-types.js';
import { SessionService } from './sessions/index.js';
import { createEventBus } from './events/index.js';
import { contractHandlers } from './handlers.js';
import { createMetricsService } from './metrics/index.js';
import { AuditLog, KeyService } from './keys/index.js';
import { preparePrivateDataDir } from './paths/index.js';
import { createDispatcher } from './rpc/index.js';
import { BudgetAsks, RunService, StepSessions } from './runs/index.js';
import { historyWriteError, isWriteRefusal, openStorage } from './storage/index.js';
import { TerminalManager } from './terminals/index.js';
import { createKeychain, SecretService } from './secrets/index.js';
import { allToolAdapters, canRun, createToolRegistry } from './tools/index.js';
import { WorkflowService } from './workflows/index.js';
import { HostService } from './hosts/index.js';
import { AutomationService, ServedAddresses, type RunTrigger } from './schedules/index.js';
import { RemoteAccess } from './remote/index.js';
import { createSetupHook, Git, SetupTrust, WorkspaceActions, WorkspaceService } from './workspaces/index.js';
import { keepYoungGenerationSmall } from './young-generation.js';

export { defaultDataDir, resolveDataDir } from './paths/index.js';
export type { CallContext } from './rpc/index.js';
export type { AuditEvent, KeyCheck } from './keys/index.js';
export { isLoopback, isWildcard, type RemoteListenConfig, type RemoteListener } from './remote/index.js';

export type { Engine, EngineAccess, EngineOptions } from './engine-types.js';

export async function createEngine(options: EngineOptions): Promise<Engine> {
  keepYoungGenerationSmall();
  const baseEnv = definedOnly(options.env ?? process.env);
  const tools = createToolRegistry(allToolAdapters, { env: baseEnv, loginShell: options.loginShell });
  preparePrivateDataDir(options.dataDir);
  const storage = openStorage(options.dataDir, { nativeBinding: options.sqliteNativeBinding });
  const events = createEventBus();
  const audit = new AuditLog(storage.audit, options.audit);
  const keys = new KeyService(storage.apiKeys, audit);
  /** terminal.data payloads' bytes (Engine.terminalOutputBytes), beside the contract's payload, which stays text. */
  const outputBytes = new WeakMap<object, readonly (Uint8Array | string)[]>();
  const terminals = new TerminalManager(
    {
      data: (id, data, bytes) => {
        const payload = { id, data };
        if (bytes) outputBytes.set(payload, bytes);
        events.emit('terminal.data', payload);
      },
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
  // Announced once committed, as every transition is: at the end of the turn, after the steps that
  // changed in it (a budget's question comes after the step whose spending reached it).
  const approvals = new ApprovalsService(storage.approvals, (item) => storage.runs.afterCommit(() => events.emit('approval.updated', item)));
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

  // Bound to the engine once it exists (below): the listener serves this very engine.
  const bound: { engine?: Engine } = {};
  const remoteListener = options.remoteListener;
  const remote = new RemoteAccess({ dataDir: options.dataDir, listen: remoteListener && ((config) => remoteListener(bound.engine!, config)) });

  const handlers = contractHandlers({ options, baseEnv, storage, tools, workflows, runs, workspaces, workspaceActions, terminals, agents, secrets, hosts, automation, served, sessions, stepSessions, approvals, metrics, keys, audit, remote });
  const dispatcher = createDispatcher(handlers, {
    authorize: (method, { key, address }) => {
      if (key) keys.authorize(key, methodScopes[method], method, address ?? 'unknown');
    },
    // A request SQLite refused (disk full) says where and what to do, not "internal error" with a stack.
    explain: (error) => (isWriteRefusal(error) ? historyWriteError(storage.file, error, 'try again') : undefined),
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
    terminalOutputBytes: (payload) => outputBytes.get(payload),
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

/**
 * Validates a workflow file's text without opening any storage: nothing is written for a bad file.
 * The workflow comes back frozen, so `runs.start` of it in this process does not check it again.
 */
export function validateWorkflowText(text: string): ValidationResult {
  return parseWorkflowText(text, { runnablePlatforms: createToolRegistry(allToolAdapters).runnablePlatforms(), freeze: true });
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
