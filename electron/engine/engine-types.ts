import type { EventEnvelope, EventName, EventPayload, MethodName, MethodParams, MethodResult, ReplyEnvelope, SystemInfo } from '../../shared/api.js';
import type { AccessScope, KeyPrincipal } from '../../shared/access.js';
import type { MetricsExport } from '../../shared/metrics.js';
import type { RunStatus } from '../../shared/runs.js';
import type { AuditEvent, AuditOptions, KeyCheck } from './keys/index.js';
import type { MetricsOptions } from './metrics/index.js';
import type { CallContext } from './rpc/index.js';
import type { RemoteListenConfig, RemoteListener } from './remote/index.js';
import type { Clock } from './schedules/index.js';

// What a host gives createEngine and what it gets back: the engine's face to electron/main and electron/server.

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
  /**
   * The UTF-8 of a `terminal.data` event's text, in parts (pieces as the pty gave them, text where
   * it gave none), when the engine has it: a host sending bytes makes its frame of these instead
   * of encoding the text again. Undefined for output that a filter rewrote (redacted secrets).
   */
  terminalOutputBytes(payload: EventPayload<'terminal.data'>): readonly (Uint8Array | string)[] | undefined;
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
