import { randomUUID } from 'node:crypto';
import type { TerminalInfo } from '../../../shared/terminals.js';
import { outputWork, terminalFlow } from '../../../shared/terminals.js';
import { PhotonError } from '../../../shared/errors.js';
import { FlowControl } from './flow-control.js';
import { spawnPty, type ExitInfo, type PtyProcess, type SpawnOptions } from './pty-process.js';
import { Scrollback } from './scrollback.js';

export interface TerminalEvents {
  /**
   * A batch of output. `bytes`, when given, are its UTF-8 in parts, in order (pieces as the pty
   * gave them, text where it had none): a view taking bytes is sent those rather than `data` encoded again.
   */
  data(id: string, data: string, bytes?: readonly (Uint8Array | string)[]): void;
  updated(info: TerminalInfo): void;
}

/** Rewrites a terminal's output before anything sees it (secret values redacted); holds back what may continue in the next chunk. */
export interface OutputFilter {
  push(chunk: string): string;
  flush(): string;
}

export interface CreateTerminalOptions extends SpawnOptions {
  title: string;
  command: string | null;
  owner?: TerminalInfo['owner'];
  /** Applied before the scrollback, the views and the creator's listeners: none of them sees the raw text. */
  outputFilter?: OutputFilter;
}

/** A live terminal as its creator sees it: the process plus the manager's bookkeeping. */
export interface TerminalHandle {
  /** `pid` is filled in once the process runs (see `started`). */
  readonly info: TerminalInfo;
  /**
   * Resolves with the pid once the process runs, or null when it could not start. A handle that
   * knows its pid at once (one that wraps another process) may leave it out: `info.pid` holds it.
   */
  readonly started?: Promise<number | null>;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: ExitInfo) => void): void;
  kill(graceMs?: number): Promise<void>;
}

interface Session {
  info: TerminalInfo;
  process: PtyProcess;
  scrollback: Scrollback;
  flow: FlowControl;
  batch: string;
  /** The batch's UTF-8 as it came (TerminalEvents.data's `bytes`), or its text where none came. */
  batchParts: (Uint8Array | string)[];
  /** Whether any of `batchParts` is bytes: a batch of text alone has no use for them. */
  batchHasBytes: boolean;
  /** What the batch costs a view to parse (`outputWork`): flow control counts that. */
  batchWork: number;
  batchTimer: NodeJS.Timeout | undefined;
  /** When the last batch was sent (performance.now()): the next waits until `batchMs` after it. */
  lastBatchAt: number;
  /** The pty just resumed: its views have drained, so the next output goes at once. */
  sendNextAtOnce: boolean;
}

export interface TerminalManagerOptions {
  /** Characters of recent output kept per terminal for attaching views. */
  scrollbackChars?: number;
  /** Output is sent to views in batches at most this often; output after a quiet spell waits 5 ms at most (or this, when shorter). */
  batchMs?: number;
  /** A batch this much work for a view (`outputWork`) is sent without waiting for the timer. */
  maxBatchWork?: number;
  /** Exited terminals kept (with their scrollback) so their views can still show them. */
  keepExited?: number;
}

/** Every terminal the engine runs: create, write, resize, kill, attach with scrollback, flow control. */
export class TerminalManager {
  private readonly sessions = new Map<string, Session>();
  /**
   * The exited ones, in the order they exited: past `keepExited` the oldest is forgotten. Kept
   * apart so a terminal's exit (each step's) does not walk every terminal kept.
   */
  private readonly exited = new Set<Session>();
  private readonly scrollbackChars: number;
  private readonly batchMs: number;
  /** How long output after a quiet spell waits for more before it is sent. */
  private readonly gatherMs: number;
  private readonly maxBatchWork: number;
  private readonly keepExited: number;

