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
 * The window must cover a round trip: once the pty is paused, it resumes only after the view's
 * acknowledgement reaches the engine, and the view then waits for the next output to come back
 * through the pty host, the engine, the WebSocket and the browser: five processes, each waiting for
 * a core on a loaded machine. What the view holds when the pty resumes (the low watermark) is what
 * keeps it busy meanwhile. At 500,000/250,000 with an acknowledgement every 5,000 characters the page
 * sat idle 41% of a flood (bench/terminal.bench.ts --profile), and end to end was 0.41 of xterm alone.
 * Acknowledgements are paced by time instead (one per interval carries everything consumed in it),
 * and the window is wide enough for tens of milliseconds of xterm's work. Its cost is the wait after
 * Ctrl-C (what was sent is drawn before the prompt) and the engine's memory, bounded by the window
 * per view either way.
 */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 1_000_000,
  /** Resume it below this many. */
  lowWatermark: 500_000,
  /** A view acknowledges at once when it has consumed this many characters since its last acknowledgement... */
  ackBatchChars: 125_000,
  /** ...and otherwise this long after the first character it has not acknowledged yet. */
  ackIntervalMs: 10,
} as const;
