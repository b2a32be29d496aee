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
 * the view then waits for the next output to come back; what it holds when the pty resumes (the
 * low watermark, about 10 ms of xterm's work) keeps it busy meanwhile. A wider window did not help:
 * 1,000,000/500,000 gave the same end-to-end speed (bench/terminal.bench.ts, 14.8 against 14.7
 * MB/s) with the engine's memory growth 23 -> 35 MB and Ctrl-C 61 -> 102 ms, since everything sent
 * is drawn before the prompt. Acknowledgements are paced by time: one per interval carries
 * everything consumed in it (one per 5,000 characters cost the page 400 ms of a 100 MB flood in
 * WebSocket sends, and the engine as many dispatches).
 */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 500_000,
  /** Resume it below this many. */
  lowWatermark: 250_000,
  /** A view acknowledges at once when it has consumed this many characters since its last acknowledgement... */
  ackBatchChars: 125_000,
  /** ...and otherwise this long after the first character it has not acknowledged yet. */
  ackIntervalMs: 10,
} as const;
