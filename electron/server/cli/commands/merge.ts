import type { MergeStrategy } from '../../../../shared/workspace-review.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';
import { removedLines } from '../workspace-format.js';

const strategyFlags: Record<string, MergeStrategy> = { ff: 'ff', squash: 'squash', 'merge-commit': 'merge-commit' };

export const mergeCommand: Command = {
  name: 'merge',
  summary: "Merge a run's result branch into one of your branches, then remove the run's worktrees and branches.",
  usage: 'RUN_ID [--into BRANCH] [--ff|--squash|--merge-commit] [--dry-run] [--json] [--data-dir DIR]',
  description: [
    "Merges the run's result (photon/RUN_ID) into BRANCH (default: the branch the run started from).",
    '--ff (the default) moves BRANCH to the result, when BRANCH has not moved since; --squash adds one',
    'commit with all the changes; --merge-commit adds a merge commit. Only BRANCH moves. If it is checked',
    'out, its working tree is updated, and the merge is refused when it would touch uncommitted changes.',
    '--dry-run says what it would do and changes nothing.',
  ].join('\n'),
  positionals: ['RUN_ID'],
  options: {
    into: { type: 'string', value: 'BRANCH', description: "The branch to merge into (default: the run's base branch)." },
    ff: { type: 'boolean', description: 'Fast-forward only (the default).' },
    squash: { type: 'boolean', description: 'One new commit holding all of the changes.' },
    'merge-commit': { type: 'boolean', description: 'A merge commit joining the result.' },
    'dry-run': { type: 'boolean', description: 'Say what would happen; change nothing.' },
    json: jsonOption,
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const chosen = Object.keys(strategyFlags).filter((flag) => booleanOption(values, flag));
    if (chosen.length > 1) throw new UsageError(`choose one of ${chosen.map((f) => `--${f}`).join(', ')}`);
    const strategy = strategyFlags[chosen[0] ?? 'ff']!;
    const dryRun = booleanOption(values, 'dry-run');
    const outcome = await withEngine(stringOption(values, 'data-dir'), (engine) =>
      engine.call('workspaces.merge', { runId: positionals[0]!, into: stringOption(values, 'into'), strategy, dryRun }),
    );
    if (booleanOption(values, 'json')) {
      printJson(outcome);
      return exitCodes.ok;
    }
    const head = dryRun ? `Would ${outcome.summary}.` : `Merged run ${outcome.runId} into ${outcome.into} (${outcome.before.slice(0, 12)} -> ${outcome.after.slice(0, 12)}): ${outcome.summary}.`;
    process.stdout.write(`${[head, ...removedLines(outcome.removed)].join('\n')}\n`);
    return exitCodes.ok;
  },
};
