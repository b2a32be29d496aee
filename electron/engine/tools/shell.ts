import { userInfo } from 'node:os';
import type { ToolAdapter } from './tool-adapter.js';

/**
 * The user's shell, so a command behaves as it does in their terminal. `$SHELL` is not always set
 * (an app started by a desktop launcher, a service, a CI job), and `/bin/sh` is dash on Debian: no
 * job control worth the name, and it leaves its jobs running when its tab is closed. The login shell
 * the system has on record for the user comes before that last resort.
 */
export function userShell(env: Record<string, string | undefined> = process.env): { file: string; args: (command: string) => string[] } {
  if (process.platform === 'win32') {
    return { file: env.ComSpec || 'cmd.exe', args: (command) => ['/d', '/s', '/c', command] };
  }
  return { file: env.SHELL || loginShellOnRecord() || '/bin/sh', args: (command) => ['-c', command] };
}

function loginShellOnRecord(): string | undefined {
  try {
    return userInfo().shell ?? undefined;
  } catch {
    // A uid with no entry in the user database (some containers) has no shell on record.
    return undefined;
  }
}

export const shellAdapter: ToolAdapter = {
  platform: 'shell',
  invocation(_step, inputs) {
    const shell = userShell();
    const command = String(inputs.command);
    return { file: shell.file, args: shell.args(command), env: {}, display: command };
  },
};
