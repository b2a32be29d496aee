import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { removedLines } from '../workspace-format.js';

export const discardCommand: Command = {
  name: 'discard',
  summary: "Throw away a run's work: remove its worktrees and the branches Photon made for it.",
  usage: 'RUN_ID [--json] [--data-dir DIR]',
  description: [
    "Removes the run's worktrees (under Photon's data folder) and its photon/ branches. A branch you",
    'checked out or committed on is kept, with the reason. Your own branches and working tree are never touched.',
  ].join('\n'),
  positionals: ['RUN_ID'],
  options: { json: jsonOption, 'data-dir': dataDirOption },
  async run({ values, positionals }) {
    const removed = await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('workspaces.discard', { runId: positionals[0]! }));
    if (booleanOption(values, 'json')) printJson(removed);
    else process.stdout.write(`${[...removedLines(removed), removed.worktrees.length + removed.branches.length === 0 ? 'Nothing left to remove.' : 'Discarded.'].join('\n')}\n`);
    return exitCodes.ok;
  },
};
