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

export interface SshLog {
  /** The PATH for the engine's environment. */
  path: string;
  /** What each ssh started since the last clear was for, in the order they ended. */
  purposes(): string[];
  clear(): void;
}

export function sshLog(folder: string): SshLog {
  const bin = join(folder, 'ssh-log-bin');
  mkdirSync(bin, { recursive: true });
  const log = join(folder, 'ssh.log');
  const realSsh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  // One line per ssh, its arguments joined, written once it ended.
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\n'${realSsh}' "$@"\nc=$?\nprintf ' %s' "$@" | tr '\\n' ' ' >> '${log}'\necho >> '${log}'\nexit $c\n`);
  chmodSync(join(bin, 'ssh'), 0o755);
  return {
    path: `${bin}:${process.env.PATH ?? ''}`,
    purposes: () =>
      (existsSync(log) ? readFileSync(log, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => purposes.find(([pattern]) => pattern.test(`${line} `))?.[1] ?? 'other'),
    clear: () => writeFileSync(log, ''),
  };
}
