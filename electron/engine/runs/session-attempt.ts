import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../../../shared/agents.js';
import type { SessionEntry, SessionInfo } from '../../../shared/sessions.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { AgentEnvironment } from '../agents/index.js';
import type { ApprovalContext } from '../approvals/index.js';
import type { EventBus } from '../events/index.js';
import type { Redactor } from '../secrets/index.js';
import { AgentSession, type PermissionBroker } from '../sessions/index.js';
import { isWriteRefusal, type AttemptSessionKey } from '../storage/index.js';
import type { ExitInfo } from '../terminals/index.js';
import { acpInvocation, acpModes, promptFor, type AcpInvocation, type AiToolAdapter } from '../tools/index.js';
import type { KillReason, ReadResult } from './attempt-ending.js';
import { attemptFolder, prepareAttemptFolder } from './attempt-folder.js';
import { attemptMarks } from './attempt-marks.js';
import type { AcpFound, StepSessions } from './step-sessions.js';
import { SessionTranscript } from './session-transcript.js';

/**
 * One attempt of an AI step run as an ACP session: the agent started in the step's folder with the
 * step's environment, the templated prompt sent as one turn (and any follow-up a denial queued),
 * the conversation announced as session events and kept with the attempt, the final agent message
 * and the usage read back as the step's result. To the executor it looks like a step's process:
 * it streams text for the attempt's log, ends once, and is stopped by `kill` (an ACP cancel, then
 * the agent's process group is stopped).
 */

export interface SessionAttemptOptions {
  key: AttemptSessionKey;
  /** The ACP agent's command, arguments and how it starts. */
  launch: Omit<AcpInvocation, 'env'>;
  /** The step's folder: its worktree with isolation on. */
  cwd: string;
  /** The tool's environment with the agent's variables and secrets mapped, the workspace's and the attempt's marks. */
  env: NodeJS.ProcessEnv;
  tool: string;
  agentName?: string;
  prompt: string;
  /** Where the inbox shows the requests from and what its rules look at. */
  approval: ApprovalContext;
  /** The step's timeout, for the reason its expired requests give. */
  timeoutMs?: number;
  /** Hides the agent's secrets in everything the session records and reports; absent without secrets. */
  redactor?: Redactor;
}

/** Where an attempt runs: its run, step and folder (its worktree with isolation on). */
export interface SessionAttemptPlace {
  dataDir: string;
  runId: string;
  workflowId: string | null;
  step: WorkflowStep;
  attempt: number;
  cwd: string;
  /** The tool that runs it. */
  platform: string;
}

/**
 * The session attempt's options, made as a headless attempt's process is: the inherited environment
 * with the agent's variables and secrets mapped as the tool reads them (the adapter's connection,
 * as for the agent's standalone sessions), then the workspace's, the attempt's marks and temp
 * folder; a tool that needs files of its own (Codex's home) gets them in that folder.
 */
export function prepareSessionAttempt(
  place: SessionAttemptPlace,
  acp: AcpFound,
  adapter: AiToolAdapter,
  agent: Agent | null,
  inputs: Record<string, unknown>,
  agentEnv: AgentEnvironment,
  workspaceEnv: Record<string, string> | undefined,
  inherited: Readonly<Record<string, string>>,
): SessionAttemptOptions {
  const { runId, step, attempt, cwd, platform } = place;
  const folder = attemptFolder(place.dataDir, runId, step.step, attempt);
  const { env: toolEnv, ...launch } = acpInvocation(adapter, acpModes[platform]!, {
    binaryPath: acp.binaryPath,
    searchPath: acp.searchPath,
    model: agent?.model ?? undefined,
    autonomy: agent?.autonomy,
    env: agentEnv.env,
    inherited,
    folder: () => (mkdirSync(folder, { recursive: true, mode: 0o700 }), folder),
  });
  const env: Record<string, string> = { ...toolEnv, ...workspaceEnv, ...attemptMarks(runId, step.step, attempt) };
  // The temp folder is a folder of its own beside the tool's files: Codex refuses to set up its
  // sandbox helper when its home is under TMPDIR ("Refusing to create helper binaries under
  // temporary dir"), and then every command it is allowed to run fails.
  Object.assign(env, prepareAttemptFolder(join(folder, 'tmp'), env, undefined));
  return {
    key: { sessionId: randomUUID(), runId, step: step.step, attempt },
    launch,
    cwd,
    env,
    tool: platform,
    agentName: agent?.name,
    prompt: promptFor(step, inputs),
    approval: { runId, step: step.step, workflowId: place.workflowId ?? undefined, agentName: agent?.name, tool: platform, cwd },
    redactor: agentEnv.redactor,
    timeoutMs: step.timeout,
  };
}

