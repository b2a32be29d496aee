import type { Command } from './command.js';

export function commandHelp(command: Command): string {
  const options: [string, string][] = Object.entries(command.options).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description]);
  options.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    `Usage: photon ${command.name} ${command.usage}`,
    '',
    command.description,
    '',
    'Options:',
    ...options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: photon <command> [options]',
    '',
    'Photon runs multi-agent workflows: every step a real process in its own terminal, in',
    'parallel where the dependencies allow, with timeouts, retries and a history in SQLite.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `photon <command> --help` for a command\'s options. Every command that touches history',
    'takes --data-dir DIR (or PHOTON_DATA_DIR); the default is shared with the desktop app.',
    '',
    'Exit codes: 0 success, 1 run failed, 2 invalid input or usage, 130 interrupted (Ctrl-C).',
    '',
  ].join('\n');
}
