import type { PhotonClient } from '../../shared/api.js';
import { terminalFlow, type TerminalInfo } from '../../shared/terminals.js';
import type { Transport } from '../client/transport.js';

/** Where a terminal's output goes: xterm in the app, a string in tests. */
export interface TerminalSink {
  /**
   * Writes text, or its UTF-8 bytes (whole characters, as the WebSocket's frames bring them: xterm
   * decodes them itself); `done` runs once it has been consumed (parsed), as xterm's write callback does.
   */
  write(data: string | Uint8Array, done: () => void): void;
  /** Clears the screen and the scrollback before the engine's scrollback is written again. */
  reset(): void;
}

export interface TerminalPipeOptions {
  /** Acknowledge at once when this many characters have been consumed since the last acknowledgement. */
  ackBatchChars?: number;
  /** Otherwise acknowledge what was consumed this long after the first of it. */
  ackIntervalMs?: number;
}

/** The largest `terminals.write` the contract accepts. */
export const maxWriteChars = 65_536;

/** Splits typed or pasted text into writes the contract accepts, never inside a surrogate pair. */
export function writeChunks(data: string, max = maxWriteChars): string[] {
  if (data.length <= max) return [data];
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + max, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

type PipeState = 'detached' | 'attaching' | 'attached';

/**
 * One terminal's link to the engine, independent of xterm: attach (the scrollback first, then
 * live output), acknowledgements after the view consumed text, input, resize and detach.
 *
 * `terminal.data` that arrives before the attach reply is dropped: the engine flushed it before
 * taking the scrollback snapshot, so it is already in the scrollback. Every attach starts a new
 * epoch; consumption reported for an earlier epoch is not acknowledged, since the engine started
 * counting afresh.
 */
export class TerminalPipe {
  private state: PipeState = 'detached';
  private epoch = 0;
  private unacked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly ackBatchChars: number;
  private readonly ackIntervalMs: number;
  /** Characters of live output the view has consumed since this pipe was made (for measurements). */
  consumed = 0;

  constructor(
    private readonly client: PhotonClient,
    readonly id: string,
    private readonly sink: TerminalSink,
    options: TerminalPipeOptions = {},
  ) {
    this.ackBatchChars = options.ackBatchChars ?? terminalFlow.ackBatchChars;
    this.ackIntervalMs = options.ackIntervalMs ?? terminalFlow.ackIntervalMs;
  }

  get isAttached(): boolean {
    return this.state === 'attached';
  }

  /** Neither attached nor attaching: the next (re)connect should attach it. */
  get isDetached(): boolean {
    return this.state === 'detached';
  }

  /**
   * Attaches (again): clears the view, writes the engine's scrollback and starts taking live
   * output. Resolves with the terminal's facts, or null when a later attach or dispose overtook it.
   * Rejects when the engine refuses (e.g. `not_found`).
   */
  async attach(): Promise<TerminalInfo | null> {
    if (this.disposed) return null;
    const epoch = ++this.epoch;
    this.state = 'attaching';
    this.unacked = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    let reply: { terminal: TerminalInfo; scrollback: string };
    try {
      reply = await this.client.call('terminals.attach', { id: this.id });
    } catch (error) {
      if (epoch === this.epoch) this.state = 'detached';
      throw error;
    }
    if (epoch !== this.epoch || this.disposed) return null;
    // Set before any later message is handled: events after the reply are live output.
    this.state = 'attached';
    this.sink.reset();
    if (reply.scrollback !== '') this.sink.write(reply.scrollback, () => {});
    return reply.terminal;
  }

  /**
   * A batch of this terminal's output (renderer/terminals/terminal-output.ts): text, or its UTF-8
   * bytes with `chars`, the text's length in UTF-16 code units, which flow control counts.
   */
  receive(data: string | Uint8Array, chars = typeof data === 'string' ? data.length : Number.NaN): void {
    if (!Number.isInteger(chars)) throw new TypeError(`terminal output of ${data.length} bytes came without its character count, which the engine's flow control needs`);
    if (this.state !== 'attached' || this.disposed) return;
    const epoch = this.epoch;
    this.sink.write(data, () => this.consumedChars(epoch, chars));
  }

  /** The link went down: the engine forgot this client, so nothing is attached any more. */
  linkLost(): void {
    this.state = 'detached';
    this.epoch++;
    this.unacked = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  input(data: string): void {
    if (this.disposed) return;
    for (const chunk of writeChunks(data)) {
      // A terminal that exited refuses input; its tab already says so.
      this.client.call('terminals.write', { id: this.id, data: chunk }).catch(() => {});
    }
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    this.client.call('terminals.resize', { id: this.id, cols, rows }).catch(() => {});
  }

  /** Stops receiving (and counting in flow control); the terminal keeps running. */
  async detach(): Promise<void> {
    const wasAttached = this.state !== 'detached';
    this.linkLost();
    if (wasAttached) await this.client.call('terminals.detach', { id: this.id }).catch(() => null);
  }

  dispose(): void {
    this.disposed = true;
    this.linkLost();
  }

  private consumedChars(epoch: number, chars: number): void {
    this.consumed += chars;
    if (epoch !== this.epoch || this.disposed) return;
    this.unacked += chars;
    // Counted by time: one acknowledgement per interval carries everything consumed in it, so a
    // flood costs a few dozen calls a second whatever the size of its frames, and the engine's
    // count is never more than an interval (or a batch) behind what the view has drawn.
    if (this.unacked >= this.ackBatchChars) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), this.ackIntervalMs);
  }

  private flushAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked === 0 || this.state !== 'attached') return;
    const chars = this.unacked;
    this.unacked = 0;
    // Under a flood one acknowledgement goes per batch: as a frame nobody answers, not a call and its reply.
    if ((this.client as { transport?: Pick<Transport, 'acknowledgeTerminal'> }).transport?.acknowledgeTerminal?.(this.id, chars)) return;
    this.client.call('terminals.ack', { id: this.id, chars }).catch(() => {});
  }
}
