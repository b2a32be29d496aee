import { readFileSync } from 'node:fs';
import { isPhotonError } from '../../../shared/errors.js';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';
import { agentsCommand } from './commands/agents.js';
import { approvalsCommand, approveCommand, denyCommand } from './commands/approvals.js';
import { auditCommand } from './commands/audit.js';
import { cancelCommand } from './commands/cancel.js';
import { daemonCommand } from './commands/daemon.js';
import { diffCommand } from './commands/diff.js';
import { hostsCommand } from './commands/hosts.js';
import { discardCommand } from './commands/discard.js';
import { keysCommand } from './commands/keys.js';
import { mergeCommand } from './commands/merge.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { schedulesCommand } from './commands/schedules.js';
import { secretsCommand } from './commands/secrets.js';
import { serveCommand } from './commands/serve.js';
import { showCommand } from './commands/show.js';
import { toolsCommand } from './commands/tools.js';
import { validateCommand } from './commands/validate.js';
import { workspacesCommand } from './commands/workspaces.js';
import { exitCodes } from './exit-codes.js';
import { commandHelp, generalHelp } from './help.js';
import { closest, UsageError } from './usage-error.js';

const commands: readonly Command[] = [
  runCommand,
  validateCommand,
  runsCommand,
  showCommand,
  resumeCommand,
  cancelCommand,
  diffCommand,
  mergeCommand,
  discardCommand,
  workspacesCommand,
  serveCommand,
  daemonCommand,
  schedulesCommand,
  toolsCommand,
  agentsCommand,
  secretsCommand,
  hostsCommand,
  approvalsCommand,
  approveCommand,
  denyCommand,
  keysCommand,
  auditCommand,
];
const byName = new Map(commands.map((c) => [c.name, c]));

/** The `photon` command line: runs one command and resolves with the process's exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedPipes();
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(generalHelp(commands));
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(generalHelp(commands));
    return exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return exitCodes.ok;
  }
  if (name === 'help') return help(rest[0]);

  const command = byName.get(name);
  try {
    if (!command) throw new UsageError(unknownCommand(name));
    const args = parseCommandArgs(command.name, rest, command.options, command.positionals);
    if (args.help) {
      process.stdout.write(commandHelp(command));
      return exitCodes.ok;
    }
    return await command.run(args);
  } catch (error) {
    return report(command ? `photon ${command.name}` : 'photon', error);
  }
}

function help(topic: string | undefined): number {
  if (topic === undefined) {
    process.stdout.write(generalHelp(commands));
    return exitCodes.ok;
  }
  const command = byName.get(topic);
  if (!command) return report('photon', new UsageError(unknownCommand(topic)));
  process.stdout.write(commandHelp(command));
  return exitCodes.ok;
}

function unknownCommand(name: string): string {
  if (name.startsWith('-')) return `unknown option ${name}; options go after the command, e.g. \`photon run FILE ${name}\` (see \`photon --help\`)`;
  const guess = closest(name, [...byName.keys()]);
  return `unknown command "${name}"${guess ? `; did you mean \`photon ${guess}\`?` : ''} The commands are: ${[...byName.keys()].join(', ')} (see \`photon --help\`)`;
}

/** Prints a failure for a person and picks its exit code: 2 for what the user can fix, 1 otherwise. */
function report(prefix: string, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${prefix}: ${error.message}\n`);
    return exitCodes.usage;
  }
  if (isPhotonError(error)) {
    process.stderr.write(`${prefix}: ${error.message}\n`);
    return error.code === 'internal' || error.code === 'unavailable' ? exitCodes.failed : exitCodes.usage;
  }
  process.stderr.write(`${prefix}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return exitCodes.failed;
}

/**
 * `photon run … | head` closes the pipe early; the run must still end properly (its processes
 * stopped, its history written) instead of dying on EPIPE.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `photon ${pkg.version}`;
}
