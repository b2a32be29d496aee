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
 * How far behind the engine lets a terminal view fall, and how acknowledgements are paced.
 *
 * Once the pty is paused it resumes only after the view's acknowledgement reaches the engine, and
 * new output then has the whole way back to make: engine, pty host, pty, host, the engine's batch,
 * the socket, the page. What the view still holds when the pty resumes (the low watermark less
 * what it consumed and has not acknowledged yet, at most `ackBatchChars`) must keep xterm busy all
 * that time, and on a loaded machine each of those processes waits for a core. With 500,000 and
 * 250,000 and acknowledgements per 125,000, a view held as little as 4,000 characters when the pty
 * resumed and then waited with nothing to write (the page was 11% idle through a 100 MB flood at
 * load 3, bench/terminal.bench.ts --profile); now it holds about 800,000 less what is on the way,
 * some 20 ms of xterm at 40 MB/s (test/engine/terminals/flood-flow.test.ts).
 *
 * The high watermark bounds what xterm must parse before the prompt after a Ctrl-C in a flood,
 * and `yes` (a line feed every two characters) is its slowest output: 2,000,000 measured 150 to
 * 340 ms from the key to the prompt, 500,000 about 65 (goal 300), so it stays close to the low one.
 * Acknowledgements are paced by time: one per interval carries everything consumed in it (one per
 * 5,000 characters cost the page 400 ms of a 100 MB flood in WebSocket sends, and the engine as
 * many dispatches), or one per `ackBatchChars` when the view consumes that much sooner.
 */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 1_250_000,
  /** Resume it below this many. */
  lowWatermark: 1_000_000,
  /** A view acknowledges at once when it has consumed this many characters since its last acknowledgement... */
  ackBatchChars: 200_000,
  /** ...and otherwise this long after the first character it has not acknowledged yet. */
  ackIntervalMs: 15,
} as const;