  constructor(
    private readonly events: TerminalEvents,
    options: TerminalManagerOptions = {},
  ) {
    this.scrollbackChars = options.scrollbackChars ?? 512 * 1024;
    // A batch per frame of the view (60 a second): xterm draws at most once a frame, so a flood
    // shown in 16 ms batches looks the same as in 5 ms ones, and every batch costs the engine a
    // frame and a write, Chromium a WebSocket message and the page a write into xterm, whose
    // cursor then moves (the textarea follows it: a style change, a layout). In batches of 5 ms a
    // 100 MB flood took 1,100 messages. Output after a quiet spell (a key's echo, a program's
    // redraw in a few reads) is still gathered for 5 ms only.
    this.batchMs = options.batchMs ?? 16;
    this.gatherMs = Math.min(5, this.batchMs);
    // A fast process fills 5 ms with over 100,000 characters (a pty gives about 25 MB/s): with a
    // narrow window one timed batch alone would pause it. A quarter of the window at a time pauses
    // only a view that really falls behind, and the engine builds smaller strings (bench: peak
    // growth 33 -> 26.5 MB at the same speed).
    this.maxBatchWork = options.maxBatchWork ?? Math.ceil(terminalFlow.highWatermark / 4);
    this.keepExited = options.keepExited ?? 50;
  }

