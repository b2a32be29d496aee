import { booleanOption, integerOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { durationBetween, formatLocalTime, table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';
import { printJson } from '../run-json.js';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List recent runs, newest first.',
  usage: '[--limit N] [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: 'Lists recent runs from the history, newest first, with their status and step counts.',
  positionals: [],
  options: {
    limit: { type: 'string', value: 'N', description: 'How many runs (1-1000, default 20).' },
    json: { type: 'boolean', description: 'Print the runs as a JSON array.' },
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values }) {
    const limit = integerOption(values, 'limit', 1, 1000) ?? 20;
    const remote = remoteTarget(values);
    const runs = remote
      ? await (await import('../remote-commands.js')).listRemote(remote, limit)
      : await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('runs.list', { limit }));
    if (booleanOption(values, 'json')) {
      printJson(runs);
      return exitCodes.ok;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs yet. Start one with `photon run FILE`.\n');
      return exitCodes.ok;
    }
    const rows = runs.map((r) => [
      r.runId,
      r.status,
      `${r.counts.succeeded}/${r.counts.total}`,
      formatLocalTime(r.startedAt ?? r.createdAt),
      durationBetween(r.startedAt, r.finishedAt),
      r.workflowName,
    ]);
    process.stdout.write(`${table(['RUN', 'STATUS', 'STEPS OK', 'STARTED', 'DURATION', 'WORKFLOW'], rows, new Set([2, 4]))}\n`);
    return exitCodes.ok;
  },
};
