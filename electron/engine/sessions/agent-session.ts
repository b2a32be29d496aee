import type { ClientConnection, PromptResponse, RequestPermissionRequest, RequestPermissionResponse } from '@agentclientprotocol/sdk';
import type { SessionEntry, SessionInfo, SessionStatus, SessionToolCall } from '../../../shared/sessions.js';
import { AgentProcess, type AgentCommand } from './agent-process.js';
import { Conversation, type TextRedactor } from './conversation.js';

/**
 * One agent session over ACP: the agent's process, its `initialize` and `session/new`, prompt turns
 * streaming `session/update` into a {@link Conversation}, permission requests handed to whoever
 * answers them (the approvals inbox), cancel, and follow-ups queued while a turn runs. Anything the
 * agent does wrong ends the session in `failed` with a reason; nothing waits on it forever.
 */

export interface PermissionOptionInfo {
  id: string;
  name: string;
  kind: 'allow_once' | 'allow_always' | 'reject_once' | 'reject_always';
}

export interface PermissionQuestion {
  sessionId: string;
  toolCall: SessionToolCall;
  options: PermissionOptionInfo[];
  /** Aborted when the question no longer needs an answer (turn cancelled, session ended). */
  signal: AbortSignal;
}

/**
 * The chosen option, or `cancelled`; `message` is sent to the agent after a rejection. `fail` ends
 * the session with that reason (a request left unanswered past the step's timeout).
 */
export type PermissionAnswer = { optionId: string; message?: string } | { cancelled: true } | { fail: string };

/** Answers the agent's permission requests; the approvals service is the engine's one. */
export type PermissionBroker = (question: PermissionQuestion) => Promise<PermissionAnswer>;

export interface AgentSessionOptions extends AgentCommand {
  id: string;
  tool: string;
  agentName?: string;
  runId?: string;
  stepId?: string;
  permissions: PermissionBroker;
  /** How long `initialize` and `session/new` may take (gemini needs up to 16 s cold). */
  startTimeoutMs?: number;
  maxMessageBytes?: number;
  /** ACP `authenticate` method id to call after `initialize` (codex-acp needs one). */
  authMethod?: string;
  /** A model to select with `session/set_config_option` after `session/new` (claude-agent-acp's way). */
  model?: string;
  /** Hides the secrets the agent was given in everything the session records and reports. */
  redactor?: TextRedactor;
}

export interface SessionListener {
  entry?(index: number, entry: SessionEntry): void;
  info?(info: SessionInfo): void;
}

const defaultStartTimeoutMs = 30_000;
const defaultMaxMessageBytes = 8 * 1024 * 1024;
/** How long a cancelled turn may take to return before the session is judged stuck. */
const cancelGraceMs = 10_000;

export class AgentSession {
  readonly conversation: Conversation;
  private readonly process: AgentProcess;
  /**
   * Made by start(), which loads the ACP SDK then: building its hundreds of zod schemas took 35 to
   * 120 ms of every engine's start (a `photon run` of shell steps included) when it was imported here.
   */
  private acp: ClientConnection | undefined;
  private readonly listeners = new Set<SessionListener>();
  private readonly pendingPermissions = new Set<AbortController>();
  private readonly state: SessionInfo;
  private acpSessionId: string | undefined;
  private freshSessionNeeded = false;
  private turn: Promise<PromptResponse | undefined> | undefined;
  /** True from a turn's start until it ends with nothing queued (covers the hop to a follow-up). */
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  private failure: ((reason: string) => void) | undefined;
  private readonly failed: Promise<never>;

  constructor(private readonly options: AgentSessionOptions) {
    this.conversation = new Conversation(options.redactor);
    this.state = { id: options.id, tool: options.tool, agentName: options.agentName, runId: options.runId, stepId: options.stepId, cwd: options.cwd, status: 'starting', queued: [], usage: this.conversation.usage, startedAt: Date.now() };
    this.failed = new Promise<never>((_, reject) => {
      this.failure = (reason) => reject(new SessionFailed(reason));
    });
    this.failed.catch(() => undefined);
    this.process = new AgentProcess(options, { maxMessageBytes: options.maxMessageBytes ?? defaultMaxMessageBytes, onFailure: (reason) => void this.fail(reason) });
  }

