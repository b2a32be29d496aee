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
 * The window is wider than the 100,000/5,000 of VS Code and of the design: every time the pty
 * resumes, the view has drained to the low watermark and then waits a round trip (its
 * acknowledgement to the engine, the pty read, the output back through the WebSocket) before it
 * has text again. At 100,000/5,000 that wait comes every 100,000 characters (2.5 ms of xterm's
 * work). bench/terminal.bench.ts, 3 runs each on 2 CPUs under load, page on the bare DevTools
 * protocol: 100k/5k 17.9 MB/s, Ctrl-C 18 ms; 500k/250k 22.6 MB/s, Ctrl-C 95 ms (goals >= 20 MB/s,
 * < 300 ms). Resuming at half a 500,000 window keeps xterm busy through the round trip; the cost
 * is the wait after Ctrl-C, since what was already sent is drawn before the prompt. Engine memory
 * per view stays bounded by the window (about 1 MB).
 */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 500_000,
  /** Resume it below this many. */
  lowWatermark: 250_000,
  /** A view acknowledges once it has consumed this many characters. */
  ackBatchChars: 5_000,
} as const;
