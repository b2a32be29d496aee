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

/** How far behind the engine lets a terminal view fall, and how acknowledgements are batched. */
export const terminalFlow = {
  /** Pause the process above this many unacknowledged characters. */
  highWatermark: 100_000,
  /** Resume it below this many. */
  lowWatermark: 5_000,
  /** A view acknowledges once it has consumed this many characters. */
  ackBatchChars: 5_000,
} as const;
