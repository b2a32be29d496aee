import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { dataDirArgs, withLocalEngine } from '../open-engine.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Re-run the steps of a failed, cancelled or interrupted run that did not succeed.',
  usage: 'RUN_ID [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Resumes a run that ended without every step succeeding: steps that succeeded keep their',
    'outputs and do not run again; the others run as in `photon run`, with the same live progress.',
    'With a `photon daemon` on the data folder, the daemon runs it.',
    'RUN_ID may be a unique prefix of the id (`photon runs` lists recent runs).',
    '',
    'Exit codes: 0 every step succeeded, 1 the run failed, 2 unknown run or usage, 130 Ctrl-C.',
  ].join('\n'),
  positionals: ['RUN_ID'],
  options: { json: jsonOption, 'data-dir': dataDirOption, server: serverOption, 'api-key': apiKeyOption },
  async run({ values, positionals }) {
    const remote = remoteTarget(values);
    if (remote) return (await import('../remote-commands.js')).resumeRemote(remote, { runId: positionals[0]!, json: booleanOption(values, 'json') });
    const dataDir = stringOption(values, 'data-dir');
    // A `photon daemon` on the data folder resumes it: its steps then run beside the daemon's other
    // runs, under its agent slots, and its gates are answered there; an engine of this process's own
    // would run the same run beside it on the same database.
    const { daemonTarget } = await import('../open-engine.js');
    const daemon = await daemonTarget(dataDir);
    if (daemon) {
      const { resumeRemote } = await import('../remote-commands.js');
      return resumeRemote(daemon, { runId: positionals[0]!, json: booleanOption(values, 'json'), extraArgs: dataDirArgs(dataDir) });
    }
    // Loaded when the command runs, not with `photon --help`: they bring zod and the workflow schemas.
    const [{ StepBoard }, { watchRun, localRunSource }] = await Promise.all([import('../progress/index.js'), import('../watch-run.js')]);
    return withLocalEngine(dataDir, async (engine) => {
      const before = await engine.call('runs.get', { runId: positionals[0]! });
      return watchRun({
        source: localRunSource(engine),
        board: StepBoard.forResume(before),
        json: booleanOption(values, 'json'),
        resumed: true,
        extraArgs: dataDirArgs(dataDir),
        start: async () => (await engine.call('runs.resume', { runId: before.runId })).runId,
      });
    });
  },
};
