import { formatBytes } from '../../../../shared/byte-text.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';
import { removedLines } from '../workspace-format.js';

const actions = ['prune', 'cleanup'] as const;

export const workspacesCommand: Command = {
  name: 'workspaces',
  summary: "List Photon's worktrees and the disk they take; prune or clean them up.",
  usage: '[prune|cleanup] [--json] [--data-dir DIR]',
  description: [
    "Without an action: each run that still has worktrees or a result branch, and the disk space they take.",
    'cleanup: remove the worktrees of ended runs, keeping their branches (results stay reviewable and mergeable).',
    "prune: remove every worktree and branch Photon made for runs that are not running. Only folders under",
    "Photon's worktrees folder and the photon/ branches it recorded are removed, never anything else;",
    'a terminal opened in a new worktree keeps its worktree after it closes, until prune (never while it is open).',
  ].join('\n'),
  positionals: ['[ACTION]'],
  options: { json: jsonOption, 'data-dir': dataDirOption },
  async run({ values, positionals }) {
    const action = positionals[0];
    if (action !== undefined && !(actions as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action "${action}": photon workspaces takes ${actions.join(' or ')} (or nothing, to list)`);
    }
    const json = booleanOption(values, 'json');
    const dataDir = stringOption(values, 'data-dir');
    if (action !== undefined) {
      const removed = await withEngine(dataDir, (engine) => (action === 'prune' ? engine.call('workspaces.prune', undefined) : engine.call('workspaces.cleanup', undefined)));
      if (json) printJson(removed);
      else process.stdout.write(`${[...removedLines(removed), removed.worktrees.length + removed.branches.length === 0 ? 'Nothing to remove.' : 'Done.'].join('\n')}\n`);
      return exitCodes.ok;
    }
    const usage = await withEngine(dataDir, (engine) => engine.call('workspaces.usage', undefined));
    if (json) {
      printJson(usage);
      return exitCodes.ok;
    }
    if (usage.runs.length === 0 && usage.terminals.length === 0) {
      process.stdout.write(`No worktrees or result branches (${usage.folder}).\n`);
      return exitCodes.ok;
    }
    const rows = usage.runs.map((r) => [r.runId, r.status, String(r.worktrees), formatBytes(r.bytes), r.branch ?? '-', r.workflowName]);
    const terminalRows = usage.terminals.map((t) => [t.branch, t.open ? 'open' : 'closed', formatBytes(t.bytes), t.repo]);
    const lines = [
      ...(rows.length > 0 ? [table(['RUN', 'STATUS', 'WORKTREES', 'DISK', 'RESULT BRANCH', 'WORKFLOW'], rows, new Set([2, 3])), ''] : []),
      ...(terminalRows.length > 0 ? [table(['TERMINAL BRANCH', 'TERMINAL', 'DISK', 'REPOSITORY'], terminalRows, new Set([2])), ''] : []),
      `${formatBytes(usage.totalBytes)} in ${usage.folder}${usage.poolBytes > 0 ? ` (${formatBytes(usage.poolBytes)} of it made ahead of time for the next steps)` : ''}. ` +
        "`photon workspaces cleanup` frees the ended runs' worktrees; `photon workspaces prune` removes their branches too.",
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};
