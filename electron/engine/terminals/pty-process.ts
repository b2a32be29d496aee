import { constants } from 'node:os';
import { leftNothing, ownLeaderStarted, stopMarkedProcesses, windowPids, type PidWindow } from './marked-processes.js';
import { terminateProcessGroup } from './process-group.js';
import { ptyHost } from './pty-host.js';

export interface SpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
  /**
   * Variables (added to `env`) that mark the process and everything it starts. Whatever leaves
   * its process group (`setsid`, a daemon's double fork) still carries them: when the process ends
   * or is killed, every process holding them is stopped too (Linux).
   */
  marks?: Record<string, string>;
  /** Folders (private to the user) the process needs, made by the terminal host as it starts it: its temp folder. */
  folders?: string[];
}

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process never started, or lost its terminal with Photon's terminal host: why. */
  error?: string;
}

/** A process in its own pseudo-terminal, with the whole process group as the unit of killing. */
export interface PtyProcess {
  /** Known once the terminal host has started the process. */
  readonly pid: number | undefined;
  /** Resolves with the pid once the process runs, or undefined when it could not start. */
  readonly started: Promise<number | undefined>;
  /** `bytes`, when given, is the UTF-8 of `data` as the pty gave it (HostedTerminal.data). */
  onData(listener: (data: string, bytes?: Uint8Array) => void): void;
  /** Fires once, after the leader exited and every process left in its group was terminated. */
  onExit(listener: (exit: ExitInfo) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Terminates the whole group and every marked process: SIGTERM, `graceMs`, SIGKILL. Resolves when nothing is left. */
  kill(graceMs?: number): Promise<void>;
}

const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/**
 * Starts the process through the terminal host (pty-host.ts), in its own pseudo-terminal. The
 * call returns at once; the pid follows (`started`), and whatever is written or asked of it
 * meanwhile reaches it in order.
 */
export function spawnPty(options: SpawnOptions): PtyProcess {
  const host = ptyHost();
  const marks = options.marks;
  let pid: number | undefined;
  let window: PidWindow | undefined;
  let markStarted!: (pid: number | undefined) => void;
  const started = new Promise<number | undefined>((resolve) => (markStarted = resolve));
  // The group and whatever left it, at the same time: one grace for both. A process whose start
  // is still under way is waited for; one that never started may still have left marked children
  // (a host lost just after the fork), found across the whole machine.
  // The group's members all have pids of the leader's window: only those are read while it is stopped.
  const terminate = (graceMs: number) =>
    started.then((leader) => {
      const known = window;
      return Promise.all([
        leader !== undefined ? terminateProcessGroup(leader, graceMs, { leaderReaped: known?.firstPidReaped, candidates: known ? () => windowPids(known) : undefined }) : undefined,
        marks ? stopMarkedProcesses(marks, graceMs, known) : undefined,
      ]).then(() => undefined);
    });
  const dataListeners: ((data: string, bytes?: Uint8Array) => void)[] = [];
  const exitListeners: ((exit: ExitInfo) => void)[] = [];
  let exited: ExitInfo | undefined;
  let killing: Promise<void> | undefined;
  // The leader is gone; background jobs it started may linger, in its group or out of it. None may
  // outlive it. When its window shows that nothing of it can be alive, there is nothing to stop.
  const end = (info: ExitInfo) =>
    void (killing ?? (window && leftNothing(window, marks) ? Promise.resolve() : terminate(500))).finally(() => {
      exited = info;
      for (const listener of exitListeners) listener(info);
    });

  const id = host.spawn(
    {
      file: options.file,
      args: options.args,
      cwd: options.cwd,
      env: marks ? { ...options.env, ...marks } : options.env,
      cols: options.cols ?? 120,
      rows: options.rows ?? 30,
      ...(options.folders ? { folders: options.folders } : {}),
    },
    {
      spawned: (leader) => {
        pid = leader;
        window = ownLeaderStarted(leader);
        markStarted(leader);
      },
      data: (data, bytes) => {
        for (const listener of dataListeners) listener(data, bytes);
      },
      exited: (exitCode, signal) => {
        // The host reports an exit once it has collected it: the leader is gone, and its pid is free.
        if (window) window.firstPidReaped = true;
        end(signal ? { exitCode: null, signal: signalNames.get(signal) ?? String(signal) } : { exitCode, signal: null });
      },
      failed: (message) => {
        markStarted(pid);
        end({ exitCode: null, signal: null, error: message });
      },
    },
  );

  return {
    get pid() {
      return pid;
    },
    started,
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    write: (data) => host.write(id, data),
    resize: (cols, rows) => host.resize(id, cols, rows),
    pause: () => host.pause(id),
    resume: () => host.resume(id),
    kill: (graceMs = 2000) => {
      killing ??= terminate(graceMs);
      return killing;
    },
  };
}
