import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';
import { printJson, toRunJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

/**
 * Stops a run in the Photon that runs it. A run's processes belong to the engine that started them
 * (the app, `photon serve`, `photon daemon`, a `photon run` in a terminal), so this asks that engine
 * through its API (the daemon on the data folder when no --server is given); a command line engine
 * of its own could only find the run not running here.
 */
export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'Stop a running run on a running Photon (photon daemon, the app with remote access, photon serve).',
  usage: 'RUN_ID [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Cancels a running or queued run: its steps are stopped (their whole process groups) and it ends',
    '`cancelled`; `photon resume RUN_ID` can go on with it later. The Photon running it is the',
    '`photon daemon` on the data folder, or the one given with --server and --api-key (or',
    'PHOTON_SERVER and PHOTON_API_KEY), with a key of scope run. A `photon run` in a terminal without',
    'a daemon stops with Ctrl-C.',
    '',
    'Exit codes: 0 cancelled, 2 unknown run, a run not running, or usage.',
  ].join('\n'),
  positionals: ['RUN_ID'],
  options: { json: jsonOption, 'data-dir': dataDirOption, server: serverOption, 'api-key': apiKeyOption },
  async run({ values, positionals }) {
    const dataDir = stringOption(values, 'data-dir');
    const given = remoteTarget(values);
    const { daemonTarget, dataDirArgs } = await import('../open-engine.js');
    const remote = given ?? (await daemonTarget(dataDir));
    if (!remote) {
      throw new UsageError('photon cancel asks the Photon running the run, and no `photon daemon` runs on this data folder: give --server URL --api-key KEY (or PHOTON_SERVER and PHOTON_API_KEY); a `photon run` in a terminal stops with Ctrl-C');
    }
    const { cancelRemote, serverArgs } = await import('../remote-commands.js');
    const run = await cancelRemote(remote, positionals[0]!);
    const again = given ? serverArgs(remote) : dataDirArgs(dataDir);
    if (booleanOption(values, 'json')) {
      printJson(toRunJson(run));
      return exitCodes.ok;
    }
    const done = run.steps.filter((s) => s.status === 'succeeded').length;
    process.stdout.write(`run ${run.runId} ${run.status}: ${done} of ${run.steps.length} steps had succeeded; resume it with photon resume ${run.runId}${again}\n`);
    return exitCodes.ok;
  },
};