  create(options: CreateTerminalOptions): TerminalHandle {
    const child = spawnPty(options);
    const cols = options.cols ?? 120;
    const rows = options.rows ?? 30;
    const info: TerminalInfo = {
      id: randomUUID(),
      title: options.title,
      command: options.command,
      cwd: options.cwd,
      pid: child.pid ?? null,
      status: 'running',
      exitCode: null,
      signal: null,
      cols,
      rows,
      createdAt: new Date().toISOString(),
      exitedAt: null,
      owner: options.owner ?? null,
    };
    const resume = () => {
      session.sendNextAtOnce = true;
      child.resume();
    };
    const session: Session = {
      info,
      process: child,
      scrollback: new Scrollback(this.scrollbackChars),
      flow: new FlowControl(() => child.pause(), resume, terminalFlow.highWatermark, terminalFlow.lowWatermark),
      batch: '',
      batchParts: [],
      batchHasBytes: false,
      batchWork: 0,
      batchTimer: undefined,
      lastBatchAt: -Infinity,
      sendNextAtOnce: false,
    };
    this.sessions.set(info.id, session);

    const dataListeners: ((data: string) => void)[] = [];
    /** The first half of a surrogate pair whose second half has not come yet. */
    let heldHalf = '';
    /** `bytes`: the UTF-8 of `text` as the pty gave it, when it is that unchanged (no filter). */
    const deliver = (text: string, final = false, bytes?: Uint8Array) => {
      let data = text;
      /** The bytes of `data`, while it is the text they decode to. */
      let asCame = bytes;
      if (heldHalf !== '') {
        data = heldHalf + text;
        heldHalf = '';
        asCame = undefined;
      }
      // Views get the output as UTF-8 (binary WebSocket frames), which cannot carry half a pair:
      // a filter may cut its text anywhere, so the first half waits for the second.
      if (!final && endsInHighSurrogate(data)) {
        heldHalf = data.slice(-1);
        data = data.slice(0, -1);
        asCame = undefined;
      }
      if (data === '') return;
      session.scrollback.append(data);
      session.batch += data;
      session.batchParts.push(asCame ?? data);
      session.batchHasBytes ||= asCame !== undefined;
      session.batchWork += outputWork(data);
      if (session.sendNextAtOnce || session.batchWork >= this.maxBatchWork) this.flush(session);
      else if (session.batchTimer === undefined) {
        const wait = Math.max(this.gatherMs, session.lastBatchAt + this.batchMs - performance.now());
        session.batchTimer = setTimeout(() => this.flush(session), wait);
      }
      for (const listener of dataListeners) listener(data);
    };
    const filter = options.outputFilter;
    child.onData(filter ? (data) => deliver(filter.push(data)) : (data, bytes) => deliver(data, false, bytes));
    const started = child.started.then((pid) => {
      if (pid === undefined) return null;
      info.pid = pid;
      // Views learn the pid as soon as it is known; an exit already reported carries it anyway.
      if (info.status === 'running') this.events.updated({ ...info });
      return pid;
    });
    child.onExit((exit) => {
      if (filter) deliver(filter.flush());
      // The user sees why in the terminal itself, and a step's log keeps it.
      if (exit.error) deliver(`${session.scrollback.snapshot() === '' ? '' : '\r\n'}photon: ${exit.error}\r\n`);
      deliver('', true);
      this.flush(session);
      info.status = 'exited';
      info.exitCode = exit.exitCode;
      info.signal = exit.signal;
      info.exitedAt = new Date().toISOString();
      this.events.updated({ ...info });
      this.forgetOldExited(session);
    });
    this.events.updated({ ...info });

    return {
      info,
      started,
      onData: (listener) => void dataListeners.push(listener),
      onExit: (listener) => child.onExit(listener),
      kill: (graceMs) => child.kill(graceMs),
    };
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s.info }));
  }

  get(id: string): TerminalInfo {
    return { ...this.require(id).info };
  }

  /** The terminal of a step's latest attempt, if it is still known. */
  forStep(runId: string, step: number): TerminalInfo | null {
    let latest: TerminalInfo | null = null;
    for (const { info } of this.sessions.values()) {
      if (info.owner?.runId === runId && info.owner.step === step && (!latest || info.owner.attempt > latest.owner!.attempt)) latest = info;
    }
    return latest ? { ...latest } : null;
  }

  /** Starts counting `clientId` in the terminal's flow control and returns what it missed. */
  attach(id: string, clientId: string): { terminal: TerminalInfo; scrollback: string } {
    const session = this.require(id);
    this.flush(session);
    session.flow.attach(clientId);
    return { terminal: { ...session.info }, scrollback: session.scrollback.snapshot() };
  }

  /** Whether `clientId` is attached to the terminal, i.e. takes its output. */
  isAttached(id: string, clientId: string): boolean {
    return this.sessions.get(id)?.flow.isAttached(clientId) ?? false;
  }

  detach(id: string, clientId: string): void {
    this.sessions.get(id)?.flow.detach(clientId);
  }

  /** A client went away (socket closed, window gone): it no longer holds back any terminal. */
  detachClient(clientId: string): void {
    for (const session of this.sessions.values()) session.flow.detach(clientId);
  }

  ack(id: string, clientId: string, chars: number): void {
    this.sessions.get(id)?.flow.ack(clientId, chars);
  }

  write(id: string, data: string): void {
    const session = this.require(id);
    if (session.info.status !== 'running') throw new PhotonError('conflict', `terminal ${id} has exited; open a new one`);
    session.process.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const session = this.require(id);
    if (session.info.status !== 'running') return;
    session.process.resize(cols, rows);
    session.info.cols = cols;
    session.info.rows = rows;
  }

  async kill(id: string): Promise<void> {
    const session = this.require(id);
    if (session.info.status === 'running') await session.process.kill();
  }

  /** Kills a terminal if it runs and forgets it. A step's terminal closes only after its attempt ended. */
  async close(id: string): Promise<void> {
    const session = this.require(id);
    if (session.info.owner && session.info.status === 'running') {
      throw new PhotonError('conflict', `terminal ${id} runs step ${session.info.owner.step}; cancel the run to stop it`);
    }
    await this.kill(id);
    this.sessions.delete(id);
    this.exited.delete(session);
  }

  isPaused(id: string): boolean {
    return this.require(id).flow.isPaused;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].filter((s) => s.info.status === 'running').map((s) => s.process.kill()));
  }

  private flush(session: Session): void {
    clearTimeout(session.batchTimer);
    session.batchTimer = undefined;
    if (session.batch === '') return;
    session.sendNextAtOnce = false;
    session.lastBatchAt = performance.now();
    const data = session.batch;
    const bytes = session.batchHasBytes ? session.batchParts : undefined;
    const work = session.batchWork;
    session.batch = '';
    session.batchParts = [];
    session.batchHasBytes = false;
    session.batchWork = 0;
    session.flow.sent(data.length, work);
    this.events.data(session.info.id, data, bytes);
  }

  private forgetOldExited(session: Session): void {
    this.exited.add(session);
    for (const oldest of this.exited) {
      if (this.exited.size <= this.keepExited) break;
      this.exited.delete(oldest);
      this.sessions.delete(oldest.info.id);
    }
  }

  private require(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new PhotonError('not_found', `no terminal "${id}"`);
    return session;
  }
}

function endsInHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}
