import type { ToolAdapter } from './tool-adapter.js';

/** The user's shell, so a command behaves as it does in their terminal. */
export function userShell(): { file: string; args: (command: string) => string[] } {
  if (process.platform === 'win32') {
    return { file: process.env.ComSpec || 'cmd.exe', args: (command) => ['/d', '/s', '/c', command] };
  }
  return { file: process.env.SHELL || '/bin/sh', args: (command) => ['-c', command] };
}

export const shellAdapter: ToolAdapter = {
  platform: 'shell',
  invocation(_step, inputs) {
    const shell = userShell();
    const command = String(inputs.command);
    return { file: shell.file, args: shell.args(command), env: {}, display: command };
  },
};
