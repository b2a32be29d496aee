import type { ProcessTreeSample } from '../../shared/metrics.js';
import type { TerminalInfo } from '../../shared/terminals.js';

const longest = 60;

/**
 * What to ask before closing a tab would stop work, or null to close at once. A step's terminal
 * is only no longer watched and an ended one has nothing left; a tool's session or a command would
 * be stopped, and so would a shell whose process tree (as last sampled, once a second) holds more
 * than the shell itself. An idle shell closes without a question.
 */
export function closeQuestion(info: TerminalInfo | undefined, tree: ProcessTreeSample | undefined): string | null {
  if (!info || info.owner || info.status !== 'running') return null;
  if (info.command !== null) {
    const command = info.command.length > longest ? `${info.command.slice(0, longest - 1)}…` : info.command;
    return `“${info.title}” is still running ${command}. Close it and stop it?`;
  }
  if (tree && tree.processes > 1) return `A program is still running in “${info.title}”. Close the terminal and stop it?`;
  return null;
}