/** At most one write of a running conversation per this many ms; the last is written when it ends. */
const saveEveryMs = 250;

export class SessionAttempt {
  readonly info: { pid: number | null };
  /** What the attempt produced, set before its exit is announced. */
  read: ReadResult | undefined;
  private readonly session: AgentSession;
  private readonly transcript = new SessionTranscript();
  private readonly dataListeners: ((data: string) => void)[] = [];
  private readonly exitListeners: ((exit: ExitInfo) => void)[] = [];
  private readonly waitingFor = new Set<string>();
  private saveTimer: NodeJS.Timeout | undefined;
  private killed: Promise<void> | undefined;
  /** Stop turn was pressed on the run page: the attempt's turn ended because a person said so. */
  private stoppedByUser = false;
  /** What the attempt still waited for when Photon stopped it: a timeout's reason. */
  private activityAtStop: string | undefined;
  private stopRequested!: () => void;
  private readonly stopped = new Promise<'stopped'>((resolve) => (this.stopRequested = () => resolve('stopped')));
  private readonly exited: Promise<void>;

  constructor(
    private readonly options: SessionAttemptOptions,
    private readonly sessions: StepSessions,
    private readonly events: EventBus,
    /** Why Photon stops the attempt, once it does (the executor's reason, read when `kill` comes). */
    private readonly stopReason: () => KillReason | undefined = () => undefined,
  ) {
    const { key, launch } = options;
    const broker = sessions.deps.broker(options.approval);
    this.session = new AgentSession({
      id: key.sessionId,
      tool: options.tool,
      agentName: options.agentName,
      runId: key.runId,
      stepId: String(key.step),
      cwd: options.cwd,
      command: launch.command,
      args: launch.args,
      env: options.env,
      authMethod: launch.authMethod,
      model: launch.model,
      startTimeoutMs: launch.startTimeoutMs,
      permissions: this.watching(broker),
      redactor: options.redactor,
    });
    this.info = { pid: this.session.pid > 0 ? this.session.pid : null };
    this.session.subscribe({
      info: (info) => this.changed(info),
      entry: (index, entry) => this.entryChanged(index, entry),
    });
    const live = { info: () => this.session.info, entries: () => this.shownEntries(), send: (text: string) => this.followUp(text), stopTurn: () => this.stopTurn() };
    sessions.add({
      get info() {
        return live.info();
      },
      entries: live.entries,
      send: live.send,
      stopTurn: live.stopTurn,
    });
    // Listed with its run from the start, so a page opened now finds the step's conversation.
    this.save();
    this.exited = this.run();
  }

  onData(listener: (data: string) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): void {
    this.exitListeners.push(listener);
  }

