import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';
import { statLines } from '../workspace-format.js';

export const diffCommand: Command = {
  name: 'diff',
  summary: "Show what a run with workspaces changed: the run's result, or one step's.",
  usage: 'RUN_ID [STEP] [--stat] [--json] [--data-dir DIR]',
  description: [
    "Without STEP: the run's result branch against its base. With STEP: that step's latest attempt",
    'against its starting point (a failed attempt: the files it left uncommitted).',
    'Prints the unified diff; --stat prints the changed files with their added and removed lines.',
  ].join('\n'),
  positionals: ['RUN_ID', '[STEP]'],
  options: {
    stat: { type: 'boolean', description: 'Only the files and their +/- lines.' },
    json: jsonOption,
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const step = positionals[1] === undefined ? undefined : stepNumber(positionals[1]);
    const stat = booleanOption(values, 'stat');
    const diff = await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('workspaces.diff', { runId: positionals[0]!, step, stat }));
    if (booleanOption(values, 'json')) printJson(diff);
    else if (stat) process.stdout.write(`${[`${diff.describes}:`, ...statLines(diff.files, diff.totals)].join('\n')}\n`);
    else process.stdout.write(diff.patch);
    return exitCodes.ok;
  },
};

function stepNumber(text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`STEP must be a step number (1, 2, …), not "${text}"; \`photon show RUN_ID\` lists the steps`);
  return Number(text);
}
