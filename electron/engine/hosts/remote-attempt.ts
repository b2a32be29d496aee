/**
 * One attempt of a step on a host: the user's `ssh -tt` in a local pseudo-terminal, so its output
 * streams to the same terminal view and what the user types reaches the remote terminal. The
 * handle it gives the run executor behaves as a local one: `kill` ends every remote process of
 * the attempt (through the stopper, over the shared connection) before the local ssh; its exit
 * comes only after the host was asked to stop whatever of the attempt is left; and an exit the
 * connection caused, not the command, carries that reason as its `error`.
 */
import type { ExitInfo, OutputFilter, TerminalHandle, TerminalManager } from '../terminals/index.js';
import type { HostConnection } from './connection.js';
import { RemoteProtocolFilter } from './remote-output.js';
import { stepCommand, stepInput, stopCommand } from './remote-script.js';

export interface RemoteAttemptSpec {
  hostName: string;
  mark: string;
  title: string;
  /** What the terminal shows as its command. */
  display: string;
  owner: { runId: string; step: number; attempt: number };
  /** The script the preamble evaluates (see stepScript): holds the secrets, so it is sent, never logged. */
  script: string;
  /** The local ssh's folder and environment: the user's, with the attempt's local marks; no secrets. */
  localCwd: string;
  localEnv: Record<string, string>;
  localMarks: Record<string, string>;
  /** Redaction of the secrets' values, applied after the preamble's markers are taken out. */
  outputFilter?: OutputFilter;
}

export interface RemoteAttemptHooks {
  /** Its process is about to start on the host: from now on its mark must be stopped some day. */
  started?(mark: string): void;
  /** The host confirmed that nothing of the attempt runs any more: its mark can be forgotten. */
  stopped(mark: string): void;
  /** Its terminal (the local ssh) started, and exited: the span its remote processes are sampled in. */
  running?(terminalId: string): void;
  ended?(terminalId: string): void;
}

/** The grace for stragglers after the command ended by itself: they get no more time than a killed step. */
const afterExitGraceMs = 500;

export class RemoteAttempt {
  constructor(
    private readonly connection: HostConnection,
    private readonly spec: RemoteAttemptSpec,
    private readonly hooks: RemoteAttemptHooks,
  ) {}

  stopRemote(graceMs: number): Promise<boolean> {
    return stopOnHost(this.connection, this.spec.mark, graceMs, this.hooks);
  }

  start(terminals: TerminalManager): TerminalHandle {
    const spec = this.spec;
    let sent = false;
    const filter = new RemoteProtocolFilter(
      {
        ready: () => {
          if (sent) return;
          sent = true;
          // Outside the output callback: writing from inside it would re-enter the terminal.
          setImmediate(() => {
            try {
              terminals.write(handle.info.id, stepInput(spec.script));
            } catch {
              // The terminal exited meanwhile: its exit says why.
            }
          });
        },
      },
      spec.outputFilter,
    );
    this.hooks.started?.(spec.mark);
    const handle = terminals.create({
      title: spec.title,
      command: spec.display,
      owner: spec.owner,
      file: 'ssh',
      args: this.connection.sshArgs(['-tt'], stepCommand(spec.mark)),
      cwd: spec.localCwd,
      env: spec.localEnv,
      marks: spec.localMarks,
      outputFilter: filter,
    });

    this.hooks.running?.(handle.info.id);

    let killing: Promise<void> | undefined;
    const lost = (cleaned: boolean) => {
      const said = lastLine(filter.lastText);
      return sent
        ? `connection to host "${spec.hostName}" lost before the command ended${said ? ` (${said})` : ''}; ${cleaned ? 'what it left running there was stopped' : 'what it left running there is stopped as soon as the host answers again'}`
        : `the step could not start on host "${spec.hostName}"${said ? `: ${said}` : ''}`;
    };
    let exited: ExitInfo | undefined;
    const exitListeners: ((exit: ExitInfo) => void)[] = [];
    handle.onExit((exit) => {
      this.hooks.ended?.(handle.info.id);
      // Whatever it left, in its session or outside it, is stopped before the attempt counts as over:
      // by the preamble on the host when the command ended by itself, else over a new session.
      if (filter.exitCode === null && !killing) this.connection.suspect();
      const swept = filter.exitCode !== null && filter.swept;
      if (swept) this.hooks.stopped(spec.mark);
      const cleanup = killing ? killing.then(() => true) : swept ? Promise.resolve(true) : this.stopRemote(afterExitGraceMs);
      void cleanup.then((stopped) => {
        const failure = killing || filter.exitCode !== null ? undefined : lost(stopped);
        exited = filter.exitCode !== null ? { exitCode: filter.exitCode, signal: null } : { ...exit, ...(failure ? { error: failure } : {}) };
        for (const listener of exitListeners) listener(exited);
      });
    });

    return {
      // Whatever else a terminal's handle offers stays as it is.
      ...handle,
      onExit: (listener) => {
        if (exited) listener(exited);
        else exitListeners.push(listener);
      },
      kill: (graceMs = 2000) => {
        // The remote processes first: the local ssh going first would leave them only a hang-up.
        killing ??= this.stopRemote(graceMs).then(() => handle.kill(graceMs));
        return killing;
      },
    };
  }
}

/** Stops every process carrying the attempt's mark on the host; false when the host could not say so. */
export async function stopOnHost(connection: HostConnection, mark: string, graceMs: number, hooks: RemoteAttemptHooks): Promise<boolean> {
  try {
    const result = await connection.run(stopCommand(mark, graceMs), { timeoutMs: graceMs + 30_000 });
    if (!result.stdout.includes('photon-stopped')) return false;
    hooks.stopped(mark);
    return true;
  } catch {
    // Unreachable now: its mark stays recorded, and the host's leftovers are stopped before its next step.
    return false;
  }
}

function lastLine(text: string): string {
  const plain = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return (
    plain
      .split(/\r?\n|\r/)
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
