/** A terminal the engine owns: a user's shell, a tool's interactive session, or a step's attempt. */
export interface TerminalInfo {
  id: string;
  title: string;
  /** What runs in it: a shell command, or null for an interactive shell. */
  command: string | null;
  cwd: string;
  pid: number | null;
  status: 'running' | 'exited';
  exitCode: number | null;
  signal: string | null;
  cols: number;
  rows: number;
  createdAt: string;
  exitedAt: string | null;
  /** Set when the terminal runs a step's attempt. */
  owner: { runId: string; step: number; attempt: number } | null;
}

/**
 * What parsing `text` costs xterm, in characters' worth: every character, and every line feed as
 * much again as `lineFeedWork` characters (xterm scrolls its buffer and tells its listeners at each
 * one). Measured in Chromium: `yes` (three characters a line) parses at about 4.3 MB/s and lines of
 * 76 at 40, which fits 0.018 µs a character and 0.55 µs a line feed.
 */
export function outputWork(text: string): number {
  let lineFeeds = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineFeeds++;
  return text.length + lineFeeds * lineFeedWork;
}

/** A line feed costs xterm about as much as this many characters (see `outputWork`). */
export const lineFeedWork = 30;

/**
 * How far behind the engine lets a terminal view fall, in the view's work (`outputWork`), and how
 * acknowledgements (in characters) are paced.
 *
 * Once the pty is paused it resumes only after the view's acknowledgement reaches the engine, and
 * new output then has the whole way back to make: engine, pty host, pty, host, the engine's batch,
 * the socket, the page. What the view still holds when the pty resumes (the low watermark less
 * what it consumed and has not acknowledged yet, at most `ackBatchChars`) must keep xterm busy all
 * that time, and on a loaded machine each of those processes waits for a core. With a window of
 * 500,000 characters resumed below 250,000 and acknowledgements per 125,000, a view held as little
 * as 4,000 characters when the pty resumed and then waited with nothing to write. For lines of 76
 * characters the window below is 1,260,000 characters, resumed below 1,010,000, so the view holds
 * about 800,000 less what is on the way (test/engine/terminals/flood-flow.test.ts). Floods of
 * 100 MB taking turns in one page (bench/terminal.bench.ts's own steps, 4 each, load 10 to 12 on
 * 2 cores): end to end 0.49 of xterm alone before, 0.57 after (medians); a window twice as wide
 * gave 0.51 beside 0.59, so wider buys nothing more.
 *
 * xterm parses everything sent before a Ctrl-C before its prompt, and `yes` ten times slower than
 * such lines: the same window in characters cost Ctrl-C in a `yes` flood 360 ms to the prompt
 * (median, load 13 to 17) against 80 before. In work it holds about 160,000 characters of `yes`
 * (35 ms of xterm): 49 ms against 81 before, in the runs above.
 * Acknowledgements are paced by time: one per interval carries everything consumed in it (one per
 * 5,000 characters cost the page 400 ms of a 100 MB flood in WebSocket sends, and the engine as
 * many dispatches), or one per `ackBatchChars` when the view consumes that much sooner.
 */
export const terminalFlow = {
  /** Pause the process above this much unconsumed work (`outputWork`). */
  highWatermark: 1_750_000,
  /** Resume it below this much. */
  lowWatermark: 1_400_000,
  /** A view acknowledges at once when it has consumed this many characters since its last acknowledgement... */
  ackBatchChars: 200_000,
  /** ...and otherwise this long after the first character it has not acknowledged yet. */
  ackIntervalMs: 15,
} as const;