  /** Cancels the turn (ACP `session/cancel`) for at most `graceMs`, then stops the agent's process group. */
  kill(graceMs = 2000): Promise<void> {
    this.killed ??= (async () => {
      // Said before the cancel closes the requests that wait; on a timeout they expire, saying why.
      this.activityAtStop = this.activity();
      if (this.activityAtStop && this.stopReason() === 'timeout') this.sessions.deps.expire(this.options.key.sessionId, this.timeoutReason());
      this.stopRequested();
      await Promise.race([this.session.cancel().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      await this.session.close();
    })();
    return this.killed.then(() => this.exited);
  }

  /** A follow-up typed on the run page: queued while the turn runs, sent before the attempt ends. */
  private followUp(text: string): void {
    this.session.send(text).catch(() => undefined);
  }

  private async stopTurn(): Promise<void> {
    this.stoppedByUser = true;
    await this.session.cancel().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let exit: ExitInfo;
    try {
      const outcome = await Promise.race([this.converse(), this.stopped]);
      if (outcome === 'stopped') {
        await this.killed;
        exit = { exitCode: null, signal: 'SIGTERM' };
        this.read = { result: { output: this.session.conversation.finalMessage(), ...this.usage() }, activity: this.activityAtStop };
      } else {
        exit = { exitCode: outcome.error ? 1 : 0, signal: null };
        this.read = { result: { output: this.session.conversation.finalMessage(), ...this.usage(), ...(outcome.error ? { error: outcome.error } : {}) } };
      }
    } catch (error) {
      // Stopped by Photon while the session failed on its way down: the stop is what happened.
      const reason = error instanceof Error ? error.message : String(error);
      exit = this.killed ? { exitCode: null, signal: 'SIGTERM' } : { exitCode: 1, signal: null };
      this.read = { result: { output: '', ...this.usage(), error: reason }, activity: this.activityAtStop };
      if (!this.killed) this.emitData(`\r\nphoton: ${reason}\r\n`);
    }
    await this.session.close().catch(() => undefined);
    clearTimeout(this.saveTimer);
    this.save();
    this.sessions.remove(this.options.key.sessionId);
    for (const listener of this.exitListeners) listener(exit);
  }

  /** The prompt's turn and what it queued; a turn the agent ended other than normally is an error. */
  private async converse(): Promise<{ error?: string }> {
    await this.session.start();
    await this.session.send(this.options.prompt);
    await this.session.idle();
    const end = [...this.session.conversation.entries].reverse().find((entry) => entry.type === 'turn_end');
    const stopReason = end?.type === 'turn_end' ? end.stopReason : 'end_turn';
    if (stopReason === 'end_turn') return {};
    if (stopReason === 'cancelled') return { error: this.stoppedByUser ? 'its turn was stopped from the run page (Stop turn)' : 'the agent stopped its turn (cancelled) before it finished' };
    return { error: `the agent ended its turn early: ${stopReason.replace(/_/g, ' ')}` };
  }

  /** Remembers which requests wait, so a step timed out while one did says so. */
  private watching(broker: PermissionBroker): PermissionBroker {
    return async (question) => {
      const title = question.toolCall.title || `${question.toolCall.kind} call`;
      this.waitingFor.add(title);
      try {
        return await broker(question);
      } finally {
        this.waitingFor.delete(title);
      }
    };
  }

  private activity(): string | undefined {
    const waiting = [...this.waitingFor];
    if (waiting.length === 0) return undefined;
    return `the permission request ${waiting.map((title) => `"${title}"`).join(', ')} was not answered in time (photon approvals lists it)`;
  }

  private timeoutReason(): string {
    const timeout = this.options.timeoutMs;
    return `not answered within the step's timeout${timeout !== undefined ? ` (${Math.round(timeout / 100) / 10} s)` : ''}: the step timed out`;
  }

  private usage(): { costUsd?: number; tokens?: { input: number; output: number; cached?: number; cacheWrite?: number } } {
    const usage = this.session.info.usage;
    const tokens =
      usage.inputTokens !== undefined || usage.outputTokens !== undefined
        ? { input: usage.inputTokens ?? 0, output: usage.outputTokens ?? 0, cached: usage.cachedReadTokens, cacheWrite: usage.cachedWriteTokens }
        : undefined;
    return { ...(usage.costUsd !== undefined ? { costUsd: usage.costUsd } : {}), ...(tokens ? { tokens } : {}) };
  }

  private changed(info: SessionInfo): void {
    this.events.emit('session.updated', info);
    this.scheduleSave();
  }

  private entryChanged(index: number, entry: SessionEntry): void {
    const text = this.transcript.text(index, entry);
    if (text) this.emitData(text);
    if (this.events.hasListeners('session.entry')) this.events.emit('session.entry', { sessionId: this.options.key.sessionId, index, entry: structuredClone(entry) });
    this.scheduleSave();
  }

  private emitData(text: string): void {
    for (const listener of this.dataListeners) listener(text);
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, saveEveryMs);
  }

  private save(): void {
    try {
      this.sessions.deps.store.save(this.options.key, this.session.info, this.shownEntries());
    } catch (error) {
      // SQLite refused it (disk full, the lock held too long): each save writes the whole
      // conversation, so the next one keeps what this one could not.
      if (isWriteRefusal(error)) return;
      // The engine closed its database meanwhile; the attempt itself is stopped by the engine.
      if (!(error instanceof Error && /not open|closed/i.test(error.message))) throw error;
    }
  }

  private shownEntries(): SessionEntry[] {
    return structuredClone(this.session.conversation.entries);
  }
}
