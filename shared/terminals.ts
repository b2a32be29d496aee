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
 * How far behind the engine lets a terminal view fall, and how acknowledgements are batched.
 *
 * The window is wider than VS Code's 100,000/5,000: over a WebSocket the view's acknowledgement
 * takes a round trip plus the engine's 5 ms batch before new output arrives, and resuming only near
 * zero let the view drain and wait on every cycle (11 MB/s end to end in bench/terminal.bench.ts).
 * Resuming at half the window keeps xterm busy (16.5 MB/s); a wider window adds nothing there but
 * lengthens the wait after Ctrl-C, since everything already sent is drawn before the prompt (xterm
 * takes about 100 ms for 500,000 characters of `yes`). Engine memory per view stays bounded by it.
 */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 500_000,
  /** Resume it below this many. */
  lowWatermark: 250_000,
  /** A view acknowledges once it has consumed this many characters. */
  ackBatchChars: 5_000,
} as const;
