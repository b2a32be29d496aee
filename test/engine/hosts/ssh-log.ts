/**
 * An `ssh` first on the PATH of an engine that logs what each ssh it (or its git) starts is for,
 * then runs the real one: how many sessions a remote step opens, read without timing anything.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What an ssh is for, from its command line. */
const purposes: [RegExp, string][] = [
  [/ -O check /, 'check'],
  [/ControlMaster=yes/, 'master'],
  [/git-receive-pack|receive-pack/, 'push'],
  [/git-upload-pack|upload-pack/, 'fetch'],
  [/photon-step/, 'step'],
  [/photon-stop/, 'stop'],
  [/show-toplevel/, 'locate'],
  [/worktree add/, 'add'],
  [/git add --all/, 'commit'],
  [/worktree prune/, 'remove'],
];

/** One ssh that ended: what it was for, when it started (ms since the epoch) and how long it ran. */
export interface SshEntry {
  purpose: string;
  startedAt: number;
  ms: number;
}

export interface SshLog {
  /** The PATH for the engine's environment. */
  path: string;
  /** Each ssh started since the last clear, in the order they ended. */
  entries(): SshEntry[];
  /** What each of them was for. */
  purposes(): string[];
  clear(): void;
}

export function sshLog(folder: string): SshLog {
  const bin = join(folder, 'ssh-log-bin');
  mkdirSync(bin, { recursive: true });
  const log = join(folder, 'ssh.log');
  const realSsh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  // One line per ssh, written once it ended: its start and end in ns, then its arguments joined.
  writeFileSync(
    join(bin, 'ssh'),
    `#!/bin/sh\ns=$(date +%s%N)\n'${realSsh}' "$@"\nc=$?\nprintf '%s %s' "$s" "$(date +%s%N)" >> '${log}'\nprintf ' %s' "$@" | tr '\\n' ' ' >> '${log}'\necho >> '${log}'\nexit $c\n`,
  );
  chmodSync(join(bin, 'ssh'), 0o755);
  const entries = (): SshEntry[] =>
    (existsSync(log) ? readFileSync(log, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [start, end, ...args] = line.split(' ');
        return {
          purpose: purposes.find(([pattern]) => pattern.test(` ${args.join(' ')} `))?.[1] ?? 'other',
          startedAt: Number(start) / 1e6,
          ms: (Number(end) - Number(start)) / 1e6,
        };
      });
  return {
    path: `${bin}:${process.env.PATH ?? ''}`,
    entries,
    purposes: () => entries().map((entry) => entry.purpose),
    clear: () => writeFileSync(log, ''),
  };
}
