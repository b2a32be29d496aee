import type { ApprovalAnswer, ApprovalAnswerResult, ApprovalItem } from '../../../../shared/approvals.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

/**
 * The approvals inbox from a terminal: list what waits, answer it. A run in the app or in another
 * terminal holds the session that asked; the answer is handed to it through the database.
 */

export const approvalsCommand: Command = {
  name: 'approvals',
  summary: 'List what agents are waiting for you to allow (and what was answered).',
  usage: '[--all] [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Shows every permission request waiting in the approvals inbox, from every agent session: the agent, the run and step,',
    'and what it wants to do (the command, or the files an edit changes). Answer with `photon approve ID` or `photon deny ID`.',
  ].join('\n'),
  positionals: [],
  options: {
    all: { type: 'boolean', description: 'Also list answered, expired and cancelled requests, newest first.' },
    json: { type: 'boolean', description: 'Print the requests as a JSON array.' },
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values }) {
    const remote = remoteTarget(values);
    const all = booleanOption(values, 'all');
    const items = remote
      ? await (await import('../remote-commands.js')).listApprovalsRemote(remote, all)
      : await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('approvals.list', { waitingOnly: !all }));
    if (booleanOption(values, 'json')) {
      printJson(items);
      return exitCodes.ok;
    }
    if (items.length === 0) {
      process.stdout.write('Nothing is waiting for an answer.\n');
      return exitCodes.ok;
    }
    const rows = items.map((item) => [item.id, item.status, whoAsked(item), item.title, detail(item)]);
    process.stdout.write(`${table(['ID', 'STATUS', 'AGENT', 'WANTS TO', 'DETAIL'], rows)}\n`);
    return exitCodes.ok;
  },
};

export const approveCommand: Command = {
  name: 'approve',
  summary: 'Allow what an agent asked for (once, for the rest of the run, or always).',
  usage: 'ID... [--for-run | --always] [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Allows the requests named (ids from `photon approvals`). Without a flag, this call only. --for-run also allows the',
    "same kind of call (the same program, for commands) for the rest of the run. --always adds a rule to the agent's rules.",
  ].join('\n'),
  positionals: ['ID...'],
  options: {
    'for-run': { type: 'boolean', description: 'Also allow the same kind of call for the rest of the run.' },
    always: { type: 'boolean', description: 'Allow it and add a rule so the agent is not asked again.' },
    json: jsonOption,
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values, positionals }) {
    if (booleanOption(values, 'for-run') && booleanOption(values, 'always')) throw new UsageError('give --for-run or --always, not both');
    const answer: ApprovalAnswer = booleanOption(values, 'always') ? 'always' : booleanOption(values, 'for-run') ? 'run' : 'once';
    return answerAll(values, positionals, answer);
  },
};

export const denyCommand: Command = {
  name: 'deny',
  summary: 'Refuse what an agent asked for, optionally telling it why.',
  usage: 'ID... [--message TEXT] [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: 'Denies the requests named (ids from `photon approvals`). --message is sent to the agent as your next message.',
  positionals: ['ID...'],
  options: {
    message: { type: 'string', value: 'TEXT', description: 'What the agent should do instead; it receives it after the refusal.' },
    json: jsonOption,
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values, positionals }) {
    return answerAll(values, positionals, 'deny', stringOption(values, 'message'));
  },
};

async function answerAll(values: Record<string, string | boolean | undefined>, ids: string[], answer: ApprovalAnswer, message?: string): Promise<number> {
  if (ids.length === 0) throw new UsageError('name the request to answer: its ID from `photon approvals`');
  const remote = remoteTarget(values);
  const results = remote
    ? await (await import('../remote-commands.js')).answerRemote(remote, ids, answer, message)
    : await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('approvals.answer', { ids, answer, ...(message ? { message } : {}) }));
  if (booleanOption(values, 'json')) printJson(results);
  else for (const result of results) (result.ok ? process.stdout : process.stderr).write(`${line(result)}\n`);
  return results.every((r) => r.ok) ? exitCodes.ok : exitCodes.failed;
}

function line(result: ApprovalAnswerResult): string {
  if (!result.ok) return `${result.id}: ${result.reason}`;
  const verb = result.item.status === 'allowed' ? 'allowed' : 'denied';
  const scope = result.item.answer === 'run' ? ' for the rest of the run' : result.item.answer === 'always' ? ', and a rule now allows it always' : '';
  return `${result.id}: ${verb}${scope} (${result.item.title})`;
}

function whoAsked(item: ApprovalItem): string {
  const who = item.agentName ?? item.tool;
  return item.runId ? `${who} (run ${item.runId} step ${item.step})` : who;
}

function detail(item: ApprovalItem): string {
  if (item.command) return `$ ${item.command}`;
  if (item.diffs.length) return item.diffs.map((d) => `${d.oldText === null ? 'new ' : ''}${d.path}`).join(', ');
  return item.cwd ?? '-';
}