  get info(): SessionInfo {
    return { ...this.state, queued: [...this.state.queued], usage: { ...this.state.usage } };
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the agent: `initialize` and `session/new`, each within the start time limit. */
  async start(): Promise<void> {
    const limit = this.options.startTimeoutMs ?? defaultStartTimeoutMs;
    // The agent's messages wait in its stream until the connection reads them.
    const { client, PROTOCOL_VERSION } = await import('@agentclientprotocol/sdk');
    this.assertUsable();
    this.acp = client({ name: 'photon' })
      .onNotification('session/update', ({ params }) => {
        if (params.sessionId !== this.acpSessionId) return;
        const change = this.conversation.apply(params.update);
        if (change) this.emitEntry(change.index, change.entry);
      })
      .onRequest('session/request_permission', ({ params }) => this.askPermission(params))
      .connect(this.process.stream);
    const init = await this.within(
      this.connection.agent.request('initialize', { protocolVersion: PROTOCOL_VERSION, clientCapabilities: {}, clientInfo: { name: 'photon', version: '0.1.0' } }),
      limit,
      `the agent did not answer initialize within ${limit / 1000} s`,
    );
    if (this.options.authMethod) {
      const offered = (init.authMethods ?? []).map((m) => m.id);
      if (!offered.includes(this.options.authMethod)) await this.fail(`the agent does not offer the sign-in method ${this.options.authMethod} (it offers: ${offered.join(', ') || 'none'})`);
      await this.within(this.connection.agent.request('authenticate', { methodId: this.options.authMethod }), limit, `the agent did not answer authenticate within ${limit / 1000} s`);
    }
    await this.newAcpSession(limit);
    this.setStatus('idle');
  }

  /**
   * Sends a prompt and resolves when its turn ends. While a turn runs the text is queued instead
   * (resolving at once) and sent, in order, when the turn ends; {@link idle} waits for those.
   */
  async send(text: string): Promise<void> {
    this.assertUsable();
    if (this.busy || this.state.status === 'cancelling' || this.state.status === 'starting') {
      this.state.queued.push(text);
      this.emitInfo();
      return;
    }
    await this.runTurn(text);
  }

  /** Waits until no turn runs and nothing is queued (or the session fails). */
  async idle(): Promise<void> {
    while (this.busy || this.state.queued.length) {
      this.assertUsable();
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), this.failed]);
    }
    this.assertUsable();
  }

  /**
   * Stops the current turn without ending the session: `session/cancel`, every pending permission
   * answered `cancelled`, then a fresh ACP session for what comes next (after a cancel,
   * claude-agent-acp answers one prompt late in the same session).
   */
  async cancel(): Promise<void> {
    if (!this.turn || !this.acpSessionId) return;
    this.setStatus('cancelling');
    this.freshSessionNeeded = true;
    for (const pending of this.pendingPermissions) pending.abort();
    await this.connection.agent.notify('session/cancel', { sessionId: this.acpSessionId });
    const turn = this.turn;
    await this.within(turn, cancelGraceMs, `the agent did not stop its turn within ${cancelGraceMs / 1000} s of being cancelled`);
  }

  /** Ends the session and stops the agent's process group. */
  async close(): Promise<void> {
    if (this.state.status === 'ended' || this.state.status === 'failed') return this.process.stop();
    for (const pending of this.pendingPermissions) pending.abort();
    this.state.endedAt = Date.now();
    this.setStatus('ended');
    this.acp?.close();
    await this.process.stop();
  }

  /** The connection start() made; every request is sent after it. */
  private get connection(): ClientConnection {
    if (!this.acp) throw new SessionFailed('the session has not started');
    return this.acp;
  }

  /** The agent's process id (the leader of its process group), or -1 when it could not start. */
  get pid(): number {
    return this.process.pid;
  }

  /** Why the session failed, or undefined. */
  get error(): string | undefined {
    return this.state.error;
  }

  private async runTurn(text: string): Promise<void> {
    this.busy = true;
    try {
      await this.turnOnce(text);
    } catch (error) {
      this.settle();
      throw error;
    }
    const next = this.state.queued.shift();
    if (next === undefined) return this.settle();
    this.emitInfo();
    // A follow-up runs as its own turn; if it fails, the session has failed and says why.
    void this.runTurn(next).catch(() => undefined);
  }

  private settle(): void {
    this.busy = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async turnOnce(text: string): Promise<void> {
    if (this.freshSessionNeeded) {
      this.freshSessionNeeded = false;
      await this.newAcpSession(this.options.startTimeoutMs ?? defaultStartTimeoutMs);
      const change = this.conversation.notice('A new agent session was started after the cancel; the agent may not remember the earlier turns.');
      this.emitEntry(change.index, change.entry);
    }
    const sessionId = this.acpSessionId!;
    const user = this.conversation.userMessage(text);
    this.emitEntry(user.index, user.entry);
    const prompt = this.connection.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
    const turn = Promise.race([prompt, this.failed]).catch(async (error: unknown) => {
      if (error instanceof SessionFailed) throw error;
      // A prompt cut short by the agent's exit: its exit status is the reason worth showing.
      const exit = await Promise.race([this.failed.catch((e: unknown) => e), new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (exit instanceof SessionFailed) throw exit;
      await this.fail(`the agent answered the prompt with an error: ${messageOf(error)}`);
      throw new SessionFailed(this.state.error!);
    });
    this.turn = turn;
    this.setStatus('working');
    let response: PromptResponse | undefined;
    try {
      response = await turn;
    } finally {
      this.turn = undefined;
    }
    this.assertUsable();
    const stopReason = response?.stopReason ?? 'end_turn';
    for (const change of this.conversation.closeOpenToolCalls(stopReason === 'cancelled' ? 'failed' : 'completed')) this.emitEntry(change.index, change.entry);
    this.readUsage(response);
    const end = this.conversation.turnEnd(stopReason);
    this.emitEntry(end.index, end.entry);
    this.setStatus('idle');
  }

  private async newAcpSession(limit: number): Promise<void> {
    const created = await this.within(this.connection.agent.request('session/new', { cwd: this.options.cwd, mcpServers: [] }), limit, `the agent did not answer session/new within ${limit / 1000} s`);
    this.acpSessionId = created.sessionId;
    const model = this.options.model;
    if (!model) return;
    // A model the agent does not know fails the session: running on another model unasked would
    // bill and behave as the user did not choose.
    await this.within(
      this.connection.agent.request('session/set_config_option', { sessionId: created.sessionId, configId: 'model', value: model }).catch(async (error: unknown) => {
        const offered = created.configOptions?.find((o) => o.id === 'model');
        const names = offered && 'options' in offered ? offered.options.flatMap((o) => ('options' in o ? o.options : [o])).map((o) => o.value) : [];
        await this.fail(`the agent would not use the model "${model}" (${refusalOf(error)})${names.length ? `; it offers: ${names.join(', ')}` : ''}; change the agent's model`);
      }),
      limit,
      `the agent did not answer session/set_config_option within ${limit / 1000} s`,
    );
  }

  private async askPermission(params: RequestPermissionRequest): Promise<RequestPermissionResponse> {
    const controller = new AbortController();
    if (this.state.status === 'cancelling' || params.sessionId !== this.acpSessionId) return { outcome: { outcome: 'cancelled' } };
    this.pendingPermissions.add(controller);
    try {
      const toolCall = this.conversation.describe(params.toolCall);
      const options = params.options.map((o) => ({ id: o.optionId, name: o.name, kind: o.kind }));
      const answer = await Promise.race([
        this.options.permissions({ sessionId: this.state.id, toolCall, options, signal: controller.signal }),
        new Promise<PermissionAnswer>((resolve) => controller.signal.addEventListener('abort', () => resolve({ cancelled: true }), { once: true })),
      ]);
      if ('fail' in answer) {
        void this.fail(answer.fail);
        return { outcome: { outcome: 'cancelled' } };
      }
      if ('cancelled' in answer) return { outcome: { outcome: 'cancelled' } };
      if (!options.some((o) => o.id === answer.optionId)) return { outcome: { outcome: 'cancelled' } };
      if (answer.message) {
        this.state.queued.push(answer.message);
        this.emitInfo();
      }
      return { outcome: { outcome: 'selected', optionId: answer.optionId } };
    } finally {
      this.pendingPermissions.delete(controller);
    }
  }

  private readUsage(response: PromptResponse | undefined): void {
    // `usage` on the prompt response is still an unstable ACP field; gemini --acp puts the turn's
    // tokens in `_meta.quota.token_count` instead.
    const quota = (response?._meta as { quota?: { token_count?: { input_tokens?: unknown; output_tokens?: unknown } } } | null | undefined)?.quota?.token_count;
    const usage = (response as { usage?: Record<string, unknown> } | undefined)?.usage ?? (quota ? { inputTokens: quota.input_tokens, outputTokens: quota.output_tokens } : undefined);
    if (!usage) return;
    const add = (key: 'inputTokens' | 'outputTokens' | 'cachedReadTokens' | 'cachedWriteTokens', value: unknown) => {
      if (typeof value === 'number' && Number.isFinite(value)) this.state.usage[key] = (this.state.usage[key] ?? 0) + value;
    };
    add('inputTokens', usage.inputTokens);
    add('outputTokens', usage.outputTokens);
    add('cachedReadTokens', usage.cachedReadTokens);
    add('cachedWriteTokens', usage.cachedWriteTokens);
  }

  private async within<T>(work: Promise<T>, ms: number, reason: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.fail(reason);
        reject(new SessionFailed(reason));
      }, ms);
    });
    try {
      return await Promise.race([work, timeout, this.failed]);
    } catch (error) {
      if (error instanceof SessionFailed) throw error;
      await this.fail(`${reason.replace(/ within .*$/, '')}: ${messageOf(error)}`.replace('did not answer', 'refused'));
      throw new SessionFailed(this.state.error!);
    } finally {
      clearTimeout(timer);
    }
  }

  private async fail(cause: string): Promise<void> {
    if (this.state.status === 'failed' || this.state.status === 'ended') return;
    // The agent's last words (its stderr) may echo its environment.
    const reason = this.options.redactor ? this.options.redactor.process(cause, true).text : cause;
    this.state.error = reason;
    this.state.endedAt = Date.now();
    for (const pending of this.pendingPermissions) pending.abort();
    this.setStatus('failed');
    this.failure?.(reason);
    this.acp?.close();
    await this.process.stop();
  }

  private assertUsable(): void {
    if (this.state.status === 'failed') throw new SessionFailed(this.state.error!);
    if (this.state.status === 'ended') throw new SessionFailed('the session has ended');
  }

  private setStatus(status: SessionStatus): void {
    this.state.status = status;
    this.emitInfo();
  }

  private emitInfo(): void {
    const info = this.info;
    for (const listener of this.listeners) listener.info?.(info);
  }

  private emitEntry(index: number, entry: SessionEntry): void {
    // A message that held back a possible secret's start is complete once a later entry arrives.
    for (const flushed of this.conversation.takeFlushed()) for (const listener of this.listeners) listener.entry?.(flushed.index, flushed.entry);
    for (const listener of this.listeners) listener.entry?.(index, entry);
  }
}

/** A session that cannot go on; `message` is the reason shown to the user. */
export class SessionFailed extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SessionFailed';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An agent's reason for refusing a request: the SDK sends a thrown error as "Internal error" with the message in `data.details`. */
function refusalOf(error: unknown): string {
  const details = (error as { data?: { details?: unknown } } | null)?.data?.details;
  return typeof details === 'string' && details ? details : messageOf(error);
}
