import { terminalFlow } from '../../shared/terminals.js';
import type { TerminalSink } from './terminal-pipe.js';

export interface OutputPacerOptions {
  /** While output is busy, xterm gets at most one write per this many ms. */
  intervalMs?: number;
  /** Output counts as busy once more than this many characters arrived within one interval. */
  busyChars?: number;
  /** Held output goes at once when it reaches this many characters. */
  maxHeldChars?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const outputPacing = {
  /** About 30 frames a second under a flood. */
  intervalMs: 33,
  /** 16,000 characters in 33 ms, about 0.5 MB/s: far above typing and a command's output, well under any flood. */
  busyChars: 16_000,
  /**
   * The engine pauses the program once the view is `terminalFlow.highWatermark` behind, and held
   * output counts as behind: holding more than a quarter of it (about a third for lines of 76)
   * would leave too little in flight for the program to keep running while xterm parses.
   */
  maxHeldChars: Math.floor(terminalFlow.highWatermark / 4),
} as const;

type Held = { data: string | Uint8Array; done: () => void };

/**
 * When a terminal's output streams in fast, xterm is handed it in one write per `intervalMs`
 * instead of one per batch, so it draws about 1000 / `intervalMs` frames a second whatever the
 * throughput (iTerm2's adaptive frame rate, kitty's repaint_delay).
 *
 * Why: xterm parses its write queue in slices of 12 ms and draws a frame between slices whenever
 * one is due, about 55 a second under any flood. Each frame (its DOM rows, style, layout, paint,
 * raster, compositing) costs the same whatever it shows, so a flood that arrives at half of
 * xterm's own speed paid twice its CPU per MB in frames, on cores it shares with the engine, the
 * pty host and the program. Held batches are handed over as one chunk, which xterm parses in one
 * go and then draws once.
 *
 * Ordinary output is not held: a batch is written at once unless more than `busyChars` arrived in
 * the last interval, so a key's echo or a command's few lines are drawn on the next frame. Each
 * batch's `done` still runs only after xterm consumed it, so flow control counts held output as
 * unconsumed; at most `maxHeldChars` is held.
 *
 * The engine sends a flood in batches about 16 ms apart, so one write per 33 ms halves xterm's
 * writes and frames, no more; a longer interval would hold more than the flow-control window
 * leaves room for (see `outputPacing.maxHeldChars`).
 */
export class OutputPacer implements TerminalSink {
  private readonly intervalMs: number;
  private readonly busyChars: number;
  private readonly maxHeldChars: number;
  private heldChars = 0;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private held: Held[] = [];
  private timer: unknown;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowChars = 0;
  private spare: ArrayBuffer[] = [];

  constructor(
    private readonly inner: TerminalSink,
    options: OutputPacerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? outputPacing.intervalMs;
    this.busyChars = options.busyChars ?? outputPacing.busyChars;
    this.maxHeldChars = options.maxHeldChars ?? outputPacing.maxHeldChars;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  write(data: string | Uint8Array, done: () => void): void {
    const now = this.now();
    if (now - this.windowStart >= this.intervalMs) {
      this.windowStart = now;
      this.windowChars = 0;
    }
    this.windowChars += data.length;
    if (this.held.length > 0) {
      this.held.push({ data, done });
      this.heldChars += data.length;
      if (this.heldChars >= this.maxHeldChars) {
        this.clearTimer(this.timer);
        this.flush();
      }
      return;
    }
    const due = this.lastWrite + this.intervalMs;
    if (this.windowChars <= this.busyChars || now >= due) {
      this.lastWrite = now;
      this.inner.write(data, done);
      return;
    }
    this.held = [{ data, done }];
    this.heldChars = data.length;
    this.timer = this.setTimer(() => this.flush(), due - now);
  }

  /** Held output is dropped: reset precedes the engine's scrollback, which holds it. */
  reset(): void {
    this.dispose();
    this.inner.reset();
  }

  /** Drops what is held, so nothing is written after the terminal has gone. */
  dispose(): void {
    this.clearTimer(this.timer);
    this.timer = undefined;
    this.held = [];
    this.heldChars = 0;
  }

  private flush(): void {
    this.timer = undefined;
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    this.lastWrite = this.now();
    for (const run of runsOfOneKind(held)) {
      const dones = run.map((each) => each.done);
      if (run.length === 1) {
        this.inner.write(run[0]!.data, dones[0]!);
      } else if (typeof run[0]!.data === 'string') {
        this.inner.write(run.map((each) => each.data as string).join(''), () => runAll(dones));
      } else {
        const buffer = this.joinBytes(run.map((each) => each.data as Uint8Array));
        this.inner.write(buffer, () => {
          this.spare.push(buffer.buffer as ArrayBuffer);
          runAll(dones);
        });
      }
    }
  }

  /**
   * Copies the batches into one buffer. Buffers come back once xterm has parsed them and are used
   * again: a fresh one per flush (a MB, 30 times a second) cost more than the copy.
   */
  private joinBytes(parts: Uint8Array[]): Uint8Array {
    let length = 0;
    for (const part of parts) length += part.length;
    let buffer = this.spare.pop();
    if (!buffer || buffer.byteLength < length) buffer = new ArrayBuffer(Math.max(length, 2 * (buffer?.byteLength ?? 0), 1 << 20));
    const out = new Uint8Array(buffer, 0, length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function runAll(dones: (() => void)[]): void {
  for (const done of dones) done();
}

/** Consecutive batches of the same kind (text or bytes), which join into one chunk. */
function runsOfOneKind(held: Held[]): Held[][] {
  const runs: Held[][] = [];
  for (const each of held) {
    const last = runs.at(-1);
    if (last && typeof last[0]!.data === typeof each.data) last.push(each);
    else runs.push([each]);
  }
  return runs;
}
