import type { Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a workflow file without running it.',
  usage: 'FILE',
  description: [
    'Checks FILE as `photon run` would: its JSON, every field, that dependencies exist and form no',
    'cycle, that every platform can run here, and that {{steps.N.output}} names an ancestor.',
    'Each problem is printed on stderr as `place: message`. Nothing is written.',
    '',
    'Exit codes: 0 valid, 2 invalid or unreadable.',
  ].join('\n'),
  positionals: ['FILE'],
  options: {},
  async run({ positionals }) {
    const file = positionals[0]!;
    // Loaded when the command runs, not with `photon --help`: they bring zod and the workflow schemas.
    const { loadWorkflowFile, printIssues } = await import('../workflow-file.js');
    const loaded = await loadWorkflowFile(file);
    if (!loaded.ok) {
      printIssues(file, loaded.issues);
      return exitCodes.usage;
    }
    const count = loaded.workflow.workflow.length;
    process.stdout.write(`${file}: valid, "${loaded.workflow.name}" with ${count} step${count === 1 ? '' : 's'}\n`);
    return exitCodes.ok;
  },
};
