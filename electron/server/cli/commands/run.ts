import { booleanOption, integerOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { dataDirArgs, withEngine } from '../open-engine.js';
import { StepBoard } from '../progress/index.js';
import { watchRun } from '../watch-run.js';
import { loadWorkflowFile, printIssues } from '../workflow-file.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a workflow file, showing live progress.',
  usage: 'FILE [--concurrency N] [--json] [--data-dir DIR]',
  description: [
    'Validates FILE (nothing runs and nothing is written when it is invalid), then runs its steps,',
    'in parallel where the dependencies allow. Relative step folders resolve against FILE\'s folder.',
    'Ctrl-C cancels the run and stops every process it started before Photon exits.',
    '',
    'Exit codes: 0 every step succeeded, 1 the run failed, 2 invalid file or usage, 130 Ctrl-C.',
  ].join('\n'),
  positionals: ['FILE'],
  options: {
    concurrency: { type: 'string', value: 'N', description: 'Steps that may run at once (1-64, default 4).' },
    json: jsonOption,
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const file = positionals[0]!;
    const concurrency = integerOption(values, 'concurrency', 1, 64);
    const loaded = loadWorkflowFile(file);
    if (!loaded.ok) {
      printIssues(file, loaded.issues);
      return exitCodes.usage;
    }
    const dataDir = stringOption(values, 'data-dir');
    return withEngine(dataDir, (engine) =>
      watchRun({
        engine,
        board: StepBoard.forNewRun(loaded.workflow),
        json: booleanOption(values, 'json'),
        resumed: false,
        extraArgs: dataDirArgs(dataDir),
        start: async () => (await engine.call('runs.start', { workflow: loaded.workflow, concurrency, baseDir: loaded.folder })).runId,
      }),
    );
  },
};
