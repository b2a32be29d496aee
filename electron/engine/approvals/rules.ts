import { isAbsolute, relative, resolve } from 'node:path';
import type { ApprovalRule, RuleMatch } from '../../../shared/approvals.js';
import type { ToolCallKind } from '../../../shared/sessions.js';

/** What a rule looks at in a request. */
export interface RuleSubject {
  toolKind: ToolCallKind | null;
  command: string | null;
  /** Files the call touches (its locations and its diffs' paths). */
  paths: string[];
  /** The step's folder (its worktree when isolated), against which `insideFolder` is judged. */
  folder: string | null;
}

/**
 * Programs that reach the network. A list, not a sandbox: it catches the ordinary ways an agent
 * fetches or sends, and a rule that must hold against a determined agent needs the OS sandbox.
 */
const networkPrograms = new Set(['curl', 'wget', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'telnet', 'ftp', 'http', 'https', 'xh']);
const networkSubcommands: Record<string, Set<string>> = {
  git: new Set(['push', 'pull', 'fetch', 'clone', 'ls-remote']),
  npm: new Set(['install', 'i', 'add', 'publish', 'update']),
  pnpm: new Set(['install', 'i', 'add', 'publish', 'update']),
  yarn: new Set(['add', 'install', 'publish']),
  pip: new Set(['install', 'download']),
  pip3: new Set(['install', 'download']),
  gh: new Set(['pr', 'api', 'repo', 'release', 'issue']),
};

/** The first rule of the list that matches, or undefined (then the request is asked). */
export function firstMatch(rules: readonly ApprovalRule[], subject: RuleSubject): ApprovalRule | undefined {
  return rules.find((rule) => matches(rule.match, subject));
}

export function matches(match: RuleMatch, subject: RuleSubject): boolean {
  if (match.kinds && (!subject.toolKind || !match.kinds.includes(subject.toolKind))) return false;
  if (match.commandPrefix !== undefined && !(subject.command ?? '').trim().startsWith(match.commandPrefix)) return false;
  if (match.network !== undefined && reachesNetwork(subject) !== match.network) return false;
  if (match.insideFolder !== undefined && insideFolder(subject) !== match.insideFolder) return false;
  return true;
}

export function reachesNetwork(subject: Pick<RuleSubject, 'toolKind' | 'command'>): boolean {
  if (subject.toolKind === 'fetch') return true;
  if (!subject.command) return false;
  // Each command of a pipeline or list, and what `sudo`, `env` or `npx` would start.
  for (const part of subject.command.split(/&&|\|\||[;|&\n]|\$\(|`/)) {
    const words = part.trim().split(/\s+/).filter((w) => w && !/^\w+=/.test(w) && !['sudo', 'env', 'npx', 'exec', 'command', 'time', 'nohup'].includes(w));
    const program = (words[0] ?? '').split('/').at(-1) ?? '';
    if (networkPrograms.has(program)) return true;
    if (networkSubcommands[program]?.has(words[1] ?? '')) return true;
  }
  return false;
}

/** Every path inside the folder; no paths at all is not "inside" (the rule cannot tell). */
export function insideFolder(subject: Pick<RuleSubject, 'paths' | 'folder'>): boolean {
  if (!subject.folder || subject.paths.length === 0) return false;
  const folder = resolve(subject.folder);
  return subject.paths.every((path) => {
    const rel = relative(folder, resolve(folder, path));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

/** The program of a command, for an allow-for-this-run that covers the same program only. */
export function programOf(command: string | null): string | null {
  const word = command?.trim().split(/\s+/)[0];
  return word ? (word.split('/').at(-1) ?? word) : null;
}
