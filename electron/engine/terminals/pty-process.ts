import { closeSync, constants as fsConstants, openSync, readSync } from 'node:fs';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import * as pty from 'node-pty';
import { trackMaster, withoutInheritedMasters } from './inherited-masters.js';
import { pidWindowFrom, stopMarkedProcesses } from './marked-processes.js';
import { terminateProcessGroup } from './process-group.js';

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
}

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

/** A process in its own pseudo-terminal, with the whole process group as the unit of killing. */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string) => void): void;
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

export function spawnPty(options: SpawnOptions): PtyProcess {
  const program = withoutInheritedMasters(options.file, options.args);
  const child = pty.spawn(program.file, program.args, {
    name: 'xterm-256color',
    cols: options.cols ?? 120,
    rows: options.rows ?? 30,
    cwd: options.cwd,
    env: options.marks ? { ...options.env, ...options.marks } : options.env,
  });
  const pgid = child.pid;
  const marks = options.marks;
  const window = pidWindowFrom(child.pid);
  // The group and whatever left it, at the same time: one grace for both.
  const terminate = (graceMs: number) =>
    Promise.all([terminateProcessGroup(pgid, graceMs), marks ? stopMarkedProcesses(marks, graceMs, window) : undefined]).then(() => undefined);
  const internals = child as unknown as { _socket?: NodeJS.EventEmitter; _fd?: unknown };
  if (typeof internals._fd === 'number' && internals._socket) trackMaster(internals._fd, (closed) => internals._socket!.once('close', closed));
  const releaseFarSide = holdFarSide(child);
  const dataListeners: ((data: string) => void)[] = [];
  const deliver = (data: string) => {
    for (const listener of dataListeners) listener(data);
  };
  child.onData(deliver);
  readRestAtEnd(child, deliver);
  const exitListeners: ((exit: ExitInfo) => void)[] = [];
  let exited: ExitInfo | undefined;
  let killing: Promise<void> | undefined;

  child.onExit(({ exitCode, signal }) => {
    releaseFarSide();
    const info: ExitInfo = signal ? { exitCode: null, signal: signalNames.get(signal) ?? String(signal) } : { exitCode, signal: null };
    // The leader is gone; background jobs it started may linger, in its group or out of it. None may outlive it.
    void (killing ?? terminate(500)).finally(() => {
      exited = info;
      for (const listener of exitListeners) listener(info);
    });
  });

  return {
    pid: child.pid,
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    write: (data) => child.write(data),
    resize: (cols, rows) => child.resize(cols, rows),
    pause: () => child.pause(),
    resume: () => child.resume(),
    kill: (graceMs = 2000) => {
      killing ??= terminate(graceMs);
      return killing;
    },
  };
}

/**
 * Keeps the terminal's far side open in Photon until the leader has exited. Otherwise a program
 * that closes its own stdio before it exits (coreutils such as `touch` do, and a shell execs the
 * last command of `-c`) leaves the pty without a far side: node-pty sees the hang-up and closes the
 * master, and the kernel kills the still-exiting program with SIGHUP, so a step that succeeded is
 * reported "killed by SIGHUP". node-pty marks the leader's exit by setting `_boundClose`; letting
 * go then ends the stream at once, not after node-pty's 200 ms fallback.
 */
function holdFarSide(child: pty.IPty): () => void {
  const internals = child as unknown as { _pty?: unknown; _boundClose?: unknown };
  if (process.platform === 'win32' || typeof internals._pty !== 'string') return () => {};
  let fd: number | undefined;
  try {
    fd = openSync(internals._pty, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {
    return () => {};
  }
  const release = () => {
    if (fd === undefined) return;
    const held = fd;
    fd = undefined;
    try {
      closeSync(held);
    } catch {
      // Already closed: nothing to let go of.
    }
  };
  let bound = internals._boundClose;
  Object.defineProperty(child, '_boundClose', {
    configurable: true,
    get: () => bound,
    set: (value: unknown) => {
      bound = value;
      if (value) release();
    },
  });
  return release;
}

/**
 * libuv ends a pty's stream at the first hang-up after a short read, while the kernel may still
 * hold the end of the output (node-pty issues #72 and #726): a fast command that prints more than
 * a few kilobytes loses its last lines, in the log and in `{{steps.N.output}}`. When the stream
 * ends, read what is left straight from the master, until the kernel says the other side closed.
 */
function readRestAtEnd(child: pty.IPty, deliver: (data: string) => void): void {
  const internals = child as unknown as { _socket?: NodeJS.EventEmitter; _fd?: unknown };
  const fd = internals._fd;
  if (process.platform === 'win32' || typeof fd !== 'number' || !internals._socket) return;
  internals._socket.once('end', () => {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(64 * 1024);
    let rest = '';
    // The kernel holds at most a few buffers; the cap only guards against a writer that never stops.
    for (let total = 0; total < 16 * buffer.length; ) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch {
        break; // EIO: nothing left and the other side closed; EAGAIN: nothing left for now.
      }
      if (read === 0) break;
      total += read;
      rest += decoder.write(buffer.subarray(0, read));
    }
    rest += decoder.end();
    if (rest !== '') deliver(rest);
  });
}
